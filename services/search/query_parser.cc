#include "services/search/query_parser.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/status_macros.h"
#include "services/ingest/parser/cable_id.h"

namespace cables::search {
namespace {

using storage::ParsedQuery;
using storage::QueryField;
using storage::QueryNode;
using Kind = QueryNode::Kind;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Ends a bare word.
bool IsDelimiter(char c) {
  return IsSpace(c) || c == '(' || c == ')' || c == '"';
}

// A letter or digit (any non-ASCII byte counts: UTF-8 letters).
bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool HasWordChar(absl::string_view s) {
  for (const char c : s) {
    if (IsWordChar(c)) return true;
  }
  return false;
}

enum class FieldKind { kNone, kField, kSubject, kCreated };

struct FieldName {
  FieldKind kind = FieldKind::kNone;
  QueryField field = QueryField::kTag;
};

FieldName LookupField(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "tag" || lower == "tags")
    return {FieldKind::kField, QueryField::kTag};
  if (lower == "origin") return {FieldKind::kField, QueryField::kOrigin};
  if (lower == "classification") {
    return {FieldKind::kField, QueryField::kClassification};
  }
  if (lower == "caveat") return {FieldKind::kField, QueryField::kCaveat};
  if (lower == "signer") return {FieldKind::kField, QueryField::kSigner};
  if (lower == "id") return {FieldKind::kField, QueryField::kId};
  if (lower == "cites") return {FieldKind::kField, QueryField::kCites};
  if (lower == "subject") return {FieldKind::kSubject, QueryField::kTag};
  if (lower == "created") return {FieldKind::kCreated, QueryField::kTag};
  return {};
}

// A date as written and the period it covers: [start, end).
struct DatePeriod {
  absl::Time start;
  absl::Time end;
};

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<QueryNode> ParseAll() {
    SkipSpace();
    if (AtEnd()) return QueryNode{};
    CABLES_ASSIGN_OR_RETURN(QueryNode root, ParseOr());
    SkipSpace();
    if (!AtEnd()) {
      if (Peek() == ')') return Error(pos_, "unmatched ')'");
      return Error(pos_, "unexpected text");
    }
    if (root.kind == Kind::kAnd && root.children.empty()) return QueryNode{};
    return root;
  }

