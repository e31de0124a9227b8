#include "services/search/index/index_search_repository.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "services/ingest/parser/cable_id.h"
#include "services/search/index/cable_document.h"
#include "services/search/index/facet_spy.h"
#include "services/search/index/query_translator.h"
#include "services/search/index/snippet_builder.h"
#include "storage/search/search_planner.h"

namespace cables::search::index {
namespace {

using storage::SearchHit;
using storage::SearchOrder;
using Q = Xapian::Query;

constexpr int kMaxPageSize = 100;
// Relevance pages look this many ranks around the previous page's end.
constexpr Xapian::doccount kRelevanceWindow = 50;
// Ids scanned for one id suggestion.
constexpr int kMaxIdScan = 20000;
// SimilarCables: expand-set terms, text candidates, reference candidates.
constexpr Xapian::termcount kSimilarTerms = 16;
constexpr Xapian::doccount kSimilarTextCandidates = 100;
constexpr size_t kSimilarRefCandidates = 200;
// A term in more than this share of the archive, and in more than
// kMinCommonDocs cables, is too common to characterise a cable (a small
// archive has no term in under 5% of it).
constexpr double kCommonTermShare = 0.05;
constexpr double kMinCommonDocs = 3;

TextAnalyzer& ThreadAnalyzer() {
  thread_local TextAnalyzer analyzer;
  return analyzer;
}

// Thrown from inside Xapian's match to stop it; caught by WithReader.
struct Interrupted {
  absl::Status status;
};

absl::Status CheckStop(absl::Time deadline,
                       storage::SearchCancellation* cancellation) {
  if (cancellation != nullptr && cancellation->cancelled()) {
    return absl::CancelledError("search cancelled");
  }
  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError("search: deadline reached");
  }
  return absl::OkStatus();
}

// Accepts every document; every kCheckEvery documents checks the deadline
// and the cancellation and throws Interrupted when either says stop.
class StopDecider final : public Xapian::MatchDecider {
 public:
  StopDecider(absl::Time deadline, storage::SearchCancellation* cancellation)
      : deadline_(deadline), cancellation_(cancellation) {}
  bool operator()(const Xapian::Document& /*doc*/) const override {
    if (++calls_ % kCheckEvery == 0) {
      absl::Status status = CheckStop(deadline_, cancellation_);
      if (!status.ok()) throw Interrupted{std::move(status)};
    }
    return true;
  }

 private:
  static constexpr int kCheckEvery = 256;
  const absl::Time deadline_;
  storage::SearchCancellation* const cancellation_;
  mutable int64_t calls_ = 0;
};

// Runs fn(db) on a pooled reader; retries after the writer moved on under
// it (DatabaseModifiedError); maps Xapian errors and Interrupted.
template <typename T, typename Fn>
absl::StatusOr<T> WithReader(CableIndex* index, absl::string_view what,
                             Fn&& fn) {
  CABLES_ASSIGN_OR_RETURN(CableIndex::Reader reader, index->Acquire());
  for (int attempt = 0;; ++attempt) {
    try {
      return fn(reader.db());
    } catch (const Interrupted& stop) {
      return stop.status;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= 3) return XapianErrorStatus(what, e);
      try {
        reader.Reopen();
      } catch (const Xapian::Error& reopen) {
        return XapianErrorStatus(what, reopen);
      }
    } catch (const Xapian::Error& e) {
      return XapianErrorStatus(what, e);
    }
  }
}

cables::v1::Cable DocumentData(const Xapian::Document& doc) {
  cables::v1::Cable data;
  data.ParseFromString(doc.get_data());
  return data;
}

SearchHit HitFromData(const cables::v1::Cable& data) {
  SearchHit hit;
  hit.canonical_id = data.canonical_id();
  hit.subject = data.subject();
  hit.origin = data.origin();
  hit.classification = data.classification();
  hit.tags.assign(data.tags().begin(), data.tags().end());
  if (data.has_created()) {
    hit.created = absl::FromUnixSeconds(data.created().seconds()) +
                  absl::Nanoseconds(data.created().nanos());
  }
  return hit;
}

// --- Page tokens ------------------------------------------------------------
// "x1|<fingerprint hex>|<rank>|<key>|<id>", URL-safe base64. Relevance: key
// is the last score ("%.17g"), rank the next rank; date order: key is the
// last sort key.

struct Cursor {
  uint64_t fingerprint = 0;
  int64_t rank = 0;
  std::string key;
  std::string id;
};

