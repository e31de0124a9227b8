#include "storage/search/search_planner.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/common/status_macros.h"

namespace cables::storage {
namespace {

using Kind = QueryNode::Kind;

bool ContainsNot(const QueryNode& node) {
  if (node.kind == Kind::kNot) return true;
  for (const QueryNode& child : node.children) {
    if (ContainsNot(child)) return true;
  }
  return false;
}

// Lower-case letters and digits only (safe inside tsquery syntax).
absl::StatusOr<std::string> PrefixLexeme(const QueryNode& node) {
  std::string out;
  for (const char c : node.text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("position ", node.position + 1,
                     ": a prefix search needs letters or digits before '*'"));
  }
  return out;
}

// Formats a time for a timestamptz parameter.
std::string TimeParam(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", t, absl::UTCTimeZone());
}

class Planner {
 public:
  absl::StatusOr<SqlPlan> Plan(const QueryNode& root) {
    SqlPlan plan;
    CABLES_ASSIGN_OR_RETURN(plan.where, Where(root));
    CABLES_ASSIGN_OR_RETURN(plan.rank_tsquery, Positive(root));
    std::vector<std::string> atoms;
    CABLES_RETURN_IF_ERROR(PositiveAtoms(root, false, &atoms));
    if (!atoms.empty()) {
      plan.highlight_tsquery =
          atoms.size() == 1
              ? atoms[0]
              : absl::StrCat("(", absl::StrJoin(atoms, " || "), ")");
    }
    plan.params = std::move(params_);
    std::string key = absl::StrCat(plan.where, "\n", plan.rank_tsquery);
    for (const std::string& p : plan.params) {
      absl::StrAppend(&key, "\n", p.size(), ":", p);
    }
    plan.fingerprint = Fingerprint64(key);
    return plan;
  }

 private:
  std::string Param(std::string value) {
    params_.push_back(std::move(value));
    return absl::StrCat("$", params_.size());
  }

  // tsquery expression of a text-only subtree. Each atom gets its
  // parameter once (the WHERE, rank and highlight expressions share it).
  absl::StatusOr<std::string> TsQuery(const QueryNode& node) {
    if (node.kind == Kind::kTerm || node.kind == Kind::kPhrase) {
      auto it = atoms_.find(&node);
      if (it != atoms_.end()) return it->second;
      CABLES_ASSIGN_OR_RETURN(std::string sql, AtomTsQuery(node));
      atoms_.emplace(&node, sql);
      return sql;
    }
    return AtomTsQuery(node);
  }

  absl::StatusOr<std::string> AtomTsQuery(const QueryNode& node) {
    switch (node.kind) {
      case Kind::kTerm:
        if (node.prefix) {
          CABLES_ASSIGN_OR_RETURN(std::string lexeme, PrefixLexeme(node));
          return absl::StrCat("to_tsquery('english', ",
                              Param(absl::StrCat(lexeme, ":*")), ")");
        }
        return absl::StrCat("plainto_tsquery('english', ", Param(node.text),
                            ")");
      case Kind::kPhrase:
        return absl::StrCat("phraseto_tsquery('english', ", Param(node.text),
                            ")");
      case Kind::kNot: {
        CABLES_ASSIGN_OR_RETURN(std::string inner, TsQuery(node.children[0]));
        return absl::StrCat("(!! ", inner, ")");
      }
      case Kind::kAnd:
      case Kind::kOr: {
        std::vector<std::string> parts;
        for (const QueryNode& child : node.children) {
          CABLES_ASSIGN_OR_RETURN(std::string part, TsQuery(child));
          parts.push_back(std::move(part));
        }
        if (parts.size() == 1) return parts[0];
        return absl::StrCat(
            "(",
            absl::StrJoin(parts, node.kind == Kind::kAnd ? " && " : " || "),
            ")");
      }
      default:
        return absl::InvalidArgumentError("not a text expression");
    }
  }

