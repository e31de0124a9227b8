#include "storage/filter_sql.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/common/status_macros.h"
#include "storage/pg_encoding.h"

namespace cables::storage {
namespace {

using Field = FilterCondition::Field;
using Op = FilterCondition::Op;

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", t, absl::UTCTimeZone());
}

// Escapes LIKE's metacharacters (the default escape character is '\').
std::string LikeEscaped(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c == '\\' || c == '%' || c == '_') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

class Compiler {
 public:
  explicit Compiler(int first_param) : next_(first_param) {}

  // Adds a parameter; returns its placeholder.
  std::string Param(std::string value) {
    out_.params.push_back(std::move(value));
    return absl::StrCat("$", next_++);
  }

  absl::StatusOr<std::string> Expr(const FilterExpr& e) {
    switch (e.kind) {
      case FilterExpr::Kind::kAll:
        return std::string("true");
      case FilterExpr::Kind::kCondition:
        return Condition(e.condition);
      case FilterExpr::Kind::kNot: {
        if (e.children.size() != 1) {
          return absl::InvalidArgumentError("NOT needs exactly one operand");
        }
        CABLES_ASSIGN_OR_RETURN(std::string inner, Expr(e.children[0]));
        return absl::StrCat("(NOT ", inner, ")");
      }
      case FilterExpr::Kind::kAnd:
      case FilterExpr::Kind::kOr: {
        if (e.children.empty()) {
          return absl::InvalidArgumentError("AND/OR needs operands");
        }
        std::vector<std::string> parts;
        for (const FilterExpr& child : e.children) {
          CABLES_ASSIGN_OR_RETURN(std::string part, Expr(child));
          parts.push_back(std::move(part));
        }
        return absl::StrCat(
            "(",
            absl::StrJoin(parts, e.kind == FilterExpr::Kind::kAnd ? " AND "
                                                                 : " OR "),
            ")");
      }
    }
    return absl::InvalidArgumentError("unknown filter node");
  }

  SqlFilter Take(std::string where) {
    out_.where = std::move(where);
    return std::move(out_);
  }

 private:
  static absl::Status Unsupported(absl::string_view field,
                                  absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " does not support ", what));
  }

  absl::StatusOr<std::string> Condition(const FilterCondition& c) {
    switch (c.field) {
      case Field::kOrigin:
        return Text("origin", "c.origin", c, /*case_insensitive=*/true);
      case Field::kClassification: {
        if (c.op == Op::kHas) {
          const std::string v = absl::AsciiStrToUpper(c.text);
          const std::string eq = Param(v);
          const std::string like = Param(absl::StrCat(LikeEscaped(v), "//%"));
          return absl::StrCat("(c.classification = ", eq,
                              " OR c.classification LIKE ", like, ")");
        }
        FilterCondition upper = c;
        upper.text = absl::AsciiStrToUpper(c.text);
        return Text("classification", "c.classification", upper, false);
      }
      case Field::kTag:
        return Member("tags", "c.tags", c);
      case Field::kCaveat:
        return Member("caveats", "c.caveats", c);
      case Field::kId: {
        FilterCondition upper = c;
        upper.text = absl::AsciiStrToUpper(c.text);
        if (upper.op == Op::kHas) upper.op = Op::kEquals;
        return Text("id", "c.canonical_id", upper, false);
      }
      case Field::kCreated:
        return Time("created", "c.created", c);
      case Field::kReleased:
        return Time("released", "c.released", c);
      case Field::kPartial:
      case Field::kRedacted: {
        const char* column =
            c.field == Field::kPartial ? "c.partial" : "c.redacted";
        if (c.op != Op::kEquals && c.op != Op::kNotEquals) {
          return Unsupported(column + 2, "this comparison");
        }
        return absl::StrCat("(", column, c.op == Op::kEquals ? " = " : " <> ",
                            Param(c.flag ? "true" : "false"), "::boolean)");
      }
    }
    return absl::InvalidArgumentError("unknown filter field");
  }

  absl::StatusOr<std::string> Text(absl::string_view name,
                                   absl::string_view column,
                                   const FilterCondition& c,
                                   bool case_insensitive) {
    const char* like = case_insensitive ? " ILIKE " : " LIKE ";
    switch (c.op) {
      case Op::kEquals:
        return absl::StrCat("(", column, " = ", Param(c.text), ")");
      case Op::kNotEquals:
        return absl::StrCat("(", column, " <> ", Param(c.text), ")");
      case Op::kHas:
        if (case_insensitive) {
          return absl::StrCat("(", column, like,
                              Param(absl::StrCat("%", LikeEscaped(c.text), "%")), ")");
        }
        return absl::StrCat("(", column, " = ", Param(c.text), ")");
      case Op::kPrefix:
        return absl::StrCat("(", column, like,
                            Param(absl::StrCat(LikeEscaped(c.text), "%")), ")");
      default:
        return Unsupported(name, "<, <=, > or >=");
    }
  }

  // Array membership; values match as written or upper-cased.
  absl::StatusOr<std::string> Member(absl::string_view name,
                                     absl::string_view column,
                                     const FilterCondition& c) {
    const std::string values = TextArrayLiteral(
        {c.text, absl::AsciiStrToUpper(c.text)});
    switch (c.op) {
      case Op::kEquals:
      case Op::kHas:
        return absl::StrCat("(", column, " && ", Param(values), "::text[])");
      case Op::kNotEquals:
        return absl::StrCat("(NOT ", column, " && ", Param(values),
                            "::text[])");
      case Op::kPrefix:
        return absl::StrCat("EXISTS (SELECT 1 FROM unnest(", column,
                            ") AS m(v) WHERE upper(m.v) LIKE ",
                            Param(absl::StrCat(
                                LikeEscaped(absl::AsciiStrToUpper(c.text)),
                                "%")),
                            ")");
      default:
        return Unsupported(name, "<, <=, > or >=");
    }
  }

  absl::StatusOr<std::string> Time(absl::string_view name,
                                   absl::string_view column,
                                   const FilterCondition& c) {
    const char* op = nullptr;
    switch (c.op) {
      case Op::kEquals:
        op = " = ";
        break;
      case Op::kNotEquals:
        op = " <> ";
        break;
      case Op::kLess:
        op = " < ";
        break;
      case Op::kLessEqual:
        op = " <= ";
        break;
      case Op::kGreater:
        op = " > ";
        break;
      case Op::kGreaterEqual:
        op = " >= ";
        break;
      default:
        return Unsupported(name, "this comparison");
    }
    return absl::StrCat("coalesce(", column, op, Param(TimeText(c.time)),
                        "::timestamptz, false)");
  }

  int next_;
  SqlFilter out_;
};