std::string EncodeCursor(const Cursor& c) {
  return absl::WebSafeBase64Escape(absl::StrCat(
      "x1|", absl::Hex(c.fingerprint), "|", c.rank, "|", c.key, "|", c.id));
}

absl::StatusOr<Cursor> DecodeCursor(absl::string_view token,
                                    uint64_t fingerprint) {
  const absl::Status invalid = absl::InvalidArgumentError(
      "page_token: invalid page token (it belongs to another query or order, "
      "or was altered)");
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return invalid;
  std::vector<std::string> parts = absl::StrSplit(raw, absl::MaxSplits('|', 4));
  Cursor c;
  if (parts.size() != 5 || parts[0] != "x1" ||
      !absl::SimpleHexAtoi(parts[1], &c.fingerprint) ||
      c.fingerprint != fingerprint || !absl::SimpleAtoi(parts[2], &c.rank) ||
      c.rank < 0 || parts[3].empty() || parts[4].empty()) {
    return invalid;
  }
  c.key = std::move(parts[3]);
  c.id = std::move(parts[4]);
  return c;
}

// Facet counts of `match` (see the header: exact, or over a hash sample).
void AddFacets(Xapian::Database& db, const Q& match, int limit,
               const IndexSearchOptions& options, const StopDecider& decider,
               storage::SearchResponse& response) {
  int buckets = kSampleBuckets;
  if (response.total_is_estimate ||
      response.total > options.facet_exact_limit) {
    const double share = static_cast<double>(options.facet_sample) /
                         std::max<double>(1.0, response.total);
    buckets = std::clamp(static_cast<int>(std::ceil(kSampleBuckets * share)), 1,
                         kSampleBuckets);
  }
  Q query = match;
  if (buckets < kSampleBuckets) {
    std::vector<Q> sample;
    for (int b = 0; b < buckets; ++b) sample.emplace_back(BucketTerm(b));
    query = Q(Q::OP_FILTER, match, Q(Q::OP_OR, sample.begin(), sample.end()));
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  FacetSpy spy;
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 0, db.get_doccount(), nullptr, &decider);
  const double scale = static_cast<double>(kSampleBuckets) / buckets;
  spy.Fill(limit, scale, &response);
  response.total = std::llround(spy.seen() * scale);
  response.total_is_estimate = buckets < kSampleBuckets;
  response.facets_are_estimate = buckets < kSampleBuckets;
}

absl::Status CheckLimit(absl::string_view field, int value) {
  if (value < 1 || value > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 1..", kMaxPageSize));
  }
  return absl::OkStatus();
}

// The document holding `term` (an id or alias term), if any.
std::optional<Xapian::docid> FindDocument(Xapian::Database& db,
                                          const std::string& term) {
  Xapian::PostingIterator it = db.postlist_begin(term);
  if (it == db.postlist_end(term)) return std::nullopt;
  return *it;
}

}  // namespace

absl::Status IndexSearchRepository::Ping() {
  return index_->Acquire().status();
}