  // Boolean SQL expression of any subtree.
  absl::StatusOr<std::string> Where(const QueryNode& node) {
    if (IsTextOnly(node)) {
      CABLES_ASSIGN_OR_RETURN(std::string q, TsQuery(node));
      return absl::StrCat("c.search @@ ", q);
    }
    switch (node.kind) {
      case Kind::kAll:
        return std::string("TRUE");
      case Kind::kNot: {
        if (node.children.size() != 1) {
          return absl::InvalidArgumentError("NOT needs one operand");
        }
        CABLES_ASSIGN_OR_RETURN(std::string inner, Where(node.children[0]));
        return absl::StrCat("NOT (", inner, ")");
      }
      case Kind::kAnd:
      case Kind::kOr: {
        if (node.children.empty()) {
          return absl::InvalidArgumentError("empty AND/OR");
        }
        const bool is_and = node.kind == Kind::kAnd;
        // Text children fold into one tsquery test (one index probe).
        std::vector<std::string> text_parts;
        for (const QueryNode& child : node.children) {
          if (!IsTextOnly(child)) continue;
          CABLES_ASSIGN_OR_RETURN(std::string q, TsQuery(child));
          text_parts.push_back(std::move(q));
        }
        std::vector<std::string> parts;
        if (text_parts.size() == 1) {
          parts.push_back(absl::StrCat("c.search @@ ", text_parts[0]));
        } else if (!text_parts.empty()) {
          parts.push_back(absl::StrCat(
              "c.search @@ (",
              absl::StrJoin(text_parts, is_and ? " && " : " || "), ")"));
        }
        for (const QueryNode& child : node.children) {
          if (IsTextOnly(child)) continue;
          CABLES_ASSIGN_OR_RETURN(std::string part, Where(child));
          parts.push_back(absl::StrCat("(", part, ")"));
        }
        return absl::StrJoin(parts, is_and ? " AND " : " OR ");
      }
      case Kind::kSubject: {
        if (node.children.size() != 1 || !IsTextOnly(node.children[0])) {
          return absl::InvalidArgumentError(absl::StrCat(
              "position ", node.position + 1,
              ": subject:(...) may hold only words, phrases, OR and NOT"));
        }
        CABLES_ASSIGN_OR_RETURN(std::string q, TsQuery(node.children[0]));
        std::string subject_test =
            absl::StrCat("to_tsvector('english', c.subject) @@ ", q);
        if (ContainsNot(node.children[0])) return subject_test;
        // A positive subject match is also a match of the whole vector:
        // test that first, so the index narrows the rows.
        CABLES_ASSIGN_OR_RETURN(std::string q2, TsQuery(node.children[0]));
        return absl::StrCat("c.search @@ ", q2, " AND ", subject_test);
      }
      case Kind::kField:
        return Field(node);
      case Kind::kCreated: {
        std::vector<std::string> parts;
        if (node.from.has_value()) {
          parts.push_back(absl::StrCat(
              "c.created >= ", Param(TimeParam(*node.from)), "::timestamptz"));
        }
        if (node.until.has_value()) {
          parts.push_back(absl::StrCat(
              "c.created < ", Param(TimeParam(*node.until)), "::timestamptz"));
        }
        if (parts.empty()) return std::string("c.created IS NOT NULL");
        return absl::StrJoin(parts, " AND ");
      }
      default:
        return absl::InvalidArgumentError("unexpected query node");
    }
  }

  absl::StatusOr<std::string> Field(const QueryNode& node) {
    const std::string upper = absl::AsciiStrToUpper(node.text);
    switch (node.field) {
      case QueryField::kTag:
        if (node.prefix) {
          return absl::StrCat(
              "EXISTS (SELECT 1 FROM unnest(c.tags) t WHERE starts_with(t, ",
              Param(upper), "))");
        }
        return absl::StrCat("c.tags @> ARRAY[", Param(upper), "]::text[]");
      case QueryField::kCaveat:
        if (node.prefix) {
          return absl::StrCat(
              "EXISTS (SELECT 1 FROM unnest(c.caveats) v WHERE starts_with(v, ",
              Param(upper), "))");
        }
        return absl::StrCat("c.caveats @> ARRAY[", Param(upper), "]::text[]");
      case QueryField::kOrigin:
        return absl::StrCat(
            "c.origin IN (SELECT o.name FROM origins o WHERE "
            "to_tsvector('simple', o.name) @@ ",
            WordsQuery(node), ")");
      case QueryField::kSigner:
        return absl::StrCat(
            "EXISTS (SELECT 1 FROM unnest(c.signers) s WHERE "
            "to_tsvector('simple', s) @@ ",
            WordsQuery(node), ")");
      case QueryField::kClassification:
        if (node.prefix) {
          return absl::StrCat(
              "c.classification IN (SELECT k.name FROM classifications k "
              "WHERE starts_with(upper(k.name), ",
              Param(upper), "))");
        }
        {
          const std::string p = Param(upper);
          return absl::StrCat(
              "c.classification IN (SELECT k.name FROM classifications k "
              "WHERE upper(k.name) = ",
              p, " OR split_part(upper(k.name), '//', 1) = ", p, ")");
        }
      case QueryField::kCites: {
        // The citing ids as an array computed once (an InitPlan): an OR
        // with text conditions (an id query) stays a BitmapOr of index
        // scans; a correlated EXISTS made it a scan of every cable (4 s
        // against 0.1 s on the full release).
        const std::string id = CompactId(upper);
        std::string cited;
        if (!node.prefix) {
          cited = absl::StrCat("r.cited_id = ", Param(id));
        } else if (id.empty()) {
          cited = "r.cited_id <> ''";
        } else {
          cited = PrefixRange("r.cited_id", id);
        }
        return absl::StrCat(
            "c.canonical_id = ANY(ARRAY(SELECT r.citing_id FROM "
            "cable_references r WHERE ",
            cited, " AND r.citing_id <> r.cited_id))");
      }
      case QueryField::kId: {
        const std::string id = CompactId(upper);
        if (!node.prefix) return absl::StrCat("c.canonical_id = ", Param(id));
        if (id.empty()) return std::string("TRUE");
        return PrefixRange("c.canonical_id", id);
      }
    }
    return absl::InvalidArgumentError("unknown field");
  }

