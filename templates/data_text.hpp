#pragma once
// The data a mail is rendered from (mail_data/), as the text a mail shows
// (controls removed, one line or paragraphs), and the words for dates, keys,
// lists and counts. Internal to templates/.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ispd::templates::detail {

// Text of the data as the mail shows it: one line (every control a space), or, for
// `paragraphs`, lines broken by LF alone. Runs of spaces fold; nullopt when nothing is left.
std::optional<std::string> shown(const std::optional<std::string>& text, bool paragraphs = false);

// Each of `texts` as shown() gives it, those with nothing left dropped.
std::vector<std::string> shown(const std::vector<std::string>& texts);

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
