// In-process cost of parse_form on the example forms: the bytes are read once,
// so only unzipping, XML parsing and reading the form are timed.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "parsing/parse.hpp"

namespace {

std::string read_form(const std::string& name) {
  std::ifstream in(std::string(ISPD_FORMS_DIR) + "/" + name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void parse_form_bench(benchmark::State& state, const std::string& name) {
  const std::string bytes = read_form(name);
  if (bytes.empty()) {
    state.SkipWithError(("cannot read " + name).c_str());
    return;
  }
  if (const auto first = ispd::parse_form(bytes); !first) {
    state.SkipWithError((name + " " + first.error().message).c_str());
    return;
  }
  for (auto _ : state) {
    auto form = ispd::parse_form(bytes);
    benchmark::DoNotOptimize(form);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

}  // namespace

BENCHMARK_CAPTURE(parse_form_bench, internal_new_notification, std::string("internal-new-notification.docx"))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(parse_form_bench, restricted_criminality, std::string("restricted-criminality.docx"))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(parse_form_bench, rescind, std::string("rescind.docx"))->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