 private:
  absl::Status Error(size_t at, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("syntax error at position ", at + 1, ": ", what));
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
  }

  // An upper-case operator keyword at pos_, followed by a delimiter.
  bool AtKeyword(absl::string_view keyword) const {
    if (text_.substr(pos_, keyword.size()) != keyword) return false;
    const size_t after = pos_ + keyword.size();
    return after >= text_.size() || IsDelimiter(text_[after]);
  }

  absl::Status Enter(size_t at) {
    if (++depth_ > kMaxQueryDepth) {
      return Error(at, absl::StrCat("nesting deeper than ", kMaxQueryDepth));
    }
    return absl::OkStatus();
  }

  absl::Status CountAtom(size_t at) {
    if (++atoms_ > kMaxQueryAtoms) {
      return Error(at, absl::StrCat("more than ", kMaxQueryAtoms, " terms"));
    }
    return absl::OkStatus();
  }

  static QueryNode Combine(Kind kind, std::vector<QueryNode> children,
                           size_t position) {
    if (children.size() == 1) return std::move(children[0]);
    QueryNode node;
    node.kind = kind;
    node.position = static_cast<int>(position);
    node.children = std::move(children);
    return node;
  }

  absl::StatusOr<QueryNode> ParseOr() {
    const size_t start = pos_;
    CABLES_RETURN_IF_ERROR(Enter(start));
    std::vector<QueryNode> alternatives;
    SkipSpace();
    if (!AtEnd() && AtKeyword("OR")) {
      return Error(pos_, "OR needs a term before it");
    }
    while (true) {
      CABLES_ASSIGN_OR_RETURN(QueryNode alternative, ParseAnd());
      if (alternative.kind != Kind::kAnd || !alternative.children.empty()) {
        alternatives.push_back(std::move(alternative));
      }
      SkipSpace();
      if (AtEnd() || !AtKeyword("OR")) break;
      const size_t or_at = pos_;
      pos_ += 2;
      SkipSpace();
      if (AtEnd() || Peek() == ')' || AtKeyword("OR")) {
        return Error(or_at, "OR needs a term after it");
      }
    }
    --depth_;
    if (alternatives.empty()) {
      QueryNode empty;
      empty.kind = Kind::kAnd;  // marker: nothing but ignorable words
      return empty;
    }
    return Combine(Kind::kOr, std::move(alternatives), start);
  }

  absl::StatusOr<QueryNode> ParseAnd() {
    const size_t start = pos_;
    std::vector<QueryNode> terms;
    while (true) {
      SkipSpace();
      if (AtEnd() || Peek() == ')' || AtKeyword("OR")) break;
      if (AtKeyword("AND")) {
        const size_t and_at = pos_;
        pos_ += 3;
        SkipSpace();
        if (terms.empty() || AtEnd() || Peek() == ')' || AtKeyword("OR") ||
            AtKeyword("AND")) {
          return Error(and_at, "AND needs a term on both sides");
        }
        continue;
      }
      CABLES_ASSIGN_OR_RETURN(std::optional<QueryNode> term, ParseUnary());
      if (term.has_value()) terms.push_back(*std::move(term));
    }
    if (terms.empty()) {
      QueryNode empty;
      empty.kind = Kind::kAnd;
      return empty;
    }
    return Combine(Kind::kAnd, std::move(terms), start);
  }

  // nullopt for an ignorable word (no letters or digits).
  absl::StatusOr<std::optional<QueryNode>> ParseUnary() {
    const size_t start = pos_;
    bool negate = false;
    if (Peek() == '-') {
      // A run of punctuation ("--", "-&") is an ignorable word.
      size_t end = pos_;
      while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
      const bool group_follows =
          end < text_.size() && end == pos_ + 1 && text_[end] != ')';
      if (!group_follows && end > pos_ + 1 &&
          !HasWordChar(text_.substr(pos_, end - pos_))) {
        pos_ = end;
        return std::optional<QueryNode>();
      }
      ++pos_;
      if (AtEnd() || IsSpace(Peek()) || Peek() == ')') {
        return Error(start, "'-' must be followed by a term");
      }
      negate = true;
    } else if (AtKeyword("NOT")) {
      pos_ += 3;
      SkipSpace();
      if (AtEnd() || Peek() == ')' || AtKeyword("OR") || AtKeyword("AND")) {
        return Error(start, "NOT must be followed by a term");
      }
      negate = true;
    }
    if (negate) {
      CABLES_RETURN_IF_ERROR(Enter(start));
      if (AtKeyword("NOT") || Peek() == '-') {
        return Error(pos_, "double negation");
      }
      CABLES_ASSIGN_OR_RETURN(std::optional<QueryNode> inner, ParseUnary());
      --depth_;
      if (!inner.has_value()) return Error(start, "nothing to exclude");
      QueryNode node;
      node.kind = Kind::kNot;
      node.position = static_cast<int>(start);
      node.children.push_back(*std::move(inner));
      return std::optional<QueryNode>(std::move(node));
    }
    return ParsePrimary();
  }

  absl::StatusOr<std::optional<QueryNode>> ParsePrimary() {
    const size_t start = pos_;
    if (Peek() == '(') {
      CABLES_ASSIGN_OR_RETURN(QueryNode group, ParseGroup());
      if (group.kind == Kind::kAnd && group.children.empty()) {
        return Error(start, "empty parentheses");
      }
      return std::optional<QueryNode>(std::move(group));
    }
    if (Peek() == '"') {
      CABLES_ASSIGN_OR_RETURN(std::string words, ParsePhraseText());
      if (!HasWordChar(words)) return std::optional<QueryNode>();
      CABLES_RETURN_IF_ERROR(CountAtom(start));
      return std::optional<QueryNode>(Phrase(std::move(words), start));
    }
    // A bare word, possibly "field:" or "created>=".
    size_t end = pos_;
    while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
    const absl::string_view word = text_.substr(pos_, end - pos_);
    const size_t name_end = word.find_first_of(":<>=");
    if (name_end != absl::string_view::npos && name_end > 0) {
      const FieldName field = LookupField(word.substr(0, name_end));
      if (field.kind != FieldKind::kNone) {
        CABLES_RETURN_IF_ERROR(CountAtom(start));
        pos_ += name_end;
        return ParseFieldValue(field, word.substr(0, name_end), start);
      }
    }
    pos_ = end;
    if (!HasWordChar(word)) return std::optional<QueryNode>();
    CABLES_RETURN_IF_ERROR(CountAtom(start));
    QueryNode node;
    node.kind = Kind::kTerm;
    node.position = static_cast<int>(start);
    node.text = std::string(word);
    if (word.size() > 1 && word.back() == '*') {
      node.text.pop_back();
      while (!node.text.empty() && node.text.back() == '*')
        node.text.pop_back();
      node.prefix = true;
      if (!HasWordChar(node.text)) {
        return Error(start,
                     "a prefix search needs letters or digits before '*'");
      }
    }
    return std::optional<QueryNode>(std::move(node));
  }

  static QueryNode Phrase(std::string words, size_t at) {
    QueryNode node;
    node.kind = Kind::kPhrase;
    node.position = static_cast<int>(at);
    node.text = std::move(words);
    return node;
  }

  // "(" or_expr ")" at pos_.
  absl::StatusOr<QueryNode> ParseGroup() {
    const size_t open = pos_;
    ++pos_;
    CABLES_ASSIGN_OR_RETURN(QueryNode inner, ParseOr());
    SkipSpace();
    if (AtEnd() || Peek() != ')') {
      return Error(
          AtEnd() ? text_.size() : pos_,
          absl::StrCat("expected ')' to close '(' at position ", open + 1));
    }
    ++pos_;
    return inner;
  }

  // '"' ... '"' at pos_; returns the text between the quotes.
  absl::StatusOr<std::string> ParsePhraseText() {
    const size_t open = pos_;
    const size_t close = text_.find('"', open + 1);
    if (close == absl::string_view::npos) {
      return Error(open, "unterminated phrase (missing closing '\"')");
    }
    pos_ = close + 1;
    return std::string(text_.substr(open + 1, close - open - 1));
  }

  // pos_ is just after the field name (at ':' or a comparison operator).
  absl::StatusOr<std::optional<QueryNode>> ParseFieldValue(
      const FieldName& field, absl::string_view name, size_t start) {
    if (field.kind == FieldKind::kCreated) return ParseCreated(start);
    if (Peek() != ':') {
      return Error(pos_, absl::StrCat("expected ':' after '", name, "'"));
    }
    ++pos_;
    const size_t value_at = pos_;
    if (AtEnd() || IsSpace(Peek()) || Peek() == ')') {
      return Error(value_at, absl::StrCat("'", name, ":' needs a value"));
    }
    QueryNode value;
    if (Peek() == '(') {
      CABLES_ASSIGN_OR_RETURN(value, ParseGroup());
      if (value.kind == Kind::kAnd && value.children.empty()) {
        return Error(value_at, "empty parentheses");
      }
    } else if (Peek() == '"') {
      CABLES_ASSIGN_OR_RETURN(std::string words, ParsePhraseText());
      if (!HasWordChar(words)) {
        return Error(value_at, absl::StrCat("'", name, ":' needs a value"));
      }
      value = Phrase(std::move(words), value_at);
    } else {
      size_t end = pos_;
      while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
      absl::string_view word = text_.substr(pos_, end - pos_);
      pos_ = end;
      value.kind = Kind::kTerm;
      value.position = static_cast<int>(value_at);
      if (word.size() > 1 && word.back() == '*') {
        value.prefix = true;
        word.remove_suffix(1);
      }
      if (!HasWordChar(word)) {
        return Error(value_at,
                     absl::StrCat("'", name, ":' needs letters or digits"));
      }
      value.text = std::string(word);
    }
    if (field.kind == FieldKind::kSubject) {
      CABLES_RETURN_IF_ERROR(CheckTextOnly(value, name));
      QueryNode node;
      node.kind = Kind::kSubject;
      node.position = static_cast<int>(start);
      node.children.push_back(std::move(value));
      return std::optional<QueryNode>(std::move(node));
    }
    CABLES_ASSIGN_OR_RETURN(QueryNode node,
                            ApplyField(value, field.field, name));
    if (node.kind == Kind::kField) node.position = static_cast<int>(start);
    return std::optional<QueryNode>(std::move(node));
  }

  absl::Status CheckTextOnly(const QueryNode& node, absl::string_view name) {
    switch (node.kind) {
      case Kind::kTerm:
      case Kind::kPhrase:
        return absl::OkStatus();
      case Kind::kAnd:
      case Kind::kOr:
      case Kind::kNot:
        for (const QueryNode& child : node.children) {
          CABLES_RETURN_IF_ERROR(CheckTextOnly(child, name));
        }
        return absl::OkStatus();
      default:
        return Error(node.position,
                     absl::StrCat("'", name,
                                  ":(...)' may hold only words, phrases, OR, "
                                  "NOT and parentheses"));
    }
  }

  // Turns the words and phrases of `value` into kField nodes.
  absl::StatusOr<QueryNode> ApplyField(const QueryNode& value, QueryField field,
                                       absl::string_view name) {
    switch (value.kind) {
      case Kind::kTerm:
      case Kind::kPhrase: {
        QueryNode node;
        node.kind = Kind::kField;
        node.field = field;
        // The start of "name:" (for a group: of the value).
        node.position = value.position - static_cast<int>(name.size()) - 1;
        node.prefix = value.prefix;
        node.text = value.text;
        if ((field == QueryField::kId || field == QueryField::kCites) &&
            !node.prefix) {
          auto canonical = parser::CanonicalizeCableId(value.text);
          if (canonical.ok()) node.text = *std::move(canonical);
        }
        return node;
      }
      case Kind::kAnd:
      case Kind::kOr:
      case Kind::kNot: {
        QueryNode node;
        node.kind = value.kind;
        node.position = value.position;
        for (const QueryNode& child : value.children) {
          CABLES_ASSIGN_OR_RETURN(QueryNode mapped,
                                  ApplyField(child, field, name));
          node.children.push_back(std::move(mapped));
        }
        return node;
      }
      default:
        return Error(value.position,
                     absl::StrCat("'", name,
                                  ":(...)' may hold only values, OR, NOT and "
                                  "parentheses"));
    }
  }

  // created:RANGE or created OP DATE; pos_ at ':' or the operator.
  absl::StatusOr<std::optional<QueryNode>> ParseCreated(size_t start) {
    QueryNode node;
    node.kind = Kind::kCreated;
    node.position = static_cast<int>(start);
    std::string op;
    while (!AtEnd() &&
           (Peek() == ':' || Peek() == '<' || Peek() == '>' || Peek() == '=')) {
      op.push_back(Peek());
      ++pos_;
    }
    const size_t value_at = pos_;
    size_t end = pos_;
    while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
    const absl::string_view value = text_.substr(pos_, end - pos_);
    pos_ = end;
    if (value.empty()) return Error(value_at, "'created' needs a date");
    if (op == ":") {
      const size_t dots = value.find("..");
      if (dots == absl::string_view::npos) {
        CABLES_ASSIGN_OR_RETURN(DatePeriod p, ParseDate(value, value_at));
        node.from = p.start;
        node.until = p.end;
      } else {
        const absl::string_view lo = value.substr(0, dots);
        const absl::string_view hi = value.substr(dots + 2);
        if (lo.empty() && hi.empty()) {
          return Error(value_at, "a date range needs at least one date");
        }
        if (!lo.empty()) {
          CABLES_ASSIGN_OR_RETURN(DatePeriod p, ParseDate(lo, value_at));
          node.from = p.start;
        }
        if (!hi.empty()) {
          CABLES_ASSIGN_OR_RETURN(DatePeriod p,
                                  ParseDate(hi, value_at + dots + 2));
          node.until = p.end;
        }
        if (node.from.has_value() && node.until.has_value() &&
            *node.from >= *node.until) {
          return Error(value_at, "the date range ends before it starts");
        }
      }
    } else {
      CABLES_ASSIGN_OR_RETURN(DatePeriod p, ParseDate(value, value_at));
      if (op == ">=") {
        node.from = p.start;
      } else if (op == ">") {
        node.from = p.end;
      } else if (op == "<=") {
        node.until = p.end;
      } else if (op == "<") {
        node.until = p.start;
      } else if (op == "=" || op == ":=") {
        node.from = p.start;
        node.until = p.end;
      } else {
        return Error(start + 7, absl::StrCat("unknown operator '", op,
                                             "' (use : >= > <= < =)"));
      }
    }
    return std::optional<QueryNode>(std::move(node));
  }

  // YYYY, YYYY-MM or YYYY-MM-DD.
  absl::StatusOr<DatePeriod> ParseDate(absl::string_view s, size_t at) const {
    int parts[3] = {0, 0, 0};
    int count = 0;
    size_t i = 0;
    while (count < 3) {
      const size_t begin = i;
      int value = 0;
      while (i < s.size() &&
             absl::ascii_isdigit(static_cast<unsigned char>(s[i])) &&
             i - begin < 4) {
        value = value * 10 + (s[i] - '0');
        ++i;
      }
      const size_t digits = i - begin;
      if ((count == 0 && digits != 4) ||
          (count > 0 && digits != 2 && digits != 1)) {
        return Error(at + begin, "expected a date YYYY, YYYY-MM or YYYY-MM-DD");
      }
      parts[count++] = value;
      if (i == s.size()) break;
      if (s[i] != '-' || count == 3) {
        return Error(at + i, "expected a date YYYY, YYYY-MM or YYYY-MM-DD");
      }
      ++i;
    }
    const int year = parts[0];
    if (year < 1900 || year > 2100) return Error(at, "year out of range");
    if (count >= 2 && (parts[1] < 1 || parts[1] > 12)) {
      return Error(at, "month out of range");
    }
    DatePeriod period;
    const absl::TimeZone utc = absl::UTCTimeZone();
    if (count == 1) {
      period.start = absl::FromCivil(absl::CivilYear(year), utc);
      period.end = absl::FromCivil(absl::CivilYear(year + 1), utc);
    } else if (count == 2) {
      const absl::CivilMonth m(year, parts[1]);
      period.start = absl::FromCivil(m, utc);
      period.end = absl::FromCivil(m + 1, utc);
    } else {
      const absl::CivilDay d(year, parts[1], parts[2]);
      if (d.month() != parts[1] || d.day() != parts[2]) {
        return Error(at, "no such day");
      }
      period.start = absl::FromCivil(d, utc);
      period.end = absl::FromCivil(d + 1, utc);
    }
    return period;
  }

  const absl::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;
  int atoms_ = 0;
};

}  // namespace

