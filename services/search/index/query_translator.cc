#include "services/search/index/query_translator.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/search/index/cable_document.h"

namespace cables::search::index {
namespace {

using Kind = storage::QueryNode::Kind;
using storage::QueryField;
using storage::QueryNode;
using Q = Xapian::Query;

// nullopt: the operand drops out (stop words only).
using MaybeQuery = std::optional<Q>;

absl::Status Invalid(const QueryNode& node, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("position ", node.position + 1, ": ", what));
}

// Field qualifiers, dates and groups of them: they filter, never weigh.
bool IsFilterOnly(const QueryNode& node) {
  switch (node.kind) {
    case Kind::kField:
    case Kind::kCreated:
    case Kind::kAll:
      return true;
    case Kind::kAnd:
    case Kind::kOr:
    case Kind::kNot:
      for (const QueryNode& child : node.children) {
        if (!IsFilterOnly(child)) return false;
      }
      return true;
    default:
      return false;
  }
}

Q Wildcard(const std::string& pattern) {
  return Q(Q::OP_WILDCARD, pattern, kMaxWildcardTerms,
           Q::WILDCARD_LIMIT_MOST_FREQUENT);
}

// The stem of a prefix word that its wildcard must also try: "" when the
// stem is the word or extends it, or is too short.
std::string WildcardStem(const std::string& word, TextAnalyzer& analyzer) {
  std::string stem = analyzer.Stem(word);
  if (stem.size() < 2 || stem == word || absl::StartsWith(stem, word)) {
    return "";
  }
  return stem;
}

Q Combine(Q::op op, std::vector<Q>& parts) {
  if (parts.size() == 1) return parts[0];
  return Q(op, parts.begin(), parts.end());
}

class Translator {
 public:
  explicit Translator(TextAnalyzer& analyzer) : analyzer_(analyzer) {}

  absl::StatusOr<TranslatedQuery> Run(const QueryNode& root) {
    TranslatedQuery out;
    CABLES_ASSIGN_OR_RETURN(MaybeQuery match, Translate(root, "", false));
    out.match = match.has_value() ? *std::move(match) : Q::MatchNothing;
    if (!boost_.empty()) out.boost = Combine(Q::OP_OR, boost_);
    out.has_positive_text = has_positive_;
    std::sort(lexemes_.begin(), lexemes_.end());
    lexemes_.erase(std::unique(lexemes_.begin(), lexemes_.end()),
                   lexemes_.end());
    out.highlight_lexemes = std::move(lexemes_);
    out.highlight_prefixes = std::move(prefixes_);
    return out;
  }

 private:
  // `prefix`: "" for text, "S" inside subject:(...). `negated`: under an odd
  // number of NOTs (no highlight, no boost).
  absl::StatusOr<MaybeQuery> Translate(const QueryNode& node,
                                       absl::string_view prefix, bool negated) {
    switch (node.kind) {
      case Kind::kAll:
        return MaybeQuery(Q::MatchAll);
      case Kind::kTerm:
        if (node.prefix) return Prefix(node, prefix, negated);
        return Words(node, prefix, negated);
      case Kind::kPhrase:
        return Words(node, prefix, negated);
      case Kind::kNot: {
        if (node.children.size() != 1) {
          return Invalid(node, "NOT needs one operand");
        }
        CABLES_ASSIGN_OR_RETURN(MaybeQuery inner,
                                Translate(node.children[0], prefix, !negated));
        if (!inner.has_value()) return MaybeQuery();
        return MaybeQuery(Q(Q::OP_AND_NOT, Q::MatchAll, *inner));
      }
      case Kind::kAnd:
        return And(node, prefix, negated);
      case Kind::kOr: {
        if (node.children.empty()) return Invalid(node, "empty OR");
        std::vector<Q> parts;
        for (const QueryNode& child : node.children) {
          CABLES_ASSIGN_OR_RETURN(MaybeQuery q,
                                  Translate(child, prefix, negated));
          if (q.has_value()) parts.push_back(*std::move(q));
        }
        if (parts.empty()) return MaybeQuery();
        return MaybeQuery(Combine(Q::OP_OR, parts));
      }
      case Kind::kSubject:
        if (node.children.size() != 1 ||
            !storage::IsTextOnly(node.children[0])) {
          return Invalid(node,
                         "subject:(...) may hold only words, phrases, OR and "
                         "NOT");
        }
        return Translate(node.children[0], kSubjectPrefix, negated);
      case Kind::kField:
        return Field(node);
      case Kind::kCreated:
        return MaybeQuery(Created(node));
    }
    return Invalid(node, "unexpected query node");
  }

