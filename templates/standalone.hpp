#pragma once
// Standalone lines as mustache means them: kainjow-mustache 4.1 drops a line that
// holds only section tags when the section is shown, but leaves it blank when it is
// skipped. Internal to templates/.

#include <string>
#include <string_view>

namespace ispd::templates::detail {

// The template with each line of only section, partial and comment tags marked.
std::string marked(std::string_view source);

// The rendered mail with the marked lines that are left empty removed, and the marks.
std::string unmarked(std::string_view rendered);

}  // namespace ispd::templates::detail