absl::StatusOr<ParsedQuery> ParseSearchQuery(absl::string_view text) {
  if (text.size() > kMaxQueryBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("syntax error at position ", kMaxQueryBytes + 1,
                     ": query longer than ", kMaxQueryBytes, " bytes"));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\0') {
      return absl::InvalidArgumentError(absl::StrCat(
          "syntax error at position ", i + 1, ": NUL byte in query"));
    }
  }
  Parser parser(text);
  ParsedQuery parsed;
  CABLES_ASSIGN_OR_RETURN(parsed.root, parser.ParseAll());
  // The whole query a cable id: pin it, and find the cables that cite it or
  // mention it, as written or in either usual form ("05 ALMATY 1595",
  // "05ALMATY1595"). Its words alone ("05", "almaty", "1595" anywhere in a
  // cable) say nothing about it.
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (!trimmed.empty() &&
      absl::ascii_isdigit(static_cast<unsigned char>(trimmed[0]))) {
    auto id = parser::ParseCableId(trimmed);
    if (id.ok()) {
      parsed.pinned_id = id->Canonical();
      QueryNode any;
      any.kind = Kind::kOr;
      const auto add = [&any](Kind kind, std::string form) {
        for (const QueryNode& seen : any.children) {
          if (absl::EqualsIgnoreCase(seen.text, form)) return;
        }
        QueryNode node;
        node.kind = kind;
        node.text = std::move(form);
        any.children.push_back(std::move(node));
      };
      add(Kind::kPhrase, std::string(trimmed));
      add(Kind::kPhrase,
          absl::StrCat(id->year % 100 < 10 ? "0" : "", id->year % 100, " ",
                       id->station, " ", id->serial));
      add(Kind::kTerm, parsed.pinned_id);
      // The cables whose references name it ("REF: A. BERLIN 1167").
      QueryNode cites;
      cites.kind = Kind::kField;
      cites.field = QueryField::kCites;
      cites.text = parsed.pinned_id;
      any.children.push_back(std::move(cites));
      parsed.root = std::move(any);
    }
  }
  return parsed;
}

}  // namespace cables::search
