// The layout of one cable in the Xapian search index, and the function that
// builds it (CableDocument). The query translator, the searcher and the
// indexer all read these constants.
//
// Terms (lexemes from text_analyzer.h; prefixes are upper case):
//   <lexeme>          subject and body text, with positions (BM25 text)
//   S<lexeme>         subject text, with the same positions (subject:(...),
//                     and the subject boost of relevance ranking)
//   SW<word>          the subject's words, lower case and unstemmed, stop
//                     words too, without positions (type-ahead: a typed
//                     prefix is a prefix of the word, not of its stem:
//                     "constructio" of "construction", stem "construct")
//   Q<canonical id>   the unique id term (replace/delete by it)
//   XI<yy><STATION>   the canonical id up to its serial ("XI05ALMATY"): the
//                     candidates of an id prefix (StationTerm)
//   XA<REFERENCE ID>  the reference id as written, when it differs
//   XT<TAG>           tags, upper case
//   XC<CLASS>         the classification upper case, and its part before
//                     "//" ("SECRET//NOFORN" -> XCSECRET//NOFORN, XCSECRET)
//   XV<CAVEAT>        caveats, upper case
//   XO<word>          words of the origin (lower case, unstemmed), with
//                     positions from kOriginPosition
//   XS<word>          words of the signers, positions from kSignerPosition
//   XR<canonical id>  cables this one cites (the reference graph)
//   XB<nn>            sample bucket 00..63 (hash of the id): facet estimates
//                     over a uniform sample of a large result set
//   XZ, SXZ           a stop word's position (in the text; in the subject):
//                     phrases keep PostgreSQL's exact gaps ("end of summary"
//                     is end, any stop word, summary). Their wdf counts the
//                     stop words (so document lengths include them): Xapian
//                     reads a phrase's position lists in wdf order, and XZ's
//                     list is the longest, so it must come last.
//   XN<a> <b> <c>,    three consecutive words shaped like a spaced cable id
//   SXN<a> <b> <c>    or a date: two digits, a word without digits, digits
//                     ("XN10 kabul 5", "XN15 march 2008"; lexemes, in the
//                     text; in the subject), without positions. The
//                     translator answers such a three-word phrase with this
//                     one term (TripleTerm): the phrase's words are common
//                     ("10", "state"), so checking their positions cost
//                     ~20 ms on the full release.
//   XDY<yyyy>         the year, the month and the day of the date (UTC,
//   XDM<yyyymm>       as the sort key); undated cables have none. A date
//   XDD<yyyymmdd>     range of whole days is an OR of the fewest of them
//                     (PeriodTerms), so its cables come from posting lists
//                     instead of a check of every cable's sort key
// Field terms have wdf 0 (no weight).
//
// Values:
//   kSlotSortKey   SortKey(created, id): date order and its keyset cursor;
//                  cables without a date get the smallest keys
//   kSlotId        the canonical id (relevance ties, id prefixes)
//   kSlotFacets    PackFacets(): classification, origin, year, tags
//
// Document data: a cables.v1.Cable with canonical_id, reference_id,
// subject, origin, classification, tags, created, references (id only),
// paragraphs (number, text) and, as body, BodyOutsideParagraphs(): what
// results and snippets show (the text is stored once).
//
// Thread-compatible.
#ifndef CABLES_SERVICES_SEARCH_INDEX_CABLE_DOCUMENT_H_
#define CABLES_SERVICES_SEARCH_INDEX_CABLE_DOCUMENT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cables/v1/cable.pb.h"
#include "services/search/index/text_analyzer.h"
#include "xapian.h"

