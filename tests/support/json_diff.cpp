#include "tests/support/json_diff.hpp"

#include <ostream>
#include <sstream>
#include <string>

namespace ispd::test {

namespace {

using Json = nlohmann::json;

// Where two JSON values differ, one line per differing leaf.
void describe_differences(const Json& expected, const Json& actual, const std::string& path, std::ostream& out) {
  if (expected == actual) return;
  if (expected.is_object() && actual.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) {
        out << "  " << path << "/" << key << ": expected " << value.dump() << ", missing\n";
      } else {
        describe_differences(value, actual.at(key), std::string(path).append("/").append(key), out);
      }
    }
    for (const auto& [key, value] : actual.items()) {
      if (!expected.contains(key)) out << "  " << path << "/" << key << ": unexpected " << value.dump() << "\n";
    }
    return;
  }
  if (expected.is_array() && actual.is_array() && expected.size() == actual.size() && !expected.empty() &&
      expected.front().is_object()) {
    for (std::size_t i = 0; i < expected.size(); ++i) {
      describe_differences(expected[i], actual[i], std::string(path).append("/").append(std::to_string(i)), out);
    }
    return;
  }
  out << "  " << path << ": expected " << expected.dump() << ", got " << actual.dump() << "\n";
}

}  // namespace

::testing::AssertionResult same_json(const Json& expected, const Json& actual) {
  if (expected == actual) return ::testing::AssertionSuccess();
  std::ostringstream out;
  out << "the parsed form differs from the expected JSON:\n";
  describe_differences(expected, actual, "", out);
  return ::testing::AssertionFailure() << out.str();
}

}  // namespace ispd::test
