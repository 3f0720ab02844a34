#pragma once
// Labelled values: a field found by its label's words, its value read from
// beside the label, the next cell or the row below, as text, dates or a tick;
// and the officer's name and e-mail address read out of such a value.
// Internal to the form reader.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsing/docx_document.hpp"
#include "parsing/form.hpp"
#include "parsing/form_sections.hpp"
#include "parsing/label_text.hpp"

namespace ispd::form_reading {

enum class Kind { text, date, tick, name_and_email };

struct FieldSpec {
  std::string_view id;
  Kind kind;
  std::vector<std::string_view> labels;
};

struct Value {
  std::string text;  // cleaned
  std::vector<Date> dates;
  label::Tick tick = label::Tick::empty;
  bool present = false;
};

struct Found {
  std::string_view id;
  Value value;
  std::size_t line = 0;
};

struct Matcher {
  const std::vector<FieldSpec>& specs;
  // Pre-split label words, one list per spec.
  std::vector<std::vector<Words>> known;

  explicit Matcher(const std::vector<FieldSpec>& s);

  // The spec a label text names, if any.
  const FieldSpec* match(const std::string& label_text) const;
};

// Reads every labelled value in lines [begin, end): a label cell's value is
// what follows its colon, else the next cell in its row, else (for text) the
// one-cell row below it. Lines used as values are marked in `used`.
std::vector<Found> read_labelled(const std::vector<docx::Line>& lines, std::size_t begin, std::size_t end,
                                 const Matcher& matcher, std::vector<bool>& used);

const Found* first(const std::vector<Found>& found, std::string_view id);

Text as_text(const Found* f);

bool is_ticked(const Found* f);

// The address in an officer's e-mail value, or the value as written.
Text email_in(Text text);

// A "name and email" value as the officer's name and address.
std::pair<Text, Text> split_name_and_email(const std::string& text);

}  // namespace ispd::form_reading
