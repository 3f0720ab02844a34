#pragma once
// The text parts of a mail as a reader's mail client shows them, decoded
// with GMime: for tests that read what ispd wrote.

#include <string>
#include <vector>

namespace ispd::test {

struct TextPart {
  std::string content_type;  // "text/plain" or "text/html"
  std::string text;          // decoded, UTF-8
};

// Every text/* leaf that is not an attachment, in order.
std::vector<TextPart> text_parts(const std::string& raw);

// The decoded text of the first part of that type; empty if there is none.
std::string text_of(const std::string& raw, const std::string& content_type);

}  // namespace ispd::test
