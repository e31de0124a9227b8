// libFuzzer target for ParseSearchQuery (built when CABLES_FUZZ is ON):
// any input either parses -- and then plans to SQL whose text holds none of
// the input, and translates to a Xapian query for the search index -- or
// fails with kInvalidArgument. Seeds: fuzz_corpus/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "services/search/index/query_translator.h"
#include "services/search/query_parser.h"
#include "storage/search/search_planner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = cables::search::ParseSearchQuery(text);
  if (!parsed.ok()) {
    if (parsed.status().code() != absl::StatusCode::kInvalidArgument)
      std::abort();
    return 0;
  }
  auto plan = cables::storage::PlanQuery(parsed->root);
  if (!plan.ok() &&
      plan.status().code() != absl::StatusCode::kInvalidArgument) {
    std::abort();
  }
  if (plan.ok()) {
    // The SQL is made of fixed fragments: no quote from the input.
    for (const char c : plan->where) {
      if (c == '"' || c == ';') std::abort();
    }
  }
  static cables::search::index::TextAnalyzer analyzer;
  auto translated =
      cables::search::index::TranslateQuery(parsed->root, analyzer);
  if (!translated.ok() &&
      translated.status().code() != absl::StatusCode::kInvalidArgument) {
    std::abort();
  }
  if (translated.ok()) (void)translated->match.get_description();
  return 0;
}
