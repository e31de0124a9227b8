// One fuzz iteration of the search query path, shared by the libFuzzer
// target (query_parser_fuzz.cc) and the replay test
// (query_fuzz_replay_test.cc): any input either parses -- and then plans to
// SQL whose text holds none of the input, and translates to a Xapian query
// for the search index -- or fails with kInvalidArgument. Returns "" when
// that holds, else what broke.
#ifndef CABLES_SERVICES_SEARCH_QUERY_FUZZ_CHECK_H_
#define CABLES_SERVICES_SEARCH_QUERY_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/search/index/query_translator.h"
#include "services/search/query_parser.h"
#include "storage/search/search_planner.h"

namespace cables::search {

inline std::string FuzzQueryOnce(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseSearchQuery(text);
  if (!parsed.ok()) {
    if (parsed.status().code() != absl::StatusCode::kInvalidArgument) {
      return absl::StrCat("parse: ", parsed.status().ToString());
    }
    return "";
  }
  auto plan = storage::PlanQuery(parsed->root);
  if (!plan.ok() &&
      plan.status().code() != absl::StatusCode::kInvalidArgument) {
    return absl::StrCat("plan: ", plan.status().ToString());
  }
  if (plan.ok()) {
    // The SQL is made of fixed fragments: no quote from the input.
    for (const char c : plan->where) {
      if (c == '"' || c == ';') {
        return absl::StrCat("plan: SQL holds ", std::string(1, c));
      }
    }
  }
  static index::TextAnalyzer analyzer;
  auto translated = index::TranslateQuery(parsed->root, analyzer);
  if (!translated.ok() &&
      translated.status().code() != absl::StatusCode::kInvalidArgument) {
    return absl::StrCat("translate: ", translated.status().ToString());
  }
  if (translated.ok()) (void)translated->match.get_description();
  return "";
}

}  // namespace cables::search

#endif  // CABLES_SERVICES_SEARCH_QUERY_FUZZ_CHECK_H_
