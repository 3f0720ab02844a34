#include "store/provider_keys.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace ispd::store {

namespace {

using text::is_alnum;
using text::lower;
using text::upper;

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string upper_alnum(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (is_alnum(c)) out += upper(c);
  }
  return out;
}

constexpr std::array<std::string_view, 5> kLegalForms = {"ltd", "limited", "plc", "llp", "cic"};

}  // namespace

std::string normalise_provider_name(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '\'') continue;
    // The right single quotation mark, as Word types an apostrophe.
    if (name.substr(i, 3) == "\xE2\x80\x99") {
      i += 2;
      continue;
    }
    if (c == '&') {
      flush();
      words.emplace_back("and");
    } else if (is_alnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      word += lower(c);
    } else {
      flush();
    }
  }
  flush();
  if (!words.empty() && words.front() == "the") words.erase(words.begin());
  while (!words.empty() && std::find(kLegalForms.begin(), kLegalForms.end(), words.back()) != kLegalForms.end()) {
    words.pop_back();
  }
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::string normalise_company_number(std::string_view number) {
  std::string out = upper_alnum(number);
  if (!has_digit(out)) return {};
  if (out.size() < 8 && std::all_of(out.begin(), out.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    out.insert(0, 8 - out.size(), '0');
  }
  return out;
}

std::string normalise_ofsted_urn(std::string_view urn) {
  std::string out = upper_alnum(urn);
  if (out.starts_with("URN")) out.erase(0, 3);
  if (!has_digit(out)) return {};
  return out;
}

ProviderKeys provider_keys(const Provider& provider) {
  return ProviderKeys{normalise_provider_name(provider.name.value_or("")),
                      normalise_company_number(provider.company_number.value_or("")),
                      normalise_ofsted_urn(provider.ofsted_urn.value_or(""))};
}

}  // namespace ispd::store