absl::StatusOr<storage::SearchResponse> IndexSearchRepository::Search(
    const storage::SearchRequest& request,
    storage::SearchCancellation* cancellation) {
  CABLES_RETURN_IF_ERROR(CheckLimit("page_size", request.page_size));
  TextAnalyzer& analyzer = ThreadAnalyzer();
  CABLES_ASSIGN_OR_RETURN(TranslatedQuery translated,
                          TranslateQuery(request.query.root, analyzer));
  const SearchOrder order =
      request.order == SearchOrder::kRelevance && !translated.has_positive_text
          ? SearchOrder::kNewestFirst
          : request.order;
  const std::string& pinned = request.query.pinned_id;
  const uint64_t fingerprint =
      storage::Fingerprint64(absl::StrCat(request.query.root.DebugString(), "|",
                                          pinned, "|", static_cast<int>(order)),
                             0x7831);
  std::optional<Cursor> cursor;
  if (!request.page_token.empty()) {
    CABLES_ASSIGN_OR_RETURN(cursor,
                            DecodeCursor(request.page_token, fingerprint));
  }
  CABLES_RETURN_IF_ERROR(CheckStop(request.deadline, cancellation));
  return WithReader<storage::SearchResponse>(
      index_, "search",
      [&](Xapian::Database& db) -> absl::StatusOr<storage::SearchResponse> {
        storage::SearchResponse response;
        response.backend = "index";
        const StopDecider decider(request.deadline, cancellation);
        int limit = request.page_size;
        Q match = translated.match;
        std::vector<cables::v1::Cable> page;
        bool pinned_present = false;
        if (!pinned.empty()) {
          const std::string term = IdTerm(pinned);
          if (auto docid = FindDocument(db, term); docid.has_value()) {
            pinned_present = true;
            match = Q(Q::OP_AND_NOT, match, Q(term));
            if (!cursor.has_value()) {
              page.push_back(DocumentData(db.get_document(*docid)));
              --limit;
            }
          }
        }

        Xapian::Enquire enquire(db);
        Xapian::doccount first = 0;
        Xapian::doccount want = limit + 1;
        const bool relevance = order == SearchOrder::kRelevance;
        if (relevance) {
          enquire.set_query(
              translated.boost.empty()
                  ? match
                  : Q(Q::OP_AND_MAYBE, match,
                      Q(Q::OP_SCALE_WEIGHT, translated.boost, kSubjectBoost)));
          // A first page is matched with ties in docid order: reading every
          // candidate's id value cost more than the match itself for rare
          // words. Its ties are put in id order below, from tie_window
          // extra cables. Later pages sort by id in Xapian.
          if (cursor.has_value()) {
            enquire.set_sort_by_relevance_then_value(kSlotId, false);
            const auto rank = static_cast<Xapian::doccount>(cursor->rank);
            first = rank > kRelevanceWindow ? rank - kRelevanceWindow : 0;
            want = (rank - first) + kRelevanceWindow + limit + 1;
          }
        } else {
          const bool desc = order == SearchOrder::kNewestFirst;
          Q query = match;
          if (cursor.has_value()) {
            const Q bound = desc ? Q(Q::OP_VALUE_LE, kSlotSortKey, cursor->key)
                                 : Q(Q::OP_VALUE_GE, kSlotSortKey, cursor->key);
            query = Q(Q::OP_AND_NOT, Q(Q::OP_FILTER, query, bound),
                      Q(IdTerm(cursor->id)));
          }
          enquire.set_query(query);
          enquire.set_weighting_scheme(Xapian::BoolWeight());
          enquire.set_sort_by_value(kSlotSortKey, desc);
        }
        // Counting up to exact_count_limit stops at half the time left
        // (the total becomes an estimate); the decider stops the rest.
        if (request.deadline != absl::InfiniteFuture()) {
          enquire.set_time_limit(std::max(
              0.001,
              absl::ToDoubleSeconds(request.deadline - absl::Now()) / 2));
        }
        const bool first_relevance_page = relevance && !cursor.has_value();
        const auto tie_window =
            static_cast<Xapian::doccount>(std::max(0, options_.tie_window));
        Xapian::MSet mset = enquire.get_mset(
            first, first_relevance_page ? want + tie_window : want,
            options_.exact_count_limit + 1, nullptr, &decider);
        // The totals come from this match.
        const Xapian::MSet totals = mset;
        // The items in page order: indexes into mset.
        std::vector<Xapian::doccount> items(mset.size());
        for (Xapian::doccount i = 0; i < items.size(); ++i) items[i] = i;
        // A first relevance page puts each run of equal weights that reaches
        // into the page in id order, from the ids of that run only; a run
        // going on past the extra cables is matched again in id order, the
        // cutoff (a hair below its weight, for rounding) dropping lighter
        // cables before their ids are read.
        for (Xapian::doccount begin = 0;
             first_relevance_page && begin < std::min(want, mset.size());) {
          const double weight = mset[begin].get_weight();
          Xapian::doccount end = begin + 1;
          while (end < mset.size() && mset[end].get_weight() == weight) ++end;
          if (end == mset.size() && mset.size() == want + tie_window &&
              end - begin > 1) {
            enquire.set_sort_by_relevance_then_value(kSlotId, false);
            enquire.set_cutoff(0, weight * (1 - 1e-9));
            mset = enquire.get_mset(first, want, 0, nullptr, &decider);
            items.resize(mset.size());
            for (Xapian::doccount i = 0; i < items.size(); ++i) items[i] = i;
            break;
          }
          if (end - begin > 1) {
            std::vector<std::pair<std::string, Xapian::doccount>> tie;
            for (Xapian::doccount i = begin; i < end; ++i) {
              tie.emplace_back(mset[i].get_document().get_value(kSlotId), i);
            }
            std::sort(tie.begin(), tie.end());
            for (Xapian::doccount i = begin; i < end; ++i) {
              items[i] = tie[i - begin].second;
            }
          }
          begin = end;
        }

        std::vector<double> scores(page.size(), 1e9);
        // Relevance after the first page: continue after the previous
        // page's last cable where it ranks now, else at its rank.
        Xapian::doccount skip_below = 0;
        if (relevance && cursor.has_value()) {
          skip_below = static_cast<Xapian::doccount>(cursor->rank);
          for (auto it = mset.begin(); it != mset.end(); ++it) {
            if (it.get_document().get_value(kSlotId) == cursor->id) {
              skip_below = it.get_rank() + 1;
              break;
            }
          }
        }
        std::optional<Cursor> last;
        bool more = false;
        for (Xapian::doccount k = 0; k < items.size(); ++k) {
          const Xapian::doccount rank = first + k;
          if (rank < skip_below) continue;
          const Xapian::MSetIterator it = mset[items[k]];
          const Xapian::Document doc = it.get_document();
          if (static_cast<int>(page.size()) >= request.page_size) {
            more = true;
            break;
          }
          page.push_back(DocumentData(doc));
          scores.push_back(relevance ? it.get_weight() : 0);
          last = relevance ? Cursor{fingerprint, static_cast<int64_t>(rank) + 1,
                                    "r", page.back().canonical_id()}
                           : Cursor{fingerprint, 0, doc.get_value(kSlotSortKey),
                                    page.back().canonical_id()};
        }
        if (more) {
          // A page holding only the pinned cable: continue from the start.
          if (!last.has_value()) {
            last = Cursor{fingerprint, 0,
                          relevance                            ? "r"
                          : order == SearchOrder::kNewestFirst ? "g"
                                                               : "0",
                          "0"};
          }
          response.next_page_token = EncodeCursor(*last);
        }

        // Totals and facets cover the whole result set, pinned cable too.
        if (relevance || !cursor.has_value()) {
          response.total = totals.get_matches_estimated();
          response.total_is_estimate = totals.get_matches_lower_bound() !=
                                       totals.get_matches_upper_bound();
        } else {
          Xapian::Enquire count(db);
          count.set_query(match);
          count.set_weighting_scheme(Xapian::BoolWeight());
          const Xapian::MSet counted = count.get_mset(
              0, 0, options_.exact_count_limit + 1, nullptr, &decider);
          response.total = counted.get_matches_estimated();
          response.total_is_estimate = counted.get_matches_lower_bound() !=
                                       counted.get_matches_upper_bound();
        }
        if (pinned_present) ++response.total;
        if (request.facets) {
          CABLES_RETURN_IF_ERROR(CheckStop(request.deadline, cancellation));
          AddFacets(
              db,
              pinned_present ? Q(Q::OP_OR, match, Q(IdTerm(pinned))) : match,
              request.facet_limit, options_, decider, response);
        }

        CABLES_RETURN_IF_ERROR(CheckStop(request.deadline, cancellation));
        const SnippetBuilder snippets(translated.highlight_lexemes,
                                      translated.highlight_prefixes, &analyzer);
        for (size_t i = 0; i < page.size(); ++i) {
          SearchHit hit = HitFromData(page[i]);
          hit.score = scores[i];
          hit.snippets = snippets.Build(page[i]);
          response.hits.push_back(std::move(hit));
        }
        return response;
      });
}

