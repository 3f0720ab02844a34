// libFuzzer target: arbitrary bytes as a .docx, through the parser and, when a
// form comes out, through the JSON the daemon stores. An exception escaping
// either (dump() throws on invalid UTF-8) is a crash here, as it would be a bug.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "parsing/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (const auto form = ispd::parse_form(bytes)) {
    (void)ispd::to_json(*form).dump();
  }
  return 0;
}
