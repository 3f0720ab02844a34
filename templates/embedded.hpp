#pragma once
// The .mustache files under templates/mails, compiled into the library by
// templates/embed.cmake, so the installed binary needs no data files.

#include <optional>
#include <string_view>

namespace ispd::templates::detail {

// The template at `name` under templates/mails ("circulation.html.mustache"), or nullopt.
std::optional<std::string_view> embedded_template(std::string_view name);

}  // namespace ispd::templates::detail
