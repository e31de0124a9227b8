#include "storage/search/search_query.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cables::storage {
namespace {

const char* FieldName(QueryField field) {
  switch (field) {
    case QueryField::kTag:
      return "tag";
    case QueryField::kOrigin:
      return "origin";
    case QueryField::kClassification:
      return "classification";
    case QueryField::kCaveat:
      return "caveat";
    case QueryField::kSigner:
      return "signer";
    case QueryField::kId:
      return "id";
  }
  return "?";
}

std::string Children(const QueryNode& node) {
  std::string out;
  for (const QueryNode& child : node.children) {
    absl::StrAppend(&out, " ", child.DebugString());
  }
  return out;
}

}  // namespace

std::string QueryNode::DebugString() const {
  const std::string star = prefix ? "*" : "";
  switch (kind) {
    case Kind::kAll:
      return "ALL";
    case Kind::kAnd:
      return absl::StrCat("(AND", Children(*this), ")");
    case Kind::kOr:
      return absl::StrCat("(OR", Children(*this), ")");
    case Kind::kNot:
      return absl::StrCat("(NOT", Children(*this), ")");
    case Kind::kTerm:
      return absl::StrCat(text, star);
    case Kind::kPhrase:
      return absl::StrCat("\"", text, "\"");
    case Kind::kSubject:
      return absl::StrCat("(SUBJECT", Children(*this), ")");
    case Kind::kField:
      return absl::StrCat(FieldName(field), ":", text, star);
    case Kind::kCreated: {
      const auto fmt = [](const std::optional<absl::Time>& t) {
        return t.has_value()
                   ? absl::FormatTime("%Y-%m-%d", *t, absl::UTCTimeZone())
                   : std::string();
      };
      return absl::StrCat("created:[", fmt(from), ",", fmt(until), ")");
    }
  }
  return "?";
}

}  // namespace cables::storage
