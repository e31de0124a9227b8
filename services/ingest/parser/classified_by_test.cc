#include "services/ingest/parser/classified_by.h"

#include "gtest/gtest.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

using Reasons = std::vector<std::string>;

TEST(ClassifiedByTest, NameWithTitleAndReasons) {
  ClassificationAuthority a = ParseClassifiedBy(
      "Classified By: CDA Todd C. Holmstrom for reasons 1.5 b/d");
  EXPECT_EQ(a.classified_by, "CDA Todd C. Holmstrom");
  EXPECT_EQ(a.reasons, Reasons({"1.5(b)", "1.5(d)"}));
  a = ParseClassifiedBy(
      "CLASSIFIED BY: AMBASSADOR ROSS WILSON. REASON: 1.4 (B) AND (D)");
  EXPECT_EQ(a.classified_by, "AMBASSADOR ROSS WILSON");
  EXPECT_EQ(a.reasons, Reasons({"1.4(b)", "1.4(d)"}));
  a = ParseClassifiedBy(
      "CLASSIFIED BY: CAULFIELD, CDA, DOS, CDA; REASON: 1.4(B), (D)");
  EXPECT_EQ(a.classified_by, "CAULFIELD, CDA, DOS, CDA");
  EXPECT_EQ(a.reasons, Reasons({"1.4(b)", "1.4(d)"}));
}

TEST(ClassifiedByTest, ReasonForms) {
  EXPECT_EQ(ParseReasons("1.4(b),(d)"), Reasons({"1.4(b)", "1.4(d)"}));
  EXPECT_EQ(ParseReasons("Reasons 1.4 b and d"), Reasons({"1.4(b)", "1.4(d)"}));
  EXPECT_EQ(ParseReasons("1.4 (b)(d)"), Reasons({"1.4(b)", "1.4(d)"}));
  EXPECT_EQ(ParseReasons("1.4 (B and D)."), Reasons({"1.4(b)", "1.4(d)"}));
  EXPECT_EQ(ParseReasons("1.4 (a), (b), and (d)."),
            Reasons({"1.4(a)", "1.4(b)", "1.4(d)"}));
  EXPECT_EQ(ParseReasons("reasons b, d."), Reasons({"1.4(b)", "1.4(d)"}));
  EXPECT_EQ(ParseReasons("1.4 (B) A ND (D)"), Reasons({"1.4(b)", "1.4(d)"}));
  EXPECT_EQ(ParseReasons("E.O. 12958 1.4(d)"), Reasons({"1.4(d)"}));
  EXPECT_EQ(ParseReasons("1.4bd"), Reasons({"1.4(b)", "1.4(d)"}));
  // Stops at the text that follows the reasons.
  EXPECT_EQ(ParseReasons("1.4 (d) Summary: a b c"), Reasons({"1.4(d)"}));
}

TEST(ClassifiedByTest, NoReasonKeyword) {
  ClassificationAuthority a =
      ParseClassifiedBy("Classified By: Ambassador Michele J. Sison. ");
  EXPECT_EQ(a.classified_by, "Ambassador Michele J. Sison");
  EXPECT_TRUE(a.reasons.empty());
  a = ParseClassifiedBy("Classified By: DCM Tom Kelly, 1.4(b),(d)");
  EXPECT_EQ(a.classified_by, "DCM Tom Kelly");
  EXPECT_EQ(a.reasons, Reasons({"1.4(b)", "1.4(d)"}));
  a = ParseClassifiedBy(
      "Classified By: Classified by IO/DAS Gerald Anderson "
      "for reasons 1.4(b) and (d)");
  EXPECT_EQ(a.classified_by, "IO/DAS Gerald Anderson");
}

TEST(ClassifiedByTest, BlockOverSeveralLines) {
  // 05ABUDHABI2178 and 08BAGHDAD293.
  ClassificationAuthority a = ExtractClassifiedBy(
      SplitLines("REF: ABU DHABI 1008\n\n"
                 "Classified By: Ambassador Michele J. Sison. \n"
                 "For reasons 1.4 (a), (b), and (d). \n\n"
                 "1. (U) Abu Dhabi Crown Prince\n"),
      10);
  EXPECT_EQ(a.classified_by, "Ambassador Michele J. Sison");
  EXPECT_EQ(a.reasons, Reasons({"1.4(a)", "1.4(b)", "1.4(d)"}));
  a = ExtractClassifiedBy(
      SplitLines("Classified By: Political Counselor Matt Tueller for reasons "
                 "1.4 (b) and \n(d). \n\n1. (C) Summary: Scion"),
      10);
  EXPECT_EQ(a.classified_by, "Political Counselor Matt Tueller");
  EXPECT_EQ(a.reasons, Reasons({"1.4(b)", "1.4(d)"}));
}

TEST(ClassifiedByTest, LabelAfterAnotherField) {
  ClassificationAuthority a = ExtractClassifiedBy(
      SplitLines("REF: ASUNCION 396 Classified By: AMBASSADOR CRAIG KELLY; "
                 "Reasons 1.4(b), (d)\n"),
      10);
  EXPECT_EQ(a.classified_by, "AMBASSADOR CRAIG KELLY");
  a = ExtractClassifiedBy(
      SplitLines("1. (U) Classified by Ambassador Marcelle M. Wahba for "
                 "reasons 1.5 (B) and (D).\n"),
      10);
  EXPECT_EQ(a.classified_by, "Ambassador Marcelle M. Wahba");
  EXPECT_EQ(a.reasons, Reasons({"1.5(b)", "1.5(d)"}));
  // Prose and declassification notes are no label.
  a = ExtractClassifiedBy(
      SplitLines("the report was classified by the ministry\n"
                 "E.O. 12958: DECL: DECLASSIFIED BY NARA 09/02/2009\n"),
      10);
  EXPECT_EQ(a.classified_by, "");
}

}  // namespace
}  // namespace cables::parser
