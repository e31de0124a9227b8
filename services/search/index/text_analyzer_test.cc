#include "services/search/index/text_analyzer.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/ingest/parser/testing/real_corpus.h"

namespace cables::search::index {
namespace {

using ::testing::ElementsAre;

TEST(WordScannerTest, SplitsOnEverythingButLettersAndDigits) {
  EXPECT_THAT(SplitWords("U.S. al-Qaida's 05ANKARA1730, (C) 1.4(b)"),
              ElementsAre("u", "s", "al", "qaida", "s", "05ankara1730", "c",
                          "1", "4", "b"));
  EXPECT_THAT(SplitWords(""), ElementsAre());
  EXPECT_THAT(SplitWords(" -- & "), ElementsAre());
  EXPECT_THAT(SplitWords("snake_case"), ElementsAre("snake", "case"));
}

TEST(WordScannerTest, UnicodeLettersAreWordsAndPunctuationIsNot) {
  // "Erdoğan’s" with a right single quotation mark; "Ünal" upper case.
  EXPECT_THAT(SplitWords("Erdo\xC4\x9F"
                         "an\xE2\x80\x99s \xC3\x9Cnal"),
              ElementsAre("erdo\xC4\x9F"
                          "an",
                          "s", "\xC3\xBCnal"));
  // Invalid UTF-8 separates words and never crashes.
  EXPECT_THAT(SplitWords("ab\xFF\xC3"), ElementsAre("ab"));
}

TEST(WordScannerTest, ReportsByteOffsets) {
  WordScanner words("  Hello, world");
  ASSERT_TRUE(words.Next());
  EXPECT_EQ(words.begin(), 2u);
  EXPECT_EQ(words.end(), 7u);
  EXPECT_EQ(words.lower(), "hello");
  ASSERT_TRUE(words.Next());
  EXPECT_EQ(words.begin(), 9u);
  EXPECT_EQ(words.lower(), "world");
  EXPECT_FALSE(words.Next());
}

TEST(TextAnalyzerTest, LexemesFollowPostgresEnglish) {
  TextAnalyzer analyzer;
  // Snowball english, as to_tsvector('english', ...) gives.
  EXPECT_EQ(analyzer.Lexeme("elections"), "elect");
  EXPECT_EQ(analyzer.Lexeme("election"), "elect");
  EXPECT_EQ(analyzer.Lexeme("government"), "govern");
  EXPECT_EQ(analyzer.Lexeme("security"), "secur");
  EXPECT_EQ(analyzer.Lexeme("piracy"), "piraci");
  EXPECT_EQ(analyzer.Lexeme("happy"), "happi");
  // Stop words have no lexeme; words with digits are kept as written.
  EXPECT_EQ(analyzer.Lexeme("the"), "");
  EXPECT_EQ(analyzer.Lexeme("s"), "");
  EXPECT_EQ(analyzer.Lexeme("05ankara1730"), "05ankara1730");
  EXPECT_EQ(analyzer.Lexeme("2008"), "2008");
  EXPECT_EQ(analyzer.Lexeme(std::string(kMaxWordBytes + 1, 'a')), "");
  // Cached answers are the same.
  EXPECT_EQ(analyzer.Lexeme("elections"), "elect");
  EXPECT_TRUE(IsStopWord("because"));
  EXPECT_FALSE(IsStopWord("nuclear"));
  EXPECT_EQ(analyzer.Stem("the"), "the");
}

// What SnippetBuilder's quick test relies on: a word starts with its
// lexeme less the lexeme's last two bytes (Snowball english rewrites only
// a stem's end), over every word of the real cables and of words whose
// stems are rewritten most.
TEST(TextAnalyzerTest, StemsKeepTheirWordsStart) {
  TextAnalyzer analyzer;
  absl::flat_hash_set<std::string> words = {
      "sensibility", "relational", "organization", "happiness", "skies",
      "dying",       "lying",      "generously",   "valency",   "operator",
      "hopping",     "conflated",  "cries",        "gently",    "early"};
  const auto pages = parser::testing::CorpusPages();
  ASSERT_FALSE(pages.empty()) << parser::testing::CorpusRoot();
  for (const auto& path : pages) {
    auto cable = parser::ParseCable(parser::testing::ReadBytes(path));
    if (!cable.ok()) continue;
    for (const std::string* text : {&cable->subject(), &cable->body()}) {
      WordScanner scanner(*text);
      while (scanner.Next()) words.insert(scanner.lower());
    }
  }
  EXPECT_GT(words.size(), 20000u);
  size_t checked = 0;
  for (const std::string& word : words) {
    const std::string& lexeme = analyzer.Lexeme(word);
    if (lexeme.size() < 3) continue;
    ++checked;
    EXPECT_TRUE(absl::StartsWith(word, lexeme.substr(0, lexeme.size() - 2)))
        << word << " -> " << lexeme;
  }
  EXPECT_GT(checked, 20000u);
}

}  // namespace
}  // namespace cables::search::index
