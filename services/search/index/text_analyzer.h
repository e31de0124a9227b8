// TextAnalyzer: how the search index turns text into terms, shared by the
// indexer (cable_document.h) and the query translator (query_translator.h)
// so that both sides agree.
//
// Words are maximal runs of ASCII letters and digits and of non-ASCII
// Unicode letters/digits (anything else separates words: "U.S." is "u" "s",
// "al-Qaida" is "al" "qaida"), lower-cased. A word's lexeme follows
// PostgreSQL's 'english' configuration (what the PostgreSQL fallback
// matches): the 127 words of its english.stop list are stop words (no
// lexeme; they still take a position, so phrases keep their gaps), words
// with a digit are kept as written ("05ankara1730", "2008"), other words
// are stemmed with Snowball english (Xapian's "english" = Porter2, the
// stemmer PostgreSQL's english_stem uses). Words longer than kMaxWordBytes
// are skipped (no lexeme, but a position).
//
// Thread-compatible: one TextAnalyzer per thread (the stemmer and the
// lexeme cache are mutable). Cheap to create.
#ifndef CABLES_SERVICES_SEARCH_INDEX_TEXT_ANALYZER_H_
#define CABLES_SERVICES_SEARCH_INDEX_TEXT_ANALYZER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "xapian.h"

namespace cables::search::index {

inline constexpr size_t kMaxWordBytes = 64;

// Walks the words of a text in order:
//
//   WordScanner words(text);
//   while (words.Next()) Use(words.begin(), words.end(), words.lower());
//
// lower() is valid until the next Next(). Does not own `text`, which must
// outlive the scanner.
class WordScanner final {
 public:
  explicit WordScanner(absl::string_view text) : text_(text) {}
  bool Next();
  // Byte offsets of the current word in the text.
  size_t begin() const { return begin_; }
  size_t end() const { return end_; }
  const std::string& lower() const { return lower_; }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  std::string lower_;
};

// The lower-case words of `text`, in order.
std::vector<std::string> SplitWords(absl::string_view text);

// True for the words of PostgreSQL's english.stop (lower case).
bool IsStopWord(absl::string_view lower_word);

class TextAnalyzer final {
 public:
  TextAnalyzer();
  TextAnalyzer(const TextAnalyzer&) = delete;
  TextAnalyzer& operator=(const TextAnalyzer&) = delete;

  // The lexeme of a lower-case word; "" for a stop word or an overlong word.
  const std::string& Lexeme(absl::string_view lower_word);

  // The stem of a lower-case word, stop words included (prefix queries).
  std::string Stem(absl::string_view lower_word);

 private:
  Xapian::Stem stemmer_;
  // Lexemes seen so far (the vocabulary is small; stemming is not). Bounded:
  // cleared when it reaches kMaxCachedLexemes.
  absl::flat_hash_map<std::string, std::string> cache_;
  const std::string empty_;
};

}  // namespace cables::search::index

#endif  // CABLES_SERVICES_SEARCH_INDEX_TEXT_ANALYZER_H_
