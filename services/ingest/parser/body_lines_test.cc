#include "services/ingest/parser/body_lines.h"

#include <random>
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

// Reference versions of the scanning helpers, one byte at a time.
size_t NaiveFindIgnoreCase(absl::string_view haystack, absl::string_view needle,
                           size_t pos) {
  if (needle.empty()) {
    return pos <= haystack.size() ? pos : absl::string_view::npos;
  }
  for (size_t i = pos; i + needle.size() <= haystack.size(); ++i) {
    if (StartsWithNoCase(haystack.substr(i), needle)) return i;
  }
  return absl::string_view::npos;
}

std::string NaiveFold(absl::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (IsAsciiSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// The classification-only test as squeezing and prefix matching.
bool NaiveClassificationOnly(absl::string_view line) {
  line = TrimView(line);
  if (line.empty() || line.size() > 60) return false;
  std::string squeezed;
  for (const char c : line) {
    if (c != ' ' && c != '\t') squeezed.push_back(ToAsciiUpper(c));
  }
  for (absl::string_view level :
       {"UNCLASSIFIED", "UNCLAS", "CONFIDENTIAL", "TOPSECRET", "SECRET",
        "LIMITEDOFFICIALUSE"}) {
    if (absl::string_view(squeezed).substr(0, level.size()) != level) continue;
    const absl::string_view tail =
        absl::string_view(squeezed).substr(level.size());
    return tail.empty() || (tail.size() >= 2 && tail.substr(0, 2) == "//");
  }
  return false;
}

std::string RandomText(std::mt19937& rng, absl::string_view alphabet,
                       size_t max_size) {
  std::uniform_int_distribution<size_t> size(0, max_size);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::string s(size(rng), ' ');
  for (char& c : s) c = alphabet[pick(rng)];
  return s;
}

TEST(BodyLinesTest, FindIgnoreCaseEdges) {
  EXPECT_EQ(FindIgnoreCase(std::string(100, 'y') + "Summary", "SUMMARY"), 100u);
  EXPECT_EQ(FindIgnoreCase("SUMMARY summary", "summary", 1), 8u);
  EXPECT_EQ(FindIgnoreCase("abc", "", 3), 3u);
  EXPECT_EQ(FindIgnoreCase("abc", "", 4), absl::string_view::npos);
  EXPECT_EQ(FindIgnoreCase("abc", "c", 7), absl::string_view::npos);
  EXPECT_EQ(FindIgnoreCase("E.O. 12958", "12958"), 5u);
  EXPECT_EQ(FindIgnoreCase("", "x"), absl::string_view::npos);
}

TEST(BodyLinesTest, ScanningHelpersMatchByteByByteVersions) {
  std::mt19937 rng(5);
  for (int round = 0; round < 20000; ++round) {
    const std::string hay = RandomText(rng, "sumaryXSUMARY .\t", 90);
    const std::string needle = RandomText(rng, "sumaryXSUMARY .", 4);
    const size_t pos = rng() % 100;
    ASSERT_EQ(FindIgnoreCase(hay, needle, pos),
              NaiveFindIgnoreCase(hay, needle, pos))
        << hay << " / " << needle << " / " << pos;
    const std::string text = RandomText(rng, "ab  \t\n\r\v\f.", 70);
    std::string folded;
    AppendFolded(text, &folded);
    ASSERT_EQ(folded, NaiveFold(text)) << text;
    const std::string line = RandomText(rng, "UNCLASIFEDTOPRS/ \tnu", 24);
    ASSERT_EQ(IsClassificationOnlyLine(line), NaiveClassificationOnly(line))
        << line;
  }
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
  // One to five station words, then a serial of five digits or more.
  EXPECT_TRUE(ParsePageBreakLine("ADDIS ABABA 00001234 002 OF 003", &rest));
  EXPECT_TRUE(ParsePageBreakLine("A B C D E 00001234 002 OF 003", &rest));
  EXPECT_FALSE(ParsePageBreakLine("A B C D E F 00001234 002 OF 003", &rest));
  EXPECT_FALSE(ParsePageBreakLine("Damascus 00000427 002 OF 002", &rest));
  EXPECT_FALSE(ParsePageBreakLine("DAMASCUS 0427 002 OF 002", &rest));
  EXPECT_FALSE(ParsePageBreakLine("THE DELEGATION OF THE EU MET", &rest));
}

TEST(BodyLinesTest, ClassificationOnlyLines) {
  EXPECT_TRUE(IsClassificationOnlyLine(" CONFIDENTIAL"));
  EXPECT_TRUE(IsClassificationOnlyLine("S E C R E T"));
  EXPECT_TRUE(IsClassificationOnlyLine("SECRET//FGI//NOFORN//MR"));
  EXPECT_FALSE(IsClassificationOnlyLine("SECRETARY RICE"));
  EXPECT_FALSE(IsClassificationOnlyLine("CONFIDENTIAL MADRID 000123"));
  EXPECT_TRUE(IsClassificationOnlyLine("UNCLAS"));
  EXPECT_TRUE(IsClassificationOnlyLine("U N C L A S S I F I E D"));
  EXPECT_TRUE(IsClassificationOnlyLine("UNCLAS // SBU"));
  EXPECT_TRUE(IsClassificationOnlyLine("LIMITED OFFICIAL USE"));
  EXPECT_TRUE(IsClassificationOnlyLine("Top Secret//NOFORN"));
  EXPECT_FALSE(IsClassificationOnlyLine("UNCLASS"));
  EXPECT_FALSE(IsClassificationOnlyLine("SECRET /"));
  EXPECT_FALSE(IsClassificationOnlyLine("CONFIDENTIALITY"));
  EXPECT_FALSE(IsClassificationOnlyLine("Under Secretary Burns"));
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
  EXPECT_EQ(ParseMarking("( s  /  nf ) x", &used).value_or("-"), "S / NF");
  EXPECT_EQ(used, 12u);
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
