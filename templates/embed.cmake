# Writes OUTPUT, a C++ source holding each of FILES (a list of paths) as a raw
# string literal named by its path under BASE, for templates/embedded.hpp.
# Run by templates/CMakeLists.txt at build time: cmake -DOUTPUT=... -DBASE=... -DFILES=... -P embed.cmake
set(delimiter "ispd_mustache")
set(entries "")
foreach(path IN LISTS FILES)
  file(RELATIVE_PATH name ${BASE} ${path})
  file(READ ${path} text)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${path} contains the raw string delimiter )${delimiter}\"")
  endif()
  string(APPEND entries "    {\"${name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()
file(WRITE ${OUTPUT}.new
"// Generated from templates/mails/*.mustache by templates/embed.cmake; do not edit.
#include \"templates/embedded.hpp\"

namespace ispd::templates::detail {

namespace {

struct Embedded {
  std::string_view name;
  std::string_view text;
};

constexpr Embedded kEmbedded[] = {
${entries}};

}  // namespace

std::optional<std::string_view> embedded_template(std::string_view name) {
  for (const Embedded& embedded : kEmbedded) {
    if (embedded.name == name) return embedded.text;
  }
  return std::nullopt;
}

}  // namespace ispd::templates::detail
")
file(RENAME ${OUTPUT}.new ${OUTPUT})
