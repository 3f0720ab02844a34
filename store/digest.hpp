#pragma once
// SHA-256 for identifying mails and files, and random ids for Message-IDs (OpenSSL).

#include <cstddef>
#include <string>
#include <string_view>

namespace ispd::store {

// Lower-case hex, 64 characters.
std::string sha256_hex(std::string_view bytes);
// `bytes` random bytes from OpenSSL's CSPRNG, as lower-case hex.
std::string random_hex(std::size_t bytes);

}  // namespace ispd::store
