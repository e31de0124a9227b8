#include "services/ingest/parser/body_lines.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

TEST(BodyLinesTest, FindIgnoreCaseAndWords) {
  EXPECT_EQ(FindIgnoreCase("End Summary.", "SUMMARY"), 4u);
  EXPECT_EQ(FindIgnoreCase("abc", "abcd"), absl::string_view::npos);
  EXPECT_EQ(FindWordIgnoreCase("DECLASSIFIED BY", "CLASSIFIED"),
            absl::string_view::npos);
  EXPECT_EQ(FindWordIgnoreCase("x Classified by", "CLASSIFIED"), 2u);
}

TEST(BodyLinesTest, AppendFoldedJoinsWithSingleSpaces) {
  std::string out = "first";
  AppendFolded("  wrapped \t line\n", &out);
  AppendFolded("", &out);
  AppendFolded("next  ", &out);
  EXPECT_EQ(out, "first wrapped line next");
}

TEST(BodyLinesTest, RuleAndBlankLines) {
  EXPECT_TRUE(IsBlankLine(" \t"));
  EXPECT_TRUE(IsRuleLine("---------------------------------------- "));
  EXPECT_TRUE(IsRuleLine("- - - -"));
  EXPECT_FALSE(IsRuleLine("--"));
  EXPECT_FALSE(IsRuleLine("-- NORIEGA PLANS"));
}

TEST(BodyLinesTest, PageBreakLines) {
  absl::string_view rest = "unset";
  EXPECT_TRUE(ParsePageBreakLine("DAMASCUS 00000427 002 OF 002", &rest));
  EXPECT_TRUE(rest.empty());
  EXPECT_TRUE(ParsePageBreakLine("BAGHDAD 00000293  001.2 OF 002 ", &rest));
  EXPECT_TRUE(ParsePageBreakLine("RIO DE JAN 00000365 001.2 OF 002", &rest));
  EXPECT_TRUE(ParsePageBreakLine(
      "PAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER", &rest));
  EXPECT_EQ(rest, "OPPOSITION LEADER");
  EXPECT_TRUE(ParsePageBreakLine("PAGE 02 RUEHFRA0170 S E C R E T ", &rest));
  EXPECT_TRUE(rest.empty());
  EXPECT_FALSE(ParsePageBreakLine("2 OF 3 PARTIES AGREED", &rest));
  EXPECT_FALSE(ParsePageBreakLine("the 00000427 002 OF 002", &rest));
}

TEST(BodyLinesTest, ClassificationOnlyLines) {
  EXPECT_TRUE(IsClassificationOnlyLine(" CONFIDENTIAL"));
  EXPECT_TRUE(IsClassificationOnlyLine("S E C R E T"));
  EXPECT_TRUE(IsClassificationOnlyLine("SECRET//FGI//NOFORN//MR"));
  EXPECT_FALSE(IsClassificationOnlyLine("SECRETARY RICE"));
  EXPECT_FALSE(IsClassificationOnlyLine("CONFIDENTIAL MADRID 000123"));
}

TEST(BodyLinesTest, ParagraphStartForms) {
  auto p = ParseParagraphStart(
      "\xC2\xB6"
      "1. (C) Summary. The SARG worked");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->number, 1);
  EXPECT_EQ(p->marking, "C");
  p = ParseParagraphStart("1.(SBU) text");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->marking, "SBU");
  p = ParseParagraphStart(
      "\xC2\xB6"
      "12. (S//REL TO USA, FVEY) text");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->number, 12);
  EXPECT_EQ(p->marking, "S//REL TO USA, FVEY");
  p = ParseParagraphStart(
      "\xC2\xB6"
      "2. C) Following the call");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->marking, "C");
  p = ParseParagraphStart("(C) 1. The Embassy obtained");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->number, 1);
  EXPECT_EQ(p->marking, "C");
  p = ParseParagraphStart("4. THE REVERSE OF THIS");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->marking, "");
  EXPECT_EQ(absl::string_view("4. THE REVERSE OF THIS").substr(p->text_offset),
            "THE REVERSE OF THIS");
  p = ParseParagraphStart("3.. (SBU) All elections");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->marking, "SBU");
  EXPECT_FALSE(ParseParagraphStart("1.4 (b) and (d)").has_value());
  EXPECT_FALSE(ParseParagraphStart("2008. The year").has_value());
  EXPECT_FALSE(ParseParagraphStart("A. STATE 12345").has_value());
}

TEST(BodyLinesTest, MarkingRequiresAClassificationWord) {
  size_t used = 0;
  EXPECT_EQ(ParseMarking("(S/NF) x", &used).value_or("-"), "S/NF");
  EXPECT_EQ(used, 6u);
  EXPECT_EQ(ParseMarking("(C - ENTIRE TEXT).", &used).value_or("-"),
            "C - ENTIRE TEXT");
  EXPECT_FALSE(ParseMarking("(Reuters) said", &used).has_value());
  EXPECT_FALSE(ParseMarking("(1) first", &used).has_value());
}

TEST(BodyLinesTest, FieldLabelsAndSummaryWord) {
  EXPECT_TRUE(StartsFieldLabel("SUBJECT: X"));
  EXPECT_TRUE(StartsFieldLabel("REF: A. STATE 1"));
  EXPECT_TRUE(StartsFieldLabel("Classified By: CDA"));
  EXPECT_TRUE(StartsFieldLabel("EO 12958 DECL: 02/28/2028"));
  EXPECT_FALSE(StartsFieldLabel("REFORM of the state"));
  EXPECT_TRUE(
      StartsWithSummaryWord("\xC2\xB6"
                            "1. (C) Summary. The SARG"));
  EXPECT_TRUE(StartsWithSummaryWord("SUMMARY AND COMMENT: x"));
  EXPECT_TRUE(StartsWithSummaryWord("------- Summary -------"));
  EXPECT_TRUE(StartsWithSummaryWord("1. (C) Begin Summary. x"));
  EXPECT_FALSE(StartsWithSummaryWord("Summary of the meeting"));
}

TEST(BodyLinesTest, SplitGluedLines) {
  const std::string body =
      "CLASSIFIED BY: Gene A. Cretz, Ambassador. REASON: 1.4 (b), (d) 1. "
      "(C/NF) Summary: While Libya has a number of issues\n"
      "PAGE 03 HARARE 06677 03 OF 03 291401Z 11. (C) COMMENT: TSVANGIRAI "
      "WAS FRANK\n"
      "he said on page 2. (Reuters) reported nothing more here at all";
  const std::vector<absl::string_view> lines =
      SplitGluedLines(SplitLines(body));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0],
            "CLASSIFIED BY: Gene A. Cretz, Ambassador. REASON: 1.4 (b), (d)");
  EXPECT_EQ(lines[1].substr(0, 10), "1. (C/NF) ");
  EXPECT_EQ(lines[3].substr(0, 8), "11. (C) ");
  EXPECT_EQ(lines[4].substr(0, 18), "he said on page 2.");
}

}  // namespace
}  // namespace cables::parser
