#pragma once
// Message-IDs as ispd holds them: bare ("3f2a9c@ispd.example"), without the angle brackets a header
// wraps them in. A value is made bare once where it comes in (a header read, a stored row, a command's
// argument) and bracketed once where it goes out (a header written, the outbox's stored form).

#include <string>
#include <string_view>

namespace ispd::message_id {

// The bare id of a header value, a stored form or an argument: "<a@b>", "a@b" and " <a@b> " are all "a@b".
inline std::string bare(std::string_view value) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!value.empty() && blank(value.front())) value.remove_prefix(1);
  while (!value.empty() && blank(value.back())) value.remove_suffix(1);
  if (value.size() >= 2 && value.front() == '<' && value.back() == '>') value = value.substr(1, value.size() - 2);
  return std::string(value);
}

// "<a@b>", as a header and the outbox's message_id column hold it: the one place the brackets are added.
inline std::string wire(std::string_view id) { return "<" + bare(id) + ">"; }

}  // namespace ispd::message_id
