#include "services/search/index/snippet_builder.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace cables::search::index {

// Where the query matches one text.
struct SnippetBuilder::Scored {
  int distinct = 0;  // distinct query lexemes matched
  int matches = 0;   // matched words
  // Every word: byte range and matched lexeme id (-1: none).
  struct WordAt {
    size_t begin;
    size_t end;
    int match;
  };
  std::vector<WordAt> words;
};

SnippetBuilder::SnippetBuilder(const std::vector<std::string>& lexemes,
                               const std::vector<std::string>& prefixes,
                               TextAnalyzer* analyzer)
    : lexemes_(lexemes), prefixes_(prefixes), analyzer_(analyzer) {
  for (const auto* list : {&lexemes_, &prefixes_}) {
    for (const std::string& s : *list) {
      if (!s.empty()) first_bytes_[static_cast<unsigned char>(s[0])] = true;
    }
  }
  for (const auto* list : {&lexemes_, &prefixes_}) {
    for (const std::string& s : *list) {
      const bool ascii = std::all_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x80;
      });
      if (!ascii || s.size() < kMinNeedle + 2) {
        needles_.clear();
        return;
      }
      needles_.push_back(s.substr(0, s.size() - 2));
    }
  }
}

bool SnippetBuilder::MayMatch(absl::string_view text) const {
  if (needles_.empty()) return true;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  for (const std::string& needle : needles_) {
    // The needle's first byte in either case, then the rest.
    const char lower = needle[0];
    const char upper = absl::ascii_toupper(static_cast<unsigned char>(lower));
    for (size_t i = 0; i + needle.size() <= text.size(); ++i) {
      if (text[i] != lower && text[i] != upper) continue;
      if (absl::EqualsIgnoreCase(text.substr(i, needle.size()), needle)) {
        return true;
      }
    }
  }
  return false;
}

int SnippetBuilder::Match(const std::string& lower_word) const {
  if (lower_word.empty() ||
      !first_bytes_[static_cast<unsigned char>(lower_word[0])]) {
    return -1;
  }
  const std::string& lexeme = analyzer_->Lexeme(lower_word);
  for (size_t i = 0; i < lexemes_.size(); ++i) {
    if (!lexeme.empty() && lexeme == lexemes_[i]) return static_cast<int>(i);
  }
  for (size_t i = 0; i < prefixes_.size(); ++i) {
    if (absl::StartsWith(lower_word, prefixes_[i]) ||
        (!lexeme.empty() && absl::StartsWith(lexeme, prefixes_[i]))) {
      return static_cast<int>(lexemes_.size() + i);
    }
  }
  return -1;
}

SnippetBuilder::Scored SnippetBuilder::Score(absl::string_view text) const {
  Scored scored;
  std::vector<bool> seen(lexemes_.size() + prefixes_.size(), false);
  WordScanner words(text);
  while (words.Next()) {
    const int match = Match(words.lower());
    scored.words.push_back({words.begin(), words.end(), match});
    if (match < 0) continue;
    ++scored.matches;
    if (!seen[match]) {
      seen[match] = true;
      ++scored.distinct;
    }
  }
  return scored;
}

std::string SnippetBuilder::Highlight(absl::string_view text) const {
  const Scored scored = Score(text);
  const auto& words = scored.words;
  if (words.empty()) return std::string();
  // The window of kSnippetWords words with the most distinct matches (then
  // the most matches), the earliest on ties.
  size_t best = 0;
  std::pair<int, int> best_score{-1, -1};
  const size_t span = std::min<size_t>(kSnippetWords, words.size());
  for (size_t start = 0; start < words.size(); ++start) {
    if (words[start].match < 0 && start > 0) continue;  // start on a match
    std::vector<bool> seen(lexemes_.size() + prefixes_.size(), false);
    std::pair<int, int> score{0, 0};
    for (size_t i = start; i < std::min(words.size(), start + span); ++i) {
      if (words[i].match < 0) continue;
      ++score.second;
      if (!seen[words[i].match]) {
        seen[words[i].match] = true;
        ++score.first;
      }
    }
    if (score > best_score) {
      best_score = score;
      best = start;
    }
  }
  // Begin a few words before the first match, for context, and fill the
  // window when the text ends before it does.
  size_t first = best;
  if (words[best].match >= 0) first = best - std::min<size_t>(best, 4);
  first = std::min(first, words.size() - span);
  const size_t last = std::min(words.size(), first + span) - 1;
  std::string out;
  size_t at = words[first].begin;
  for (size_t i = first; i <= last; ++i) {
    if (words[i].match < 0) continue;
    out.append(text.data() + at, words[i].begin - at);
    out.append("[[");
    out.append(text.data() + words[i].begin, words[i].end - words[i].begin);
    out.append("]]");
    at = words[i].end;
  }
  out.append(text.data() + at, words[last].end - at);
  return storage::TruncateSnippet(std::move(out));
}

std::vector<storage::SearchSnippet> SnippetBuilder::Build(
    const cables::v1::Cable& cable) const {
  std::vector<storage::SearchSnippet> out;
  if (empty()) return out;
  struct Candidate {
    int distinct;
    int matches;
    int index;
  };
  std::vector<Candidate> candidates;
  for (int i = 0; i < cable.paragraphs_size(); ++i) {
    if (!MayMatch(cable.paragraphs(i).text())) continue;
    const Scored s = Score(cable.paragraphs(i).text());
    if (s.matches > 0) candidates.push_back({s.distinct, s.matches, i});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.distinct != b.distinct)
                       return a.distinct > b.distinct;
                     return a.matches > b.matches;
                   });
  for (const Candidate& c : candidates) {
    if (static_cast<int>(out.size()) == kMaxSnippets) break;
    const auto& p = cable.paragraphs(c.index);
    out.push_back({p.number(), Highlight(p.text())});
  }
  if (!out.empty()) return out;
  for (const std::string* text : {&cable.subject(), &cable.body()}) {
    if (!MayMatch(*text) || Score(*text).matches == 0) continue;
    out.push_back({0, Highlight(*text)});
    break;
  }
  return out;
}

}  // namespace cables::search::index
