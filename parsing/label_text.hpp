#pragma once
// Text as the form reader compares it: labels reduced to words so small
// wording changes still match, and cell text read as a tick or as words.

#include <string>
#include <string_view>
#include <vector>

namespace ispd::label {

// Lower-case words of a label, without punctuation, "(s)", apostrophes,
// one-letter words and words that carry no meaning in a label ("the",
// "please", "if applicable"); common spellings are folded ("e-mail" -> "email",
// "tel"/"phone" -> "telephone", "organization" -> "organisation").
std::vector<std::string> words(std::string_view text);

// How well a cell's label words match a known label: 1 for the same words,
// about 0.8-1 when the cell starts with the label, else the Dice overlap.
// Words match when equal or when one is a close variant of the other
// ("concern"/"concerns", "criminal"/"criminality").
double similarity(const std::vector<std::string>& cell, const std::vector<std::string>& known);

// True when `known` is the start of `cell`, word by word.
bool starts_with(const std::vector<std::string>& cell, const std::vector<std::string>& known);

enum class Tick { empty, ticked, unticked, words };

// What a cell (or the end of a label cell) shows: a ticked or empty box,
// a tick word ("Yes", "X", "Ticked") or its opposite ("No", "N/A", "-"), or
// other words.
Tick tick_of(std::string_view text);

// Cell text as a field value: marker characters removed, spaces and tabs
// folded, each line trimmed, blank lines dropped, and Word's placeholder
// prompts ("Click or tap here to enter text.") read as empty.
std::string clean(std::string_view text);

// clean(), then tick glyphs and box markers removed too.
std::string without_ticks(std::string_view text);

// A label cell split into the label, what follows a colon, and a tick typed
// before or after the label ("Residential ☒", "X Residential").
struct LabelCell {
  std::string label;
  std::string rest;
  Tick tick = Tick::empty;
};
LabelCell split_label_cell(std::string_view text);

// A Yes / No pair typed into one cell ("Yes ☒  No ☐", "Yes  No X"): which
// word each box or X belongs to. `found` is false unless the cell holds both
// words and at least one box or X.
struct YesNo {
  bool found = false;
  bool yes = false;
  bool no = false;
};
YesNo yes_no_in(std::string_view text);

}  // namespace ispd::label
