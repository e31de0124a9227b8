#include "services/oai/oai_request.h"

#include <initializer_list>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace cables::oai {
namespace {

struct VerbRule {
  OaiVerb verb;
  absl::string_view name;
  std::initializer_list<absl::string_view> required;
  std::initializer_list<absl::string_view> optional;
  bool takes_token;
};

const VerbRule kRules[] = {
    {OaiVerb::kIdentify, "Identify", {}, {}, false},
    {OaiVerb::kListMetadataFormats,
     "ListMetadataFormats",
     {},
     {"identifier"},
     false},
    {OaiVerb::kListSets, "ListSets", {}, {}, true},
    {OaiVerb::kGetRecord,
     "GetRecord",
     {"identifier", "metadataPrefix"},
     {},
     false},
    {OaiVerb::kListIdentifiers,
     "ListIdentifiers",
     {"metadataPrefix"},
     {"from", "until", "set"},
     true},
    {OaiVerb::kListRecords,
     "ListRecords",
     {"metadataPrefix"},
     {"from", "until", "set"},
     true},
};

bool Contains(std::initializer_list<absl::string_view> list,
              absl::string_view name) {
  for (const absl::string_view n : list) {
    if (n == name) return true;
  }
  return false;
}

// Parses exactly `n` digits at text[*i].
bool Digits(absl::string_view text, size_t* i, int n, int* out) {
  if (*i + n > text.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    const char c = text[*i + k];
    if (!absl::ascii_isdigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *i += n;
  *out = v;
  return true;
}

bool Expect(absl::string_view text, size_t* i, char c) {
  if (*i >= text.size() || text[*i] != c) return false;
  ++*i;
  return true;
}

}  // namespace

absl::string_view OaiErrorCodeName(OaiErrorCode code) {
  switch (code) {
    case OaiErrorCode::kBadArgument:
      return "badArgument";
    case OaiErrorCode::kBadResumptionToken:
      return "badResumptionToken";
    case OaiErrorCode::kBadVerb:
      return "badVerb";
    case OaiErrorCode::kCannotDisseminateFormat:
      return "cannotDisseminateFormat";
    case OaiErrorCode::kIdDoesNotExist:
      return "idDoesNotExist";
    case OaiErrorCode::kNoRecordsMatch:
      return "noRecordsMatch";
    case OaiErrorCode::kNoMetadataFormats:
      return "noMetadataFormats";
    case OaiErrorCode::kNoSetHierarchy:
      return "noSetHierarchy";
  }
  return "badArgument";
}

absl::string_view OaiVerbName(OaiVerb verb) {
  for (const VerbRule& rule : kRules) {
    if (rule.verb == verb) return rule.name;
  }
  return "";
}

std::string OaiRequest::Get(absl::string_view name) const {
  auto it = arguments.find(std::string(name));
  return it == arguments.end() ? std::string() : it->second;
}

bool OaiRequest::Has(absl::string_view name) const {
  return arguments.count(std::string(name)) > 0;
}

ParsedOaiRequest ParseOaiRequest(
    const std::vector<std::pair<std::string, std::string>>& arguments) {
  ParsedOaiRequest out;
  const auto fail = [&out](OaiErrorCode code, std::string message) {
    out.error = OaiError{code, std::move(message)};
    return out;
  };
  std::optional<std::string> verb;
  for (const auto& [name, value] : arguments) {
    if (name == "verb") {
      if (verb.has_value()) {
        return fail(OaiErrorCode::kBadVerb, "the verb argument is repeated");
      }
      verb = value;
      continue;
    }
    if (!out.request.arguments.emplace(name, value).second) {
      return fail(OaiErrorCode::kBadArgument,
                  absl::StrCat("the argument \"", name, "\" is repeated"));
    }
  }
  if (!verb.has_value()) {
    return fail(OaiErrorCode::kBadVerb, "the verb argument is missing");
  }
  const VerbRule* rule = nullptr;
  for (const VerbRule& r : kRules) {
    if (r.name == *verb) rule = &r;
  }
  if (rule == nullptr) {
    return fail(OaiErrorCode::kBadVerb,
                absl::StrCat("\"", *verb, "\" is not an OAI-PMH verb"));
  }
  out.request.verb = rule->verb;
  for (const auto& [name, value] : out.request.arguments) {
    if (!Contains(rule->required, name) && !Contains(rule->optional, name) &&
        !(rule->takes_token && name == "resumptionToken")) {
      return fail(
          OaiErrorCode::kBadArgument,
          absl::StrCat("\"", name, "\" is not an argument of ", rule->name));
    }
  }
  if (out.request.Has("resumptionToken")) {
    if (out.request.arguments.size() != 1) {
      return fail(OaiErrorCode::kBadArgument,
                  "resumptionToken is an exclusive argument");
    }
    return out;
  }
  for (const absl::string_view name : rule->required) {
    if (!out.request.Has(name)) {
      return fail(
          OaiErrorCode::kBadArgument,
          absl::StrCat(rule->name, " requires the argument \"", name, "\""));
    }
  }
  return out;
}

std::optional<OaiDatestamp> ParseOaiDatestamp(absl::string_view text) {
  size_t i = 0;
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (!Digits(text, &i, 4, &y) || !Expect(text, &i, '-') ||
      !Digits(text, &i, 2, &mo) || !Expect(text, &i, '-') ||
      !Digits(text, &i, 2, &d)) {
    return std::nullopt;
  }
  OaiDatestamp out;
  out.day = i == text.size();
  if (!out.day) {
    if (!Expect(text, &i, 'T') || !Digits(text, &i, 2, &h) ||
        !Expect(text, &i, ':') || !Digits(text, &i, 2, &mi) ||
        !Expect(text, &i, ':') || !Digits(text, &i, 2, &s) ||
        !Expect(text, &i, 'Z') || i != text.size()) {
      return std::nullopt;
    }
  }
  const absl::CivilSecond civil(y, mo, d, h, mi, s);
  // CivilSecond normalises (2005-02-30 -> 2005-03-02): reject such dates.
  if (civil.year() != y || civil.month() != mo || civil.day() != d ||
      civil.hour() != h || civil.minute() != mi || civil.second() != s) {
    return std::nullopt;
  }
  out.time = absl::FromCivil(civil, absl::UTCTimeZone());
  return out;
}

std::string FormatOaiDatestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

}  // namespace cables::oai
