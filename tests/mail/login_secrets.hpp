#pragma once
// One login and every form in which its secrets travel, written out by hand (base64 from the RFCs'
// rules, not from ispd), for the tests that make servers echo what ispd sends them.

#include <array>
#include <string_view>

namespace ispd::test::login {

inline constexpr std::string_view kUser = "isp-user";
// A quote, a space and a backslash: libcurl sends it to IMAP as a quoted string.
inline constexpr std::string_view kPassword = "S3cr\"et pass\\word";
inline constexpr std::string_view kPasswordQuoted = "S3cr\\\"et pass\\\\word";
inline constexpr std::string_view kToken = "ya29.a0AfH6SMBx-token_value";

// SASL PLAIN (RFC 4616): NUL user NUL password, and with the user as authorisation identity too.
inline constexpr std::string_view kPlain = "AGlzcC11c2VyAFMzY3IiZXQgcGFzc1x3b3Jk";
inline constexpr std::string_view kPlainWithAuthzid = "aXNwLXVzZXIAaXNwLXVzZXIAUzNjciJldCBwYXNzXHdvcmQ=";
// SASL LOGIN: the user, then the password, each alone in base64.
inline constexpr std::string_view kUserBase64 = "aXNwLXVzZXI=";
inline constexpr std::string_view kPasswordBase64 = "UzNjciJldCBwYXNzXHdvcmQ=";
inline constexpr std::string_view kPasswordBase64Unpadded = "UzNjciJldCBwYXNzXHdvcmQ";
// XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A.
inline constexpr std::string_view kXoauth2 =
    "dXNlcj1pc3AtdXNlcgFhdXRoPUJlYXJlciB5YTI5LmEwQWZINlNNQngtdG9rZW5fdmFsdWUBAQ==";
inline constexpr std::string_view kXoauth2Unpadded =
    "dXNlcj1pc3AtdXNlcgFhdXRoPUJlYXJlciB5YTI5LmEwQWZINlNNQngtdG9rZW5fdmFsdWUBAQ";
// The part of the XOAUTH2 string that carries the token's first bytes, as a server that cuts it short sends.
inline constexpr std::string_view kXoauth2TokenPart = "dXNlcj1pc3AtdXNlcgFhdXRoPUJlYXJlciB5YTI5";

// What must never be found in a message: the secrets, and their encodings less the user's name.
inline constexpr std::array<std::string_view, 10> kEverySecretForm = {
    kPassword,        kPasswordQuoted,   kToken, kPlain,       kPlainWithAuthzid, kPasswordBase64Unpadded,
    kXoauth2Unpadded, kXoauth2TokenPart, "S3cr", "ya29.a0AfH6"};

}  // namespace ispd::test::login
