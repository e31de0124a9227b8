#include "services/ingest/parser/paragraphs.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

struct Parsed {
  std::vector<absl::string_view> lines;
  std::vector<ParagraphSpan> spans;
};

Parsed Parse(const std::string& body) {
  Parsed p;
  p.lines = SplitLines(body);
  p.spans = FindParagraphs(p.lines, p.lines.size());
  return p;
}

std::vector<int> Numbers(const Parsed& p) {
  std::vector<int> out;
  for (const ParagraphSpan& s : p.spans) out.push_back(s.number);
  return out;
}

TEST(ParagraphsTest, MarkedParagraphsWithHeadingsAndPageBreaks) {
  // 05ALMATY1595 and 08DAMASCUS146, shortened.
  const std::string body =
      "SUBJECT: X\n\n"
      "1.  (SBU) SUMMARY: The Mazhilis is currently considering a set of\n"
      "national security amendments.  END SUMMARY \n \n"
      "TIMELINE \n-------- \n"
      "2. (SBU) The National Security amendments were drafted by \n"
      "the Ministry of Justice.\n\n"
      "DAMASCUS 00000146 002 OF 004\n"
      "participation in the Arab League summit.\n\n"
      "---------------------------------------- \n"
      "MAKHLUF REACTS WITH BRAVADO ON BBC RADIO\n"
      "---------------------------------------- \n\n"
      "\xC2\xB6"
      "3. (S/NF) The February 21 designation.\n";
  const Parsed p = Parse(body);
  ASSERT_EQ(Numbers(p), std::vector<int>({1, 2, 3}));
  EXPECT_EQ(p.spans[0].marking, "SBU");
  EXPECT_EQ(p.spans[0].heading, "");
  EXPECT_EQ(ParagraphText(p.lines, p.spans[0]),
            "SUMMARY: The Mazhilis is currently considering a set of national "
            "security amendments. END SUMMARY");
  EXPECT_EQ(p.spans[1].heading, "TIMELINE");
  EXPECT_EQ(ParagraphText(p.lines, p.spans[1]),
            "The National Security amendments were drafted by the Ministry "
            "of Justice. participation in the Arab League summit.");
  EXPECT_EQ(p.spans[2].marking, "S/NF");
  EXPECT_EQ(p.spans[2].heading, "MAKHLUF REACTS WITH BRAVADO ON BBC RADIO");
}

TEST(ParagraphsTest, UnmarkedCableAndYearAtLineStart) {
  const std::string body =
      "\xC2\xB6"
      "1. Summary. The Zapatero Government has undertaken\n"
      "reforms.\n\n"
      "\xC2\xB6"
      "2. The minister said the reforms would continue into\n"
      "2008. The year will be difficult.\n\n"
      "\xC2\xB6"
      "3. Comment follows.\n";
  const Parsed p = Parse(body);
  EXPECT_EQ(Numbers(p), std::vector<int>({1, 2, 3}));
  EXPECT_EQ(ParagraphText(p.lines, p.spans[1]),
            "The minister said the reforms would continue into 2008. The year "
            "will be difficult.");
}

TEST(ParagraphsTest, NumberedListInsideAParagraphStaysText) {
  const std::string body =
      "1. (C) The points were:\n"
      "1. Security.\n"
      "2. Economy.\n"
      "3. Reform.\n\n"
      "2. (C) The minister agreed.\n\n"
      "3. (C) Comment.\n";
  const Parsed p = Parse(body);
  ASSERT_EQ(Numbers(p), std::vector<int>({1, 2, 3}));
  EXPECT_EQ(ParagraphText(p.lines, p.spans[0]),
            "The points were: 1. Security. 2. Economy. 3. Reform.");
}

TEST(ParagraphsTest, ListInUnmarkedCableLosesToTheLongerRun) {
  const std::string body =
      "1. The points were:\n\n"
      "1. Security.\n"
      "2. Economy.\n\n"
      "2. The minister agreed.\n\n"
      "3. He left.\n\n"
      "4. Comment.\n";
  const Parsed p = Parse(body);
  ASSERT_EQ(Numbers(p), std::vector<int>({1, 2, 3, 4}));
  EXPECT_EQ(ParagraphText(p.lines, p.spans[1]), "The minister agreed.");
}

TEST(ParagraphsTest, SubItemsStayInTheirParagraph) {
  const std::string body =
      "1. (C) Requests:\n"
      "A. Report on contacts.\n"
      "B) Report on funding.\n\n"
      "2. (U) Thanks.\n";
  const Parsed p = Parse(body);
  ASSERT_EQ(Numbers(p), std::vector<int>({1, 2}));
  EXPECT_EQ(ParagraphText(p.lines, p.spans[0]),
            "Requests: A. Report on contacts. B) Report on funding.");
}

TEST(ParagraphsTest, HeadingInUnwrappedText) {
  // 10CARACAS69: one line per paragraph, headings between them.
  const std::string body =
      "\xC2\xB6"
      "1. (C) Summary: 2010 is shaping up to be another bad year.\n"
      "2009: The Year the Bubble Burst\n"
      "\xC2\xB6"
      "2. (C) Venezuela's bubble burst in 2009.\n"
      "CARACAS 00000069 002 OF 004\n"
      "what is almost surely to be increased fiscal spending.\n"
      "\xC2\xB6"
      "3. (C) Forecasts.\n";
  const Parsed p = Parse(body);
  ASSERT_EQ(Numbers(p), std::vector<int>({1, 2, 3}));
  EXPECT_EQ(p.spans[1].heading, "2009: The Year the Bubble Burst");
  EXPECT_EQ(ParagraphText(p.lines, p.spans[0]),
            "Summary: 2010 is shaping up to be another bad year.");
  EXPECT_EQ(p.spans[2].heading, "");
  EXPECT_EQ(ParagraphText(p.lines, p.spans[1]),
            "Venezuela's bubble burst in 2009. what is almost surely to be "
            "increased fiscal spending.");
}

TEST(ParagraphsTest, HeadingText) {
  EXPECT_EQ(HeadingText("//COMMENT//"), "COMMENT");
  EXPECT_EQ(HeadingText("RELATIONSHIP OFF ON THE RIGHT FOOT -----------"),
            "RELATIONSHIP OFF ON THE RIGHT FOOT");
  EXPECT_EQ(HeadingText("Comment:"), "Comment");
  EXPECT_EQ(HeadingText("the last line of a paragraph."), "");
  EXPECT_EQ(HeadingText("Classified By: Anne W. Patterson"), "");
  EXPECT_EQ(HeadingText("XXXXXXXXXXXX"), "");
  EXPECT_EQ(HeadingText("(U) THIS CABLE IS SENSITIVE"), "");
  EXPECT_EQ(HeadingText("SIPDIS"), "");
}

TEST(ParagraphsTest, NoParagraphs) {
  EXPECT_TRUE(Parse("Just text.\nMore text.\n").spans.empty());
  EXPECT_TRUE(Parse("").spans.empty());
}

}  // namespace
}  // namespace cables::parser