namespace cables::search::index {

inline constexpr char kSubjectPrefix[] = "S";
inline constexpr char kSubjectWordPrefix[] = "SW";
inline constexpr char kIdPrefix[] = "Q";
inline constexpr char kAliasPrefix[] = "XA";
inline constexpr char kStationPrefix[] = "XI";
inline constexpr char kTagPrefix[] = "XT";
inline constexpr char kClassificationPrefix[] = "XC";
inline constexpr char kCaveatPrefix[] = "XV";
inline constexpr char kOriginPrefix[] = "XO";
inline constexpr char kSignerPrefix[] = "XS";
inline constexpr char kCitesPrefix[] = "XR";
inline constexpr char kBucketPrefix[] = "XB";
inline constexpr char kStopWordTerm[] = "XZ";
inline constexpr char kTriplePrefix[] = "XN";
inline constexpr char kYearPrefix[] = "XDY";
inline constexpr char kMonthPrefix[] = "XDM";
inline constexpr char kDayPrefix[] = "XDD";
inline constexpr int kSampleBuckets = 64;

inline constexpr Xapian::valueno kSlotSortKey = 0;
inline constexpr Xapian::valueno kSlotId = 1;
inline constexpr Xapian::valueno kSlotFacets = 2;

// Text positions of field words (far beyond any body).
inline constexpr Xapian::termpos kOriginPosition = 50000000;
inline constexpr Xapian::termpos kSignerPosition = 60000000;
// Gap between the subject and the body (no phrase spans both).
inline constexpr Xapian::termpos kBodyGap = 100;

// "Q05ALMATY1595".
std::string IdTerm(absl::string_view canonical_id);

// The part of a canonical id (or of an id prefix) before its serial: up
// to the first digit after the two of the year ("05ALMATY1595" ->
// "05ALMATY"); "" unless it starts with two digits and a letter.
std::string StationPart(absl::string_view id);

// The XN term (without a field prefix) of three consecutive lexemes, or ""
// when they do not have its shape: `a` two ASCII digits, `b` without ASCII
// digits, `c` ASCII digits only (at most 12).
std::string TripleTerm(absl::string_view a, absl::string_view b,
                       absl::string_view c);

// The date-order key: 16 hex digits of the biased microseconds (all zeros
// without a date), then the id. Keys order by date, then id.
std::string SortKey(std::optional<absl::Time> created,
                    absl::string_view canonical_id);
// The 16-hex-digit date part alone (range bounds).
std::string SortKeyDate(absl::Time t);

// The XDY/XDM/XDD terms of exactly the dates in [from, until): whole
// years, then whole months, then days, fewest terms first. Empty when a
// bound is not the start of a UTC day, when until <= from, or when it would
// take more than kMaxPeriodTerms terms (the caller then checks the sort key
// range instead).
inline constexpr size_t kMaxPeriodTerms = 128;
std::vector<std::string> PeriodTerms(absl::Time from, absl::Time until);

// The sample bucket of an id (0..kSampleBuckets-1): stable FNV-1a.
int SampleBucket(absl::string_view canonical_id);
std::string BucketTerm(int bucket);

// Facet values of one document.
struct FacetValues {
  std::string classification;
  std::string origin;
  std::string year;  // "2005"; empty without a date
  std::vector<std::string> tags;
};
std::string PackFacets(const FacetValues& values);
// Calls fn(kind, value) for kind 0 = classification, 1 = origin, 2 = year,
// 3 = tag (once per tag), skipping empty values.
template <typename Fn>
void ForEachFacet(absl::string_view packed, Fn&& fn) {
  int kind = 0;
  size_t start = 0;
  for (size_t i = 0; i <= packed.size(); ++i) {
    if (i < packed.size() && packed[i] != '\x1f') continue;
    if (i > start) fn(kind, packed.substr(start, i - start));
    if (kind < 3) ++kind;
    start = i + 1;
  }
}

// The body without the text of its paragraphs (each cut out, a newline in
// its place), or the whole body when a paragraph's text is not found in it
// in order: what snippets need besides the paragraphs. The parser joins a
// paragraph's lines and drops page-break lines inside it, so runs of spaces
// and line breaks match any such run, and whole body lines the paragraph
// does not have (up to 8) are skipped, and cut out with it.
std::string BodyOutsideParagraphs(const cables::v1::Cable& cable);

// Builds the document of `cable` (the current version; header unused).
// `analyzer` is used for the text.
Xapian::Document CableDocument(const cables::v1::Cable& cable,
                               TextAnalyzer& analyzer);

}  // namespace cables::search::index

#endif  // CABLES_SERVICES_SEARCH_INDEX_CABLE_DOCUMENT_H_