absl::StatusOr<std::vector<storage::Suggestion>> IndexSearchRepository::Suggest(
    absl::string_view prefix, int limit, absl::Time deadline,
    storage::SearchCancellation* cancellation) {
  CABLES_RETURN_IF_ERROR(CheckLimit("limit", limit));
  const absl::string_view text = absl::StripAsciiWhitespace(prefix);
  if (text.empty()) return std::vector<storage::Suggestion>();
  const std::string id_prefix = storage::SuggestIdPrefix(text);
  const std::vector<std::string> words = SplitWords(text);
  const bool ends_with_space =
      absl::ascii_isspace(static_cast<unsigned char>(prefix.back()));
  CABLES_RETURN_IF_ERROR(CheckStop(deadline, cancellation));
  TextAnalyzer& analyzer = ThreadAnalyzer();
  return WithReader<std::vector<storage::Suggestion>>(
      index_, "suggest",
      [&](Xapian::Database& db)
          -> absl::StatusOr<std::vector<storage::Suggestion>> {
        std::vector<storage::Suggestion> out;
        if (id_prefix.size() >= 2) {
          const std::string term_prefix = IdTerm(id_prefix);
          std::vector<std::string> ids;
          for (auto it = db.allterms_begin(term_prefix);
               it != db.allterms_end(term_prefix) &&
               static_cast<int>(ids.size()) < kMaxIdScan;
               ++it) {
            ids.push_back((*it).substr(1));
          }
          std::sort(ids.begin(), ids.end(),
                    [](const std::string& a, const std::string& b) {
                      if (a.size() != b.size()) return a.size() < b.size();
                      return a < b;
                    });
          if (static_cast<int>(ids.size()) > limit) ids.resize(limit);
          for (const std::string& id : ids) {
            auto docid = FindDocument(db, IdTerm(id));
            if (!docid.has_value()) continue;
            out.push_back({id, DocumentData(db.get_document(*docid)).subject(),
                           storage::Suggestion::Kind::kId});
          }
        }
        const int left = limit - static_cast<int>(out.size());
        if (left <= 0 || words.empty() ||
            !absl::ascii_isalpha(static_cast<unsigned char>(words.back()[0]))) {
          return out;
        }
        // The words in the subject; the last one as a prefix unless the
        // text ends with a space.
        std::vector<Q> parts;
        for (size_t i = 0; i < words.size(); ++i) {
          const bool last = i + 1 == words.size();
          if (last && !ends_with_space) {
            // A word of the subject starting so (the SW terms), weighed
            // by the stems that start so.
            parts.emplace_back(
                Q::OP_OR,
                Q(Q::OP_WILDCARD, absl::StrCat(kSubjectWordPrefix, words[i]),
                  kMaxWildcardTerms, Q::WILDCARD_LIMIT_MOST_FREQUENT),
                StemmedWildcard(kSubjectPrefix, words[i], analyzer));
            continue;
          }
          const std::string& lexeme = analyzer.Lexeme(words[i]);
          if (!lexeme.empty()) parts.emplace_back(kSubjectPrefix + lexeme);
        }
        if (parts.empty()) return out;
        Xapian::Enquire enquire(db);
        enquire.set_query(Q(Q::OP_AND, parts.begin(), parts.end()));
        enquire.set_sort_by_relevance_then_value(kSlotId, false);
        const StopDecider decider(deadline, cancellation);
        const Xapian::MSet mset =
            enquire.get_mset(0, left, 0, nullptr, &decider);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
          const cables::v1::Cable data = DocumentData(it.get_document());
          out.push_back({data.canonical_id(), data.subject(),
                         storage::Suggestion::Kind::kSubject});
        }
        return out;
      });
}

