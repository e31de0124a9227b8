#include "services/search/index/text_analyzer.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"

namespace cables::search::index {
namespace {

constexpr size_t kMaxCachedLexemes = 1 << 18;

// PostgreSQL 15 tsearch_data/english.stop.
constexpr const char* kStopWords[] = {
    "i",          "me",        "my",      "myself", "we",         "our",
    "ours",       "ourselves", "you",     "your",   "yours",      "yourself",
    "yourselves", "he",        "him",     "his",    "himself",    "she",
    "her",        "hers",      "herself", "it",     "its",        "itself",
    "they",       "them",      "their",   "theirs", "themselves", "what",
    "which",      "who",       "whom",    "this",   "that",       "these",
    "those",      "am",        "is",      "are",    "was",        "were",
    "be",         "been",      "being",   "have",   "has",        "had",
    "having",     "do",        "does",    "did",    "doing",      "a",
    "an",         "the",       "and",     "but",    "if",         "or",
    "because",    "as",        "until",   "while",  "of",         "at",
    "by",         "for",       "with",    "about",  "against",    "between",
    "into",       "through",   "during",  "before", "after",      "above",
    "below",      "to",        "from",    "up",     "down",       "in",
    "out",        "on",        "off",     "over",   "under",      "again",
    "further",    "then",      "once",    "here",   "there",      "when",
    "where",      "why",       "how",     "all",    "any",        "both",
    "each",       "few",       "more",    "most",   "other",      "some",
    "such",       "no",        "nor",     "not",    "only",       "own",
    "same",       "so",        "than",    "too",    "very",       "s",
    "t",          "can",       "will",    "just",   "don",        "should",
    "now",
};

const absl::flat_hash_set<absl::string_view>& StopWords() {
  static const auto* const kSet = [] {
    auto* set = new absl::flat_hash_set<absl::string_view>();
    for (const char* w : kStopWords) set->insert(w);
    return set;
  }();
  return *kSet;
}

bool IsAsciiWordChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

// Decodes the UTF-8 sequence at text[i] (a byte >= 0x80). Returns its
// length (0 when invalid) and the code point in *cp.
size_t DecodeUtf8(absl::string_view text, size_t i, unsigned* cp) {
  const auto c = static_cast<unsigned char>(text[i]);
  size_t len = 0;
  unsigned value = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    value = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    value = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    value = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3F);
  }
  *cp = value;
  return len;
}

bool HasDigit(absl::string_view word) {
  for (const char c : word) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

}  // namespace

bool WordScanner::Next() {
  lower_.clear();
  const size_t n = text_.size();
  bool in_word = false;
  while (pos_ < n) {
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c < 0x80) {
      if (IsAsciiWordChar(c)) {
        if (!in_word) {
          in_word = true;
          begin_ = pos_;
        }
        lower_.push_back(
            static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
        ++pos_;
        continue;
      }
      if (in_word) break;
      ++pos_;
      continue;
    }
    unsigned cp = 0;
    const size_t len = DecodeUtf8(text_, pos_, &cp);
    if (len == 0 || !Xapian::Unicode::is_wordchar(cp) ||
        Xapian::Unicode::get_category(cp) ==
            Xapian::Unicode::CONNECTOR_PUNCTUATION) {
      if (in_word) break;
      pos_ += len == 0 ? 1 : len;
      continue;
    }
    if (!in_word) {
      in_word = true;
      begin_ = pos_;
    }
    Xapian::Unicode::append_utf8(lower_, Xapian::Unicode::tolower(cp));
    pos_ += len;
  }
  if (!in_word) return false;
  end_ = pos_;
  return true;
}

std::vector<std::string> SplitWords(absl::string_view text) {
  std::vector<std::string> words;
  WordScanner scanner(text);
  while (scanner.Next()) words.push_back(scanner.lower());
  return words;
}

bool IsStopWord(absl::string_view lower_word) {
  return StopWords().contains(lower_word);
}

TextAnalyzer::TextAnalyzer() : stemmer_("english") {}

const std::string& TextAnalyzer::Lexeme(absl::string_view lower_word) {
  if (lower_word.size() > kMaxWordBytes) return empty_;
  auto it = cache_.find(lower_word);
  if (it != cache_.end()) return it->second;
  if (cache_.size() >= kMaxCachedLexemes) cache_.clear();
  std::string lexeme;
  if (!IsStopWord(lower_word)) {
    lexeme = HasDigit(lower_word) ? std::string(lower_word)
                                  : stemmer_(std::string(lower_word));
  }
  return cache_.emplace(std::string(lower_word), std::move(lexeme))
      .first->second;
}

std::string TextAnalyzer::Stem(absl::string_view lower_word) {
  if (HasDigit(lower_word)) return std::string(lower_word);
  return stemmer_(std::string(lower_word));
}

}  // namespace cables::search::index