  absl::StatusOr<MaybeQuery> And(const QueryNode& node,
                                 absl::string_view prefix, bool negated) {
    if (node.children.empty()) return Invalid(node, "empty AND");
    std::vector<Q> weighted;
    std::vector<Q> filters;
    std::vector<Q> excluded;
    for (const QueryNode& child : node.children) {
      if (child.kind == Kind::kNot && child.children.size() == 1) {
        CABLES_ASSIGN_OR_RETURN(MaybeQuery q,
                                Translate(child.children[0], prefix, !negated));
        if (q.has_value()) excluded.push_back(*std::move(q));
        continue;
      }
      CABLES_ASSIGN_OR_RETURN(MaybeQuery q, Translate(child, prefix, negated));
      if (!q.has_value()) continue;
      (IsFilterOnly(child) ? filters : weighted).push_back(*std::move(q));
    }
    if (weighted.empty() && filters.empty() && excluded.empty()) {
      return MaybeQuery();
    }
    Q q = !weighted.empty()  ? Combine(Q::OP_AND, weighted)
          : !filters.empty() ? Combine(Q::OP_AND, filters)
                             : Q::MatchAll;
    if (!weighted.empty() && !filters.empty()) {
      q = Q(Q::OP_FILTER, q, Combine(Q::OP_AND, filters));
    }
    if (!excluded.empty()) {
      q = Q(Q::OP_AND_NOT, q, Combine(Q::OP_OR, excluded));
    }
    return MaybeQuery(std::move(q));
  }

  // A word (possibly several: "al-qaida") or a phrase. Stop words between
  // the first and the last lexeme hold their place (kStopWordTerm), as in
  // PostgreSQL's phraseto_tsquery ("end of summary" = end <2> summari).
  // Three adjacent lexemes of TripleTerm's shape ("10 KABUL 5") are its
  // one term, which the index holds for every such triple in the text.
  absl::StatusOr<MaybeQuery> Words(const QueryNode& node,
                                   absl::string_view prefix, bool negated) {
    std::vector<Q> terms;
    std::vector<std::string> lexeme_texts;
    size_t lexemes = 0;
    size_t after_last_lexeme = 0;
    Xapian::termpos first = 0;
    Xapian::termpos last = 0;
    Xapian::termpos pos = 0;
    WordScanner words(node.text);
    while (words.Next()) {
      ++pos;
      const std::string& lexeme = analyzer_.Lexeme(words.lower());
      if (lexeme.empty()) {
        if (lexemes > 0 && IsStopWord(words.lower())) {
          terms.emplace_back(absl::StrCat(prefix, kStopWordTerm), 0, pos);
        }
        continue;
      }
      if (first == 0) first = pos;
      last = pos;
      terms.emplace_back(absl::StrCat(prefix, lexeme), 1, pos);
      lexeme_texts.push_back(lexeme);
      after_last_lexeme = terms.size();
      ++lexemes;
      Positive(lexeme, negated, false);
    }
    terms.resize(after_last_lexeme);  // no trailing stop words
    if (terms.empty()) return MaybeQuery();
    if (terms.size() == 1) return MaybeQuery(terms[0]);
    if (terms.size() == 3 && lexemes == 3 && last - first == 2) {
      const std::string triple =
          TripleTerm(lexeme_texts[0], lexeme_texts[1], lexeme_texts[2]);
      if (!triple.empty()) return MaybeQuery(Q(absl::StrCat(prefix, triple)));
    }
    return MaybeQuery(
        Q(Q::OP_PHRASE, terms.begin(), terms.end(), last - first + 1));
  }

  absl::StatusOr<MaybeQuery> Prefix(const QueryNode& node,
                                    absl::string_view prefix, bool negated) {
    std::vector<std::string> words = SplitWords(node.text);
    if (words.empty()) {
      return Invalid(node,
                     "a prefix search needs letters or digits before '*'");
    }
    std::vector<Q> parts;
    // Words before the last one ("u.s*"): ordinary words.
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      const std::string& lexeme = analyzer_.Lexeme(words[i]);
      if (lexeme.empty()) continue;
      parts.emplace_back(absl::StrCat(prefix, lexeme));
      Positive(lexeme, negated, false);
    }
    const std::string& last = words.back();
    Positive(last, negated, true);
    if (const std::string stem = WildcardStem(last, analyzer_); !stem.empty()) {
      Positive(stem, negated, true);
    }
    parts.push_back(StemmedWildcard(prefix, last, analyzer_));
    return MaybeQuery(Combine(Q::OP_AND, parts));
  }

  // Records a positive lexeme (or lexeme prefix) for snippets and boost.
  void Positive(const std::string& lexeme, bool negated, bool is_prefix) {
    if (negated) return;
    has_positive_ = true;
    if (is_prefix) {
      prefixes_.push_back(lexeme);
      if (boost_.size() < 16)
        boost_.push_back(Wildcard(kSubjectPrefix + lexeme));
    } else {
      lexemes_.push_back(lexeme);
      if (boost_.size() < 16) boost_.emplace_back(kSubjectPrefix + lexeme);
    }
  }

