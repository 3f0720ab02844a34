#pragma once
// Reading the data a mail is rendered from: whatever its shape, nothing here
// throws. Values at a path, as the text a mail shows (controls removed, one
// line or paragraphs), and the words for dates, keys, lists and counts.
// Internal to templates/.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ispd::templates::detail {

// The value at `path` ("provider/name"), through objects only; nullptr when any step is missing.
const nlohmann::json* at(const nlohmann::json& data, std::string_view path);

bool is_true(const nlohmann::json& data, std::string_view path);

// A string or integer as the mail shows it: one line (every control a space),
// or, for `paragraphs`, lines broken by LF alone. Runs of spaces fold; nullopt
// when nothing is left, or for any other value.
std::optional<std::string> text_of(const nlohmann::json* value, bool paragraphs = false);

// The strings of the list at `path`, each as text_of() reads it.
std::vector<std::string> strings_at(const nlohmann::json& data, std::string_view path);

// A key of the tick list `field` in the form's words; a key the form does not
// have, readable ("some new key").
std::string words_for(std::string_view field, std::string_view key);

// "2026-05-01" as "1 May 2026"; anything else as it was written.
std::string date_words(const std::string& iso);

// A reason written to follow other words ("the sender's domain ... is not a
// configured authority"), as a sentence of its own.
std::string sentence(std::string text);

// A list's scope as the form says it: North West, National, or the area's name.
std::string scope_words(std::string_view scope);

// "police/north_west" as "Police — North West".
std::string list_words(std::string_view list);

// "1 recipient", "3 recipients".
std::string counted(std::size_t count, std::string_view one, std::string_view many);

}  // namespace ispd::templates::detail
