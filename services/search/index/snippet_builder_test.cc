#include "services/search/index/snippet_builder.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::search::index {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

cables::v1::Cable Sample() {
  cables::v1::Cable c;
  c.set_subject("IRAN: NUCLEAR TALKS");
  c.set_body("SUBJECT: IRAN: NUCLEAR TALKS\nREF: A. 05ANKARA1730\n");
  auto* p1 = c.add_paragraphs();
  p1->set_number(1);
  p1->set_text("Summary: the delegation met officials.");
  auto* p2 = c.add_paragraphs();
  p2->set_number(2);
  p2->set_text("Uranium enrichment came up once.");
  auto* p3 = c.add_paragraphs();
  p3->set_number(3);
  p3->set_text(
      "Both uranium and enrichment were discussed; uranium stocks too.");
  return c;
}

TEST(SnippetBuilderTest, BestParagraphsFirstWithMarks) {
  TextAnalyzer analyzer;
  const SnippetBuilder builder({"enrich", "uranium"}, {}, &analyzer);
  const auto snippets = builder.Build(Sample());
  ASSERT_EQ(snippets.size(), 2u);
  // Both lexemes in each; paragraph 3 has more matches.
  EXPECT_EQ(snippets[0].paragraph_number, 3);
  EXPECT_EQ(snippets[0].text,
            "Both [[uranium]] and [[enrichment]] were discussed; [[uranium]] "
            "stocks too");
  EXPECT_EQ(snippets[1].paragraph_number, 2);
  EXPECT_EQ(snippets[1].text, "[[Uranium]] [[enrichment]] came up once");
}

TEST(SnippetBuilderTest, PrefixesMatchWordsAndLexemes) {
  TextAnalyzer analyzer;
  const SnippetBuilder builder({}, {"deleg"}, &analyzer);
  const auto snippets = builder.Build(Sample());
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_EQ(snippets[0].paragraph_number, 1);
  EXPECT_THAT(snippets[0].text, HasSubstr("the [[delegation]] met"));
}

TEST(SnippetBuilderTest, MayMatchRulesOutOnlyTextsThatCannotMatch) {
  TextAnalyzer analyzer;
  const SnippetBuilder b({"elect", "govern"}, {"secur"}, &analyzer);
  EXPECT_TRUE(b.MayMatch("The ELECTIONS were held."));
  EXPECT_TRUE(b.MayMatch("a governor"));
  EXPECT_TRUE(b.MayMatch("Securing"));
  EXPECT_FALSE(b.MayMatch("The vote was held; nothing else."));
  EXPECT_FALSE(b.MayMatch(""));
  // Not ASCII: any case folding may apply, so never ruled out.
  EXPECT_TRUE(b.MayMatch("Die Wahl in \xc3\x96sterreich"));
  // A short lexeme has no needle: nothing is ruled out.
  const SnippetBuilder short_word({"oil"}, {}, &analyzer);
  EXPECT_TRUE(short_word.MayMatch("The vote was held."));
  // Whatever it rules out has no match.
  for (const char* text : {"Elected officials", "the happiest governments",
                           "insecurity", "nothing to see", "ELE GOV SEC"}) {
    if (!b.MayMatch(text)) {
      WordScanner words(text);
      while (words.Next()) EXPECT_EQ(b.Match(words.lower()), -1) << text;
    }
  }
}

TEST(SnippetBuilderTest, FallsBackToSubjectThenBody) {
  TextAnalyzer analyzer;
  const SnippetBuilder subject({"nuclear"}, {}, &analyzer);
  auto snippets = subject.Build(Sample());
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_EQ(snippets[0].paragraph_number, 0);
  EXPECT_EQ(snippets[0].text, "IRAN: [[NUCLEAR]] TALKS");
  const SnippetBuilder body({"05ankara1730"}, {}, &analyzer);
  snippets = body.Build(Sample());
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_EQ(snippets[0].paragraph_number, 0);
  EXPECT_THAT(snippets[0].text, HasSubstr("[[05ANKARA1730]]"));
  const SnippetBuilder none({"zebra"}, {}, &analyzer);
  EXPECT_TRUE(none.Build(Sample()).empty());
  const SnippetBuilder empty({}, {}, &analyzer);
  EXPECT_TRUE(empty.Build(Sample()).empty());
}

TEST(SnippetBuilderTest, MatchesNearTheEndOfALongParagraph) {
  cables::v1::Cable c;
  std::string text;
  for (int i = 0; i < 60; ++i) absl::StrAppend(&text, "filler", i, " ");
  absl::StrAppend(&text, "uranium at last.");
  auto* p = c.add_paragraphs();
  p->set_number(4);
  p->set_text(text);
  TextAnalyzer analyzer;
  const auto snippets = SnippetBuilder({"uranium"}, {}, &analyzer).Build(c);
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_THAT(snippets[0].text, HasSubstr("[[uranium]] at last"));
  EXPECT_THAT(snippets[0].text, HasSubstr("filler31 "));
}

TEST(SnippetBuilderTest, LongTextIsWindowedAndBounded) {
  cables::v1::Cable c;
  std::string text;
  for (int i = 0; i < 200; ++i) absl::StrAppend(&text, "filler", i, " ");
  absl::StrAppend(&text, "the pipeline deal ");
  for (int i = 0; i < 200; ++i) absl::StrAppend(&text, "more", i, " ");
  auto* p = c.add_paragraphs();
  p->set_number(7);
  p->set_text(text);
  TextAnalyzer analyzer;
  const SnippetBuilder builder({"pipelin"}, {}, &analyzer);
  const auto snippets = builder.Build(c);
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_EQ(snippets[0].paragraph_number, 7);
  EXPECT_THAT(snippets[0].text, HasSubstr("the [[pipeline]] deal"));
  EXPECT_THAT(snippets[0].text, Not(HasSubstr("filler0 ")));
  EXPECT_LE(snippets[0].text.size(), storage::kMaxSnippetBytes + 4);

  // A single huge word-run is cut without splitting a mark.
  std::string marks;
  for (int i = 0; i < 100; ++i) absl::StrAppend(&marks, "pipeline ");
  c.mutable_paragraphs(0)->set_text(marks);
  const auto cut = builder.Build(c);
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_LE(cut[0].text.size(), storage::kMaxSnippetBytes + 4);
  EXPECT_THAT(cut[0].text, HasSubstr(" ..."));
  EXPECT_THAT(cut[0].text, Not(HasSubstr("[[pipeline ...")));
}

}  // namespace
}  // namespace cables::search::index