  static Q Boolean(const std::string& term, bool prefix) {
    if (!prefix) return Q(term);
    // Boolean fields have few distinct values: no expansion limit.
    return Q(Q::OP_WILDCARD, term);
  }

  // Words of an origin or a signer, in order; the last one a prefix when
  // `node.prefix`.
  static MaybeQuery FieldWords(const QueryNode& node,
                               absl::string_view prefix) {
    std::vector<std::string> words = SplitWords(node.text);
    if (words.empty()) return MaybeQuery();
    std::vector<Q> terms;
    for (size_t i = 0; i < words.size(); ++i) {
      std::string term = absl::StrCat(prefix, words[i]);
      if (node.prefix && i + 1 == words.size()) {
        terms.push_back(Boolean(term, true));
      } else {
        terms.emplace_back(term, 1, static_cast<Xapian::termpos>(i + 1));
      }
    }
    if (terms.size() == 1) return MaybeQuery(terms[0]);
    if (node.prefix) return MaybeQuery(Combine(Q::OP_AND, terms));
    return MaybeQuery(Q(Q::OP_PHRASE, terms.begin(), terms.end()));
  }

  absl::StatusOr<MaybeQuery> Field(const QueryNode& node) {
    const std::string upper = absl::AsciiStrToUpper(node.text);
    switch (node.field) {
      case QueryField::kTag:
        return MaybeQuery(Boolean(kTagPrefix + upper, node.prefix));
      case QueryField::kCaveat:
        return MaybeQuery(Boolean(kCaveatPrefix + upper, node.prefix));
      case QueryField::kClassification:
        return MaybeQuery(Boolean(kClassificationPrefix + upper, node.prefix));
      case QueryField::kOrigin:
        return FieldWords(node, kOriginPrefix);
      case QueryField::kSigner:
        return FieldWords(node, kSignerPrefix);
      case QueryField::kCites:
        return MaybeQuery(
            Boolean(kCitesPrefix + storage::CompactId(upper), node.prefix));
      case QueryField::kId: {
        const std::string id = storage::CompactId(upper);
        if (!node.prefix) return MaybeQuery(Q(IdTerm(id)));
        if (id.empty()) return MaybeQuery(Q::MatchAll);
        Q range(Q::OP_VALUE_RANGE, kSlotId, id, absl::StrCat(id, "\xff"));
        // The cables of the station (or of the stations starting so) are
        // the candidates whose id values the range checks; without them
        // it would check every cable's.
        const std::string station = StationPart(id);
        if (station.empty()) return MaybeQuery(std::move(range));
        const std::string term = kStationPrefix + station;
        return MaybeQuery(Q(
            Q::OP_FILTER,
            station.size() < id.size() ? Q(term) : Boolean(term, true), range));
      }
    }
    return Invalid(node, "unknown field");
  }

  static Q Created(const QueryNode& node) {
    // Dated keys are > "0000000000000001"; undated ones are below it.
    std::string low = "0000000000000001";
    if (node.from.has_value()) low = SortKeyDate(*node.from);
    if (!node.until.has_value()) return Q(Q::OP_VALUE_GE, kSlotSortKey, low);
    // Keys of dates < until: at most the last microsecond before it, then
    // any id.
    const std::string high =
        absl::StrCat(SortKeyDate(*node.until - absl::Microseconds(1)), "\xff");
    // A range of whole days: the OR of its years', months' and days'
    // terms reads their cables' posting lists; a value range would check
    // the sort key of every cable.
    const std::vector<std::string> periods =
        node.from.has_value() ? PeriodTerms(*node.from, *node.until)
                              : std::vector<std::string>();
    if (periods.empty()) return Q(Q::OP_VALUE_RANGE, kSlotSortKey, low, high);
    std::vector<Q> terms(periods.begin(), periods.end());
    return Combine(Q::OP_OR, terms);
  }

  TextAnalyzer& analyzer_;
  std::vector<Q> boost_;
  bool has_positive_ = false;
  std::vector<std::string> lexemes_;
  std::vector<std::string> prefixes_;
};

}  // namespace

Xapian::Query StemmedWildcard(absl::string_view field_prefix,
                              const std::string& word, TextAnalyzer& analyzer) {
  std::vector<Q> alternatives;
  alternatives.push_back(Wildcard(absl::StrCat(field_prefix, word)));
  if (const std::string stem = WildcardStem(word, analyzer); !stem.empty()) {
    alternatives.push_back(Wildcard(absl::StrCat(field_prefix, stem)));
  }
  return Combine(Q::OP_OR, alternatives);
}

absl::StatusOr<TranslatedQuery> TranslateQuery(const storage::QueryNode& root,
                                               TextAnalyzer& analyzer) {
  Translator translator(analyzer);
  return translator.Run(root);
}

}  // namespace cables::search::index