void AppendKey(const FilterExpr& e, std::string* out) {
  switch (e.kind) {
    case FilterExpr::Kind::kAll:
      out->append("*");
      return;
    case FilterExpr::Kind::kCondition: {
      const FilterCondition& c = e.condition;
      absl::StrAppend(out, "c", static_cast<int>(c.field), ",",
                      static_cast<int>(c.op), ",", c.text.size(), ":", c.text,
                      ",", absl::ToUnixMicros(c.time), ",", c.flag ? 1 : 0);
      return;
    }
    case FilterExpr::Kind::kAnd:
    case FilterExpr::Kind::kOr:
    case FilterExpr::Kind::kNot:
      absl::StrAppend(out, "(", static_cast<int>(e.kind));
      for (const FilterExpr& child : e.children) {
        out->append(" ");
        AppendKey(child, out);
      }
      out->append(")");
      return;
  }
}

}  // namespace

absl::StatusOr<SqlFilter> CompileCableFilter(const CableFilter& filter,
                                             int first_param) {
  Compiler compiler(first_param);
  std::vector<std::string> parts;
  if (!filter.origin.empty()) {
    parts.push_back(absl::StrCat("c.origin = ", compiler.Param(filter.origin)));
  }
  if (!filter.classification.empty()) {
    parts.push_back(absl::StrCat("c.classification = ",
                                 compiler.Param(filter.classification)));
  }
  if (!filter.tags.empty()) {
    parts.push_back(absl::StrCat(
        "c.tags @> ", compiler.Param(TextArrayLiteral(filter.tags)),
        "::text[]"));
  }
  if (!filter.caveats.empty()) {
    parts.push_back(absl::StrCat(
        "c.caveats @> ", compiler.Param(TextArrayLiteral(filter.caveats)),
        "::text[]"));
  }
  if (filter.created_from) {
    parts.push_back(absl::StrCat("c.sort_date >= ",
                                 compiler.Param(TimeText(*filter.created_from)),
                                 "::timestamptz"));
  }
  if (filter.created_until) {
    parts.push_back(absl::StrCat(
        "(c.created IS NOT NULL AND c.sort_date < ",
        compiler.Param(TimeText(*filter.created_until)), "::timestamptz)"));
  }
  if (filter.expr.kind != FilterExpr::Kind::kAll) {
    CABLES_ASSIGN_OR_RETURN(std::string expr, compiler.Expr(filter.expr));
    parts.push_back(std::move(expr));
  }
  if (parts.empty()) return compiler.Take("true");
  return compiler.Take(absl::StrCat("(", absl::StrJoin(parts, " AND "), ")"));
}

bool IsUnfiltered(const CableFilter& f) {
  return f.origin.empty() && f.classification.empty() && f.tags.empty() &&
         f.caveats.empty() && !f.created_from && !f.created_until &&
         f.expr.kind == FilterExpr::Kind::kAll;
}

std::string CableFilterKey(const CableFilter& f) {
  std::string key;
  absl::StrAppend(&key, f.origin.size(), ":", f.origin, "|",
                  f.classification.size(), ":", f.classification, "|",
                  TextArrayLiteral(f.tags), "|", TextArrayLiteral(f.caveats),
                  "|");
  absl::StrAppend(&key, f.created_from ? TimeText(*f.created_from) : "-", "|",
                  f.created_until ? TimeText(*f.created_until) : "-", "|");
  AppendKey(f.expr, &key);
  return key;
}

}  // namespace cables::storage
