#include "storage/search/search_query.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
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
    case QueryField::kCites:
      return "cites";
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

std::string CompactId(absl::string_view value) {
  std::string id;
  for (const char c : value) {
    if (c != ' ' && c != '-' && c != '/' && c != '_') id.push_back(c);
  }
  return id;
}

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

std::string TruncateSnippet(std::string text) {
  if (text.size() <= kMaxSnippetBytes) return text;
  size_t cut = kMaxSnippetBytes;
  // Do not cut a UTF-8 sequence or a "[[...]]" mark in half.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  // The last mark opened before the cut, and the last one closed (its
  // "]]" wholly) before it.
  const size_t open = text.rfind("[[", cut);
  const size_t close = cut >= 2 ? text.rfind("]]", cut - 2) : std::string::npos;
  if (open != std::string::npos &&
      (close == std::string::npos || close < open)) {
    cut = open;
  }
  text.resize(cut);
  absl::StrAppend(&text, " ...");
  return text;
}

bool IsTextOnly(const QueryNode& node) {
  switch (node.kind) {
    case QueryNode::Kind::kTerm:
    case QueryNode::Kind::kPhrase:
      return true;
    case QueryNode::Kind::kAnd:
    case QueryNode::Kind::kOr:
    case QueryNode::Kind::kNot:
      for (const QueryNode& child : node.children) {
        if (!IsTextOnly(child)) return false;
      }
      return !node.children.empty();
    default:
      return false;
  }
}

std::string SuggestIdPrefix(absl::string_view text) {
  if (text.empty() ||
      !absl::ascii_isdigit(static_cast<unsigned char>(text[0]))) {
    return std::string();
  }
  std::string id_prefix;
  for (const char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      id_prefix.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    } else if (c != ' ' && c != '-' && c != '/') {
      return std::string();
    }
  }
  return id_prefix;
}

}  // namespace cables::storage