  // `column` starts with the non-empty `prefix`: [prefix, prefix with its
  // last byte incremented), a range a btree index answers (the database
  // collation orders ASCII bytewise).
  std::string PrefixRange(absl::string_view column, const std::string& prefix) {
    std::string upper_bound = prefix;
    upper_bound.back() = static_cast<char>(upper_bound.back() + 1);
    const std::string lo = Param(prefix);
    const std::string hi = Param(std::move(upper_bound));
    return absl::StrCat(column, " >= ", lo, " AND ", column, " < ", hi);
  }

  // 'simple' tsquery of a field value's words (a prefix on the last one).
  std::string WordsQuery(const QueryNode& node) {
    if (node.prefix) {
      std::string lexeme;
      for (const char c : node.text) {
        if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
          lexeme.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
        }
      }
      return absl::StrCat("to_tsquery('simple', ",
                          Param(absl::StrCat(lexeme, ":*")), ")");
    }
    return absl::StrCat("phraseto_tsquery('simple', ", Param(node.text), ")");
  }

  // The tsquery of the positive text of `node` (structure kept, negations
  // and fields dropped); "" when none.
  absl::StatusOr<std::string> Positive(const QueryNode& node) {
    switch (node.kind) {
      case Kind::kTerm:
      case Kind::kPhrase:
        return TsQuery(node);
      case Kind::kSubject:
        if (node.children.size() != 1) return std::string();
        return Positive(node.children[0]);
      case Kind::kAnd:
      case Kind::kOr: {
        std::vector<std::string> parts;
        for (const QueryNode& child : node.children) {
          CABLES_ASSIGN_OR_RETURN(std::string part, Positive(child));
          if (!part.empty()) parts.push_back(std::move(part));
        }
        if (parts.empty()) return std::string();
        if (parts.size() == 1) return parts[0];
        return absl::StrCat(
            "(",
            absl::StrJoin(parts, node.kind == Kind::kAnd ? " && " : " || "),
            ")");
      }
      default:
        return std::string();
    }
  }

  absl::Status PositiveAtoms(const QueryNode& node, bool negated,
                             std::vector<std::string>* out) {
    switch (node.kind) {
      case Kind::kTerm:
      case Kind::kPhrase:
        if (!negated) {
          CABLES_ASSIGN_OR_RETURN(std::string q, TsQuery(node));
          out->push_back(std::move(q));
        }
        return absl::OkStatus();
      case Kind::kNot:
        for (const QueryNode& child : node.children) {
          CABLES_RETURN_IF_ERROR(PositiveAtoms(child, !negated, out));
        }
        return absl::OkStatus();
      case Kind::kAnd:
      case Kind::kOr:
      case Kind::kSubject:
        for (const QueryNode& child : node.children) {
          CABLES_RETURN_IF_ERROR(PositiveAtoms(child, negated, out));
        }
        return absl::OkStatus();
      default:
        return absl::OkStatus();
    }
  }

  std::vector<std::string> params_;
  absl::flat_hash_map<const QueryNode*, std::string> atoms_;
};

}  // namespace

absl::StatusOr<SqlPlan> PlanQuery(const QueryNode& root) {
  Planner planner;
  return planner.Plan(root);
}

uint64_t Fingerprint64(const std::string& data, uint64_t seed) {
  uint64_t h = 14695981039346656037ULL ^ seed;
  for (const unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace cables::storage
