#include "services/ingest/parser/summary.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

std::string Summary(const std::string& body) {
  const std::vector<absl::string_view> lines = SplitLines(body);
  const std::vector<ParagraphSpan> spans = FindParagraphs(lines, lines.size());
  return ExtractSummary(lines, spans, lines.size());
}

TEST(SummaryTest, MarkerToEndMarker) {
  // 08DAMASCUS427, shortened.
  EXPECT_EQ(Summary("Classified By: CDA Todd C. Holmstrom for reasons 1.5 b/d\n"
                    "\n\xC2\xB6"
                    "1. (C) Summary. The SARG worked to portray "
                    "the June 15 visit \nas a vindication. End summary. \n\n"
                    "\xC2\xB6"
                    "2. (U) The June 15 one-day visit.\n"),
            "The SARG worked to portray the June 15 visit as a vindication.");
}

TEST(SummaryTest, AcrossParagraphsAndPageBreaks) {
  EXPECT_EQ(Summary("1. (C) SUMMARY AND COMMENT: First part.\n\n"
                    "BAGHDAD 00000293 002 OF 002\n\n"
                    "2. (C) Second part. END SUMMARY AND COMMENT.\n\n"
                    "3. (C) Details.\n"),
            "First part. Second part.");
}

TEST(SummaryTest, WithoutEndMarkerTheParagraphEnds) {
  EXPECT_EQ(Summary("1. (SBU) Summary: Only this paragraph.\nStill it.\n\n"
                    "2. (SBU) Not the summary.\n"),
            "Only this paragraph. Still it.");
}

TEST(SummaryTest, HeadingMarker) {
  EXPECT_EQ(Summary("-------\nSummary\n-------\n\n"
                    "1. (C) The Embassy obtained a copy.\n\n"
                    "2. (C) Details.\n"),
            "The Embassy obtained a copy.");
}

TEST(SummaryTest, InlineMarkerBeatsAHeading) {
  // 09STATE131801.
  EXPECT_EQ(Summary("------- \nSummary\n------- \n"
                    "\xC2\xB6"
                    "1. (U) This is an action request cable.\n\n"
                    "\xC2\xB6"
                    "2. (S/NF) Summary: In August 2009, the envoy "
                    "traveled.\n\n"
                    "\xC2\xB6"
                    "3. (SBU) Action request: Drawing on.\n"),
            "In August 2009, the envoy traveled.");
}

TEST(SummaryTest, BeginSummaryAndOtherLeads) {
  EXPECT_EQ(Summary("1. (C) Begin Summary and Comment: Multiple bases. End "
                    "Summary.\n"),
            "Multiple bases.");
  EXPECT_EQ(Summary("1. (C) Introduction and summary: During a meeting. End "
                    "summary.\n"),
            "During a meeting.");
  EXPECT_EQ(Summary("1. (C) Summary/Introduction. More than two weeks. End "
                    "Summary.\n"),
            "More than two weeks.");
}

TEST(SummaryTest, EndMarkerWithoutStartMarker) {
  EXPECT_EQ(Summary("1.(C) UK Ambassador Adams met officials. End summary \n\n"
                    "2. (C) Details.\n"),
            "UK Ambassador Adams met officials.");
}

TEST(SummaryTest, NoSummary) {
  EXPECT_EQ(Summary("1. (C) The MOD gave a summary of security issues.\n"), "");
  EXPECT_EQ(Summary(""), "");
}

TEST(SummaryTest, Markers) {
  EXPECT_EQ(SummaryMarkerEnd("SUMMARY: x"), 9u);
  EXPECT_EQ(SummaryMarkerEnd("Summary of talks"), absl::string_view::npos);
  EXPECT_EQ(FindEndSummary("done. END OF SUMMARY.", 0), 6u);
  EXPECT_EQ(FindEndSummary("the end summary", 0), 4u);
  EXPECT_EQ(FindEndSummary("legend summary", 0), absl::string_view::npos);
}

}  // namespace
}  // namespace cables::parser