absl::StatusOr<std::vector<SearchHit>> IndexSearchRepository::Similar(
    const storage::SimilarRequest& request,
    storage::SearchCancellation* cancellation) {
  CABLES_RETURN_IF_ERROR(CheckLimit("limit", request.limit));
  std::vector<std::string> terms = {
      IdTerm(request.id),
      IdTerm(absl::AsciiStrToUpper(request.id)),
      absl::StrCat(kAliasPrefix, absl::AsciiStrToUpper(request.id)),
  };
  if (auto canonical = parser::CanonicalizeCableId(request.id);
      canonical.ok()) {
    terms.insert(terms.begin(), IdTerm(*canonical));
  }
  CABLES_RETURN_IF_ERROR(CheckStop(request.deadline, cancellation));
  return WithReader<std::vector<SearchHit>>(
      index_, "similar",
      [&](Xapian::Database& db) -> absl::StatusOr<std::vector<SearchHit>> {
        std::optional<Xapian::docid> source;
        for (const std::string& term : terms) {
          source = FindDocument(db, term);
          if (source.has_value()) break;
        }
        if (!source.has_value()) {
          return absl::NotFoundError(
              absl::StrCat("cable ", request.id, " is not in the archive"));
        }
        const Xapian::Document source_doc = db.get_document(*source);
        const cables::v1::Cable source_data = DocumentData(source_doc);
        const std::string& source_id = source_data.canonical_id();
        const StopDecider decider(request.deadline, cancellation);

        // Rare terms: the subject's words, then Xapian's expand set.
        const double doccount = std::max(1u, db.get_doccount());
        auto rare = [&](const std::string& term) {
          return term.size() > 2 && term[0] >= 'a' && term[0] <= 'z' &&
                 db.get_termfreq(term) <=
                     std::max(kCommonTermShare * doccount, kMinCommonDocs);
        };
        std::vector<std::string> chosen;
        absl::flat_hash_set<std::string> seen;
        for (auto it = source_doc.termlist_begin();
             it != source_doc.termlist_end(); ++it) {
          const std::string term = *it;
          if (term.empty() || term[0] != kSubjectPrefix[0]) continue;
          const std::string lexeme = term.substr(1);
          if (rare(lexeme) && seen.insert(lexeme).second) {
            chosen.push_back(lexeme);
          }
        }
        struct RareTerms final : public Xapian::ExpandDecider {
          explicit RareTerms(std::function<bool(const std::string&)> f)
              : rare(std::move(f)) {}
          bool operator()(const std::string& term) const override {
            return rare(term);
          }
          std::function<bool(const std::string&)> rare;
        } decide(rare);
        Xapian::Enquire enquire(db);
        Xapian::RSet rset;
        rset.add_document(*source);
        const Xapian::ESet eset =
            enquire.get_eset(kSimilarTerms, rset, &decide);
        for (auto it = eset.begin();
             it != eset.end() && chosen.size() < kSimilarTerms; ++it) {
          if (seen.insert(*it).second) chosen.push_back(*it);
        }

        // Candidates: text matches, then the reference graph.
        absl::flat_hash_map<std::string, double> text_weight;
        double best = 0;
        if (!chosen.empty()) {
          enquire.set_query(Q(Q::OP_AND_NOT,
                              Q(Q::OP_OR, chosen.begin(), chosen.end()),
                              Q(IdTerm(source_id))));
          enquire.set_sort_by_relevance_then_value(kSlotId, false);
          const Xapian::MSet mset =
              enquire.get_mset(0, kSimilarTextCandidates, 0, nullptr, &decider);
          for (auto it = mset.begin(); it != mset.end(); ++it) {
            text_weight[it.get_document().get_value(kSlotId)] = it.get_weight();
            best = std::max(best, it.get_weight());
          }
        }
        absl::flat_hash_set<std::string> linked;
        for (const cables::v1::Reference& ref : source_data.references()) {
          if (linked.size() >= kSimilarRefCandidates) break;
          if (!ref.id().empty() && ref.id() != source_id)
            linked.insert(ref.id());
        }
        const std::string cites = absl::StrCat(kCitesPrefix, source_id);
        for (auto it = db.postlist_begin(cites);
             it != db.postlist_end(cites) &&
             linked.size() < 2 * kSimilarRefCandidates;
             ++it) {
          linked.insert(db.get_document(*it).get_value(kSlotId));
        }
        linked.erase(source_id);

        const absl::flat_hash_set<std::string> source_tags(
            source_data.tags().begin(), source_data.tags().end());
        struct Scored {
          double score;
          cables::v1::Cable data;
        };
        std::vector<Scored> scored;
        auto add = [&](const std::string& id) -> absl::Status {
          auto docid = FindDocument(db, IdTerm(id));
          if (!docid.has_value()) return absl::OkStatus();
          cables::v1::Cable data = DocumentData(db.get_document(*docid));
          int shared = 0;
          for (const std::string& tag : data.tags()) {
            shared += source_tags.contains(tag) ? 1 : 0;
          }
          double score = 0.3 * std::min(3, shared);
          if (auto it = text_weight.find(id);
              it != text_weight.end() && best > 0) {
            score += it->second / best;
          }
          if (linked.contains(id)) score += 1;
          scored.push_back({score, std::move(data)});
          return CheckStop(request.deadline, cancellation);
        };
        for (const auto& [id, weight] : text_weight) {
          CABLES_RETURN_IF_ERROR(add(id));
        }
        for (const std::string& id : linked) {
          if (!text_weight.contains(id)) CABLES_RETURN_IF_ERROR(add(id));
        }
        std::sort(scored.begin(), scored.end(),
                  [](const Scored& a, const Scored& b) {
                    if (a.score != b.score) return a.score > b.score;
                    return a.data.canonical_id() < b.data.canonical_id();
                  });
        std::vector<SearchHit> hits;
        for (Scored& s : scored) {
          if (static_cast<int>(hits.size()) == request.limit) break;
          SearchHit hit = HitFromData(s.data);
          hit.score = s.score;
          hits.push_back(std::move(hit));
        }
        return hits;
      });
}

}  // namespace cables::search::index
