#pragma once
// The one loopback rule: the only hosts ispd speaks to without TLS.

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>
#include <string_view>

#include "util/text.hpp"

namespace ispd {

// localhost, 127.0.0.0/8 and ::1, with or without the brackets a URL puts around an IPv6 address.
inline bool is_loopback_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (text::equal_nocase(host, "localhost") || text::equal_nocase(host, "localhost.")) return true;
  if (host == "::1") return true;
  in_addr v4{};
  const std::string literal(host);
  if (inet_pton(AF_INET, literal.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return false;
}

}  // namespace ispd
