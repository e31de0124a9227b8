#include "services/metadata/filter_parser.h"

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

namespace cables::metadata {
namespace {

using storage::CableFilter;
using storage::FilterCondition;
using storage::FilterExpr;
using Field = FilterCondition::Field;
using Op = FilterCondition::Op;

constexpr int kMaxDepth = 32;
constexpr int kMaxRestrictions = 200;

// A time value and the length of the period it names (a whole year, month
// or day; zero for an instant).
struct TimeValue {
  absl::Time start;
  absl::Time end;  // exclusive; == start for an instant
};

std::optional<TimeValue> ParseTimeValue(absl::string_view v) {
  const auto digits = [&](size_t from, size_t n) {
    if (v.size() < from + n) return false;
    for (size_t i = from; i < from + n; ++i) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(v[i]))) return false;
    }
    return true;
  };
  const auto num = [&](size_t from, size_t n) {
    int x = 0;
    for (size_t i = from; i < from + n; ++i) x = x * 10 + (v[i] - '0');
    return x;
  };
  const absl::TimeZone utc = absl::UTCTimeZone();
  if (v.size() == 4 && digits(0, 4)) {
    const absl::CivilYear y(num(0, 4));
    return TimeValue{absl::FromCivil(y, utc), absl::FromCivil(y + 1, utc)};
  }
  if (v.size() == 7 && digits(0, 4) && v[4] == '-' && digits(5, 2)) {
    const int m = num(5, 2);
    if (m < 1 || m > 12) return std::nullopt;
    const absl::CivilMonth cm(num(0, 4), m);
    return TimeValue{absl::FromCivil(cm, utc), absl::FromCivil(cm + 1, utc)};
  }
  if (v.size() == 10 && digits(0, 4) && v[4] == '-' && digits(5, 2) &&
      v[7] == '-' && digits(8, 2)) {
    const absl::CivilDay d(num(0, 4), num(5, 2), num(8, 2));
    // CivilDay normalises 2005-02-30; refuse that instead.
    if (d.month() != num(5, 2) || d.day() != num(8, 2)) return std::nullopt;
    return TimeValue{absl::FromCivil(d, utc), absl::FromCivil(d + 1, utc)};
  }
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, std::string(v), &t, &err)) {
    return TimeValue{t, t};
  }
  return std::nullopt;
}

FilterExpr Leaf(FilterCondition c) {
  FilterExpr e;
  e.kind = FilterExpr::Kind::kCondition;
  e.condition = std::move(c);
  return e;
}

