#include "services/oai/oai_sets.h"

#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cables::oai {
namespace {

// The setSpec character class: [A-Za-z0-9\-_\.!~\*'\(\)].
bool IsSpecChar(char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
         c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' || c == ')';
}

// Keeps the characters `keep` accepts, replaces each run of others with
// `sep` (none at either end); "_" when nothing is left.
template <typename Keep>
std::string Slug(absl::string_view text, char sep, Keep keep) {
  std::string out;
  bool gap = false;
  for (const char c : text) {
    if (keep(c)) {
      if (gap && !out.empty()) out.push_back(sep);
      out.push_back(c);
      gap = false;
    } else {
      gap = true;
    }
  }
  return out.empty() ? std::string("_") : out;
}

constexpr absl::string_view kOrigin = "origin";
constexpr absl::string_view kYear = "year";
constexpr absl::string_view kTag = "tag";

}  // namespace

std::string OriginSetSpec(absl::string_view origin) {
  return absl::StrCat(kOrigin, ":",
                      Slug(absl::AsciiStrToLower(origin), '-',
                           [](char c) { return absl::ascii_isalnum(c); }));
}

std::string YearSetSpec(int year) { return absl::StrCat(kYear, ":", year); }

std::string TagSetSpec(absl::string_view tag) {
  return absl::StrCat(kTag, ":", Slug(tag, '_', IsSpecChar));
}

bool IsValidSetSpec(absl::string_view spec) {
  // ([A-Za-z0-9\-_\.!~\*'\(\)])+(:[A-Za-z0-9\-_\.!~\*'\(\)]+)*
  bool in_part = false;
  for (const char c : spec) {
    if (c == ':') {
      if (!in_part) return false;
      in_part = false;
    } else if (IsSpecChar(c)) {
      in_part = true;
    } else {
      return false;
    }
  }
  return in_part;
}

std::vector<OaiSet> ListOaiSets(const storage::RecordSetValues& values) {
  std::vector<OaiSet> out = {
      {std::string(kOrigin), "Cables by originating post"},
      {std::string(kTag), "Cables by TAGS"},
      {std::string(kYear), "Cables by year of origin"},
  };
  const auto add = [&out](std::map<std::string, std::string> by_spec) {
    for (auto& [spec, name] : by_spec) {
      out.push_back({spec, std::move(name)});
    }
  };
  std::map<std::string, std::string> origins, tags, years;
  for (const auto& o : values.origins) {
    std::string& name = origins[OriginSetSpec(o)];
    name = name.empty() ? absl::StrCat("Origin: ", o)
                        : absl::StrCat(name, "; ", o);
  }
  for (const auto& t : values.tags) {
    std::string& name = tags[TagSetSpec(t)];
    name =
        name.empty() ? absl::StrCat("TAGS: ", t) : absl::StrCat(name, "; ", t);
  }
  for (const int y : values.years) {
    years[YearSetSpec(y)] = absl::StrCat("Year ", y);
  }
  add(std::move(origins));
  add(std::move(tags));
  add(std::move(years));
  return out;
}

std::optional<storage::RecordSet> ResolveSetSpec(
    absl::string_view spec, const storage::RecordSetValues& values) {
  using Kind = storage::RecordSet::Kind;
  storage::RecordSet set;
  if (spec == kOrigin) {
    set.kind = Kind::kAnyOrigin;
    return set;
  }
  if (spec == kYear) {
    set.kind = Kind::kAnyYear;
    return set;
  }
  if (spec == kTag) {
    set.kind = Kind::kAnyTag;
    return set;
  }
  if (absl::StartsWith(spec, "year:")) {
    int year = 0;
    if (!absl::SimpleAtoi(spec.substr(5), &year) || YearSetSpec(year) != spec) {
      return std::nullopt;
    }
    set.kind = Kind::kYear;
    set.year = year;
    return set;
  }
  if (absl::StartsWith(spec, "origin:")) {
    set.kind = Kind::kOrigins;
    for (const auto& o : values.origins) {
      if (OriginSetSpec(o) == spec) set.values.push_back(o);
    }
  } else if (absl::StartsWith(spec, "tag:")) {
    set.kind = Kind::kTags;
    for (const auto& t : values.tags) {
      if (TagSetSpec(t) == spec) set.values.push_back(t);
    }
  }
  if (set.values.empty()) return std::nullopt;
  return set;
}

std::vector<std::string> RecordSetSpecs(const storage::RecordHeader& record) {
  std::vector<std::string> specs;
  if (!record.origin.empty()) specs.push_back(OriginSetSpec(record.origin));
  for (const auto& t : record.tags) {
    if (!t.empty()) specs.push_back(TagSetSpec(t));
  }
  if (record.created.has_value()) {
    const absl::CivilSecond civil =
        absl::ToCivilSecond(*record.created, absl::UTCTimeZone());
    specs.push_back(YearSetSpec(static_cast<int>(civil.year())));
  }
  // A cable may carry a tag twice.
  std::vector<std::string> unique;
  for (auto& s : specs) {
    bool dup = false;
    for (const auto& u : unique) dup |= u == s;
    if (!dup) unique.push_back(std::move(s));
  }
  return unique;
}

}  // namespace cables::oai
