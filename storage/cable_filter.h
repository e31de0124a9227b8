// CableFilter: which current cables a list, browse, facet or export call
// covers. A boolean expression (AND / OR / NOT over field conditions) plus
// the simple conjunctive fields older callers set; both must hold.
//
// Plain data; thread-compatible.
#ifndef CABLES_STORAGE_CABLE_FILTER_H_
#define CABLES_STORAGE_CABLE_FILTER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace cables::storage {

// One comparison of a cable field with a value.
struct FilterCondition {
  enum class Field {
    kOrigin,          // text
    kClassification,  // text; kHas = the marking or a marking it starts
                      //   ("SECRET" has "SECRET//NOFORN")
    kTag,             // text; kHas / kEquals = the cable has the tag
    kCaveat,          // text; as kTag
    kId,              // text; canonical id
    kCreated,         // time
    kReleased,        // time
    kPartial,         // flag
    kRedacted,        // flag
  };
  enum class Op {
    kEquals,     // text: exact; time: the same instant; flag: equal
    kNotEquals,  // negation of kEquals
    kHas,        // text: case-insensitive word/substring match (origin),
                 //   membership (tag, caveat), prefix marking
                 //   (classification), exact (id)
    kPrefix,     // text: starts with (case-insensitive for origin)
    kLess,
    kLessEqual,
    kGreater,
    kGreaterEqual,  // times only
  };
  Field field = Field::kOrigin;
  Op op = Op::kEquals;
  std::string text;
  absl::Time time;
  bool flag = false;
};

struct FilterExpr {
  enum class Kind { kAll, kCondition, kAnd, kOr, kNot };
  Kind kind = Kind::kAll;
  FilterCondition condition;        // kCondition
  std::vector<FilterExpr> children;  // kAnd, kOr (>= 1), kNot (exactly 1)
};

// Filters of ListCables / FacetCounts; empty fields do not filter. All given
// conditions must hold.
struct CableFilter {
  std::string origin;                       // exact, e.g. "Embassy Almaty"
  std::string classification;               // exact, e.g. "SECRET//NOFORN"
  std::vector<std::string> tags;            // cable has every one of them
  std::vector<std::string> caveats;         // cable has every one of them
  std::optional<absl::Time> created_from;   // inclusive
  std::optional<absl::Time> created_until;  // exclusive
  FilterExpr expr;                          // kAll = no condition
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_CABLE_FILTER_H_