FilterExpr Node(FilterExpr::Kind kind, std::vector<FilterExpr> children) {
  if (children.size() == 1 && kind != FilterExpr::Kind::kNot) {
    return std::move(children[0]);
  }
  FilterExpr e;
  e.kind = kind;
  e.children = std::move(children);
  return e;
}

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<CableFilter> Parse() {
    CableFilter out;
    if (AtEnd()) return out;
    CABLES_ASSIGN_OR_RETURN(out.expr, Expression(0));
    if (!AtEnd()) return Error(pos_, "unexpected text; expected AND, OR or )");
    return out;
  }

 private:
  absl::Status Error(size_t at, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("filter: at position ", at + 1, ": ", what));
  }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }
  bool Peek(char c) {
    SkipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }

  static bool WordChar(unsigned char c) {
    return absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '.' ||
           c == '+' || c == '*' || c == '/' || c >= 0x80;
  }

  // The keyword `kw` as a whole word at the current position (not consumed).
  bool PeekKeyword(absl::string_view kw) {
    SkipSpace();
    if (!absl::StartsWith(text_.substr(pos_), kw)) return false;
    const size_t end = pos_ + kw.size();
    return end >= text_.size() ||
           !WordChar(static_cast<unsigned char>(text_[end]));
  }

  std::string Word() {
    SkipSpace();
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           WordChar(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  absl::StatusOr<FilterExpr> Expression(int depth) {
    if (depth > kMaxDepth) {
      return Error(pos_, absl::StrCat("nested deeper than ", kMaxDepth));
    }
    std::vector<FilterExpr> parts;
    CABLES_ASSIGN_OR_RETURN(FilterExpr first, Sequence(depth));
    parts.push_back(std::move(first));
    while (PeekKeyword("AND")) {
      pos_ += 3;
      if (AtEnd() || Peek(')')) return Error(pos_, "expected a term after AND");
      CABLES_ASSIGN_OR_RETURN(FilterExpr next, Sequence(depth));
      parts.push_back(std::move(next));
    }
    return Node(FilterExpr::Kind::kAnd, std::move(parts));
  }

  absl::StatusOr<FilterExpr> Sequence(int depth) {
    std::vector<FilterExpr> parts;
    CABLES_ASSIGN_OR_RETURN(FilterExpr first, Factor(depth));
    parts.push_back(std::move(first));
    while (!AtEnd() && !Peek(')') && !PeekKeyword("AND")) {
      CABLES_ASSIGN_OR_RETURN(FilterExpr next, Factor(depth));
      parts.push_back(std::move(next));
    }
    return Node(FilterExpr::Kind::kAnd, std::move(parts));
  }

  absl::StatusOr<FilterExpr> Factor(int depth) {
    std::vector<FilterExpr> parts;
    CABLES_ASSIGN_OR_RETURN(FilterExpr first, Term(depth));
    parts.push_back(std::move(first));
    while (PeekKeyword("OR")) {
      pos_ += 2;
      if (AtEnd() || Peek(')')) return Error(pos_, "expected a term after OR");
      CABLES_ASSIGN_OR_RETURN(FilterExpr next, Term(depth));
      parts.push_back(std::move(next));
    }
    return Node(FilterExpr::Kind::kOr, std::move(parts));
  }

  absl::StatusOr<FilterExpr> Term(int depth) {
    SkipSpace();
    bool negate = false;
    if (PeekKeyword("NOT")) {
      pos_ += 3;
      negate = true;
    } else if (Peek('-')) {
      ++pos_;
      negate = true;
    }
    if (AtEnd()) return Error(pos_, "expected a term");
    FilterExpr inner;
    if (Peek('(')) {
      const size_t open = pos_++;
      if (Peek(')')) return Error(pos_, "empty parentheses");
      CABLES_ASSIGN_OR_RETURN(inner, Expression(depth + 1));
      if (!Peek(')')) return Error(open, "unclosed (");
      ++pos_;
    } else {
      CABLES_ASSIGN_OR_RETURN(inner, Restriction());
    }
    if (!negate) return inner;
    return Node(FilterExpr::Kind::kNot, {std::move(inner)});
  }

  absl::StatusOr<Op> Operator() {
    SkipSpace();
    const size_t at = pos_;
    const auto next = [&](char c) {
      return pos_ + 1 < text_.size() && text_[pos_ + 1] == c;
    };
    if (pos_ < text_.size()) {
      switch (text_[pos_]) {
        case '=':
          ++pos_;
          return Op::kEquals;
        case ':':
          ++pos_;
          return Op::kHas;
        case '!':
          if (next('=')) {
            pos_ += 2;
            return Op::kNotEquals;
          }
          break;
        case '>':
          if (next('=')) {
            pos_ += 2;
            return Op::kGreaterEqual;
          }
          ++pos_;
          return Op::kGreater;
        case '<':
          if (next('=')) {
            pos_ += 2;
            return Op::kLessEqual;
          }
          ++pos_;
          return Op::kLess;
        default:
          break;
      }
    }
    return Error(at, "expected an operator (=, !=, :, <, <=, >, >=)");
  }

  // The value and whether it ended in an unquoted or quoted '*'.
  absl::StatusOr<std::string> Value() {
    SkipSpace();
    const size_t at = pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ++pos_;
      std::string out;
      while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
        out.push_back(text_[pos_++]);
      }
      if (pos_ >= text_.size()) return Error(at, "unterminated string");
      ++pos_;
      return out;
    }
    std::string word = Word();
    if (word.empty()) return Error(at, "expected a value");
    return word;
  }

  absl::StatusOr<FilterExpr> Restriction() {
    if (++restrictions_ > kMaxRestrictions) {
      return Error(
          pos_, absl::StrCat("more than ", kMaxRestrictions, " restrictions"));
    }
    const size_t field_at = pos_;
    const std::string name = Word();
    if (name.empty()) return Error(field_at, "expected a field name");
    std::optional<Field> field;
    if (name == "origin") field = Field::kOrigin;
    if (name == "classification") field = Field::kClassification;
    if (name == "tags" || name == "tag") field = Field::kTag;
    if (name == "caveats" || name == "caveat") field = Field::kCaveat;
    if (name == "id") field = Field::kId;
    if (name == "created") field = Field::kCreated;
    if (name == "released") field = Field::kReleased;
    if (name == "partial") field = Field::kPartial;
    if (name == "redacted") field = Field::kRedacted;
    if (!field) {
      return Error(field_at,
                   absl::StrCat("unknown field \"", name,
                                "\" (origin, classification, tags, caveats, "
                                "id, created, released, partial, redacted)"));
    }
    FilterCondition c;
    c.field = *field;
    const bool is_flag =
        c.field == Field::kPartial || c.field == Field::kRedacted;
    SkipSpace();
    if (is_flag &&
        (AtEnd() || Peek(')') ||
         (text_[pos_] != '=' && text_[pos_] != '!' && text_[pos_] != ':'))) {
      c.op = Op::kEquals;  // "partial" alone
      c.flag = true;
      return Leaf(std::move(c));
    }
    const size_t op_at = pos_;
    CABLES_ASSIGN_OR_RETURN(c.op, Operator());
    const size_t value_at = pos_;
    CABLES_ASSIGN_OR_RETURN(std::string value, Value());
    if (is_flag) {
      if (c.op == Op::kHas) c.op = Op::kEquals;
      if (c.op != Op::kEquals && c.op != Op::kNotEquals) {
        return Error(op_at, absl::StrCat(name, " takes = or !="));
      }
      const std::string v = absl::AsciiStrToLower(value);
      if (v != "true" && v != "false") {
        return Error(value_at, absl::StrCat(name, " is true or false"));
      }
      c.flag = v == "true";
      return Leaf(std::move(c));
    }
    if (c.field == Field::kCreated || c.field == Field::kReleased) {
      return TimeRestriction(name, c, value, op_at, value_at);
    }
    // Text fields.
    if (c.op == Op::kLess || c.op == Op::kLessEqual || c.op == Op::kGreater ||
        c.op == Op::kGreaterEqual) {
      return Error(op_at, absl::StrCat(name, " takes =, != or :"));
    }
    if (absl::EndsWith(value, "*") &&
        (c.op == Op::kEquals || c.op == Op::kHas)) {
      value.pop_back();
      c.op = Op::kPrefix;
    }
    if (value.empty()) return Error(value_at, "empty value");
    c.text = std::move(value);
    return Leaf(std::move(c));
  }

  absl::StatusOr<FilterExpr> TimeRestriction(absl::string_view name,
                                             FilterCondition c,
                                             absl::string_view value,
                                             size_t op_at, size_t value_at) {
    if (c.op == Op::kHas) {
      return Error(op_at, absl::StrCat(name, " takes a comparison"));
    }
    const std::optional<TimeValue> t = ParseTimeValue(value);
    if (!t) {
      return Error(value_at,
                   absl::StrCat(name,
                                " needs YYYY, YYYY-MM, \"YYYY-MM-DD\" or an "
                                "RFC 3339 time"));
    }
    const auto cmp = [&](Op op, absl::Time at) {
      FilterCondition x = c;
      x.op = op;
      x.time = at;
      return Leaf(std::move(x));
    };
    if (t->end == t->start) return cmp(c.op, t->start);
    // A period: compare with its bounds.
    switch (c.op) {
      case Op::kEquals:
        return Node(FilterExpr::Kind::kAnd,
                    {cmp(Op::kGreaterEqual, t->start), cmp(Op::kLess, t->end)});
      case Op::kNotEquals:
        return Node(
            FilterExpr::Kind::kNot,
            {Node(FilterExpr::Kind::kAnd,
                  {cmp(Op::kGreaterEqual, t->start), cmp(Op::kLess, t->end)})});
      case Op::kGreaterEqual:
        return cmp(Op::kGreaterEqual, t->start);
      case Op::kGreater:
        return cmp(Op::kGreaterEqual, t->end);
      case Op::kLess:
        return cmp(Op::kLess, t->start);
      case Op::kLessEqual:
        return cmp(Op::kLess, t->end);
      default:
        return Error(op_at, absl::StrCat(name, " takes a comparison"));
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int restrictions_ = 0;
};

}  // namespace

absl::StatusOr<storage::CableFilter> ParseCableFilter(
    absl::string_view filter) {
  return Parser(filter).Parse();
}

}  // namespace cables::metadata
