// SnippetBuilder: highlighted snippets of one result from the text stored
// in the index (the document data of cable_document.h), for the positive
// words of a query (TranslatedQuery::highlight_lexemes / _prefixes).
//
// Like the PostgreSQL path's ts_headline: up to kMaxSnippets paragraphs
// that match best (most distinct query lexemes, then most matches, then
// first), each cut to a window of at most kSnippetWords words holding the
// most distinct matches, matched words wrapped in "[[" "]]", at most
// storage::kMaxSnippetBytes bytes (TruncateSnippet), with the paragraph's
// number. When no paragraph matches: the subject, else the body (in the
// index data: the text outside the paragraphs, BodyOutsideParagraphs), as
// paragraph 0. No snippet when nothing matches (e.g. a query of fields).
//
// Thread-compatible (uses a TextAnalyzer).
#ifndef CABLES_SERVICES_SEARCH_INDEX_SNIPPET_BUILDER_H_
#define CABLES_SERVICES_SEARCH_INDEX_SNIPPET_BUILDER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "cables/v1/cable.pb.h"
#include "services/search/index/text_analyzer.h"
#include "storage/search/search_query.h"

namespace cables::search::index {

inline constexpr int kMaxSnippets = 2;
inline constexpr int kSnippetWords = 32;

class SnippetBuilder final {
 public:
  // `analyzer` must outlive the builder.
  SnippetBuilder(const std::vector<std::string>& lexemes,
                 const std::vector<std::string>& prefixes,
                 TextAnalyzer* analyzer);

  bool empty() const { return lexemes_.empty() && prefixes_.empty(); }

  std::vector<storage::SearchSnippet> Build(
      const cables::v1::Cable& cable) const;

  // The lexeme id (index into the query's lexemes and prefixes) a word
  // matches, or -1.
  int Match(const std::string& lower_word) const;

  // False only when no word of `text` can match: `text` is ASCII and holds
  // none of the needles (see needles_) in any case. A cheap test before
  // tokenising a paragraph.
  bool MayMatch(absl::string_view text) const;

  // Shortest needle: a shorter lexeme or prefix turns the test off.
  static constexpr size_t kMinNeedle = 2;

 private:
  struct Scored;
  Scored Score(absl::string_view text) const;
  std::string Highlight(absl::string_view text) const;

  std::vector<std::string> lexemes_;
  std::vector<std::string> prefixes_;
  // First bytes of every lexeme and prefix: a cheap test before stemming.
  bool first_bytes_[256] = {};
  // Every lexeme and prefix without its last two bytes, lower case ASCII:
  // a word whose lexeme is L, or that starts with P, contains L's or P's
  // needle (Snowball english rewrites at most the last two bytes of a
  // stem, TextAnalyzerTest.StemsKeepTheirWordsStart). Empty when some
  // needle would be shorter than kMinNeedle or not ASCII: MayMatch is
  // then always true.
  std::vector<std::string> needles_;
  TextAnalyzer* const analyzer_;
};

}  // namespace cables::search::index

#endif  // CABLES_SERVICES_SEARCH_INDEX_SNIPPET_BUILDER_H_
