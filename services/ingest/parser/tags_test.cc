#include "services/ingest/parser/tags.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

using Tags = std::vector<std::string>;

Tags FromBody(absl::string_view body) {
  return ExtractTags(SplitLines(body), 40);
}

TEST(TagsTest, CommaAndSpaceSeparated) {
  EXPECT_EQ(ParseTagsValue(" PGOV, PREL, KDEM"),
            Tags({"PGOV", "PREL", "KDEM"}));
  EXPECT_EQ(ParseTagsValue("PREL PGOV SP"), Tags({"PREL", "PGOV", "SP"}));
  EXPECT_EQ(ParseTagsValue("PREL;PGOV;KCOR;HU;HR"),
            Tags({"PREL", "PGOV", "KCOR", "HU", "HR"}));
  EXPECT_EQ(ParseTagsValue("prel, pgov, pins, tu"),
            Tags({"PREL", "PGOV", "PINS", "TU"}));
  EXPECT_EQ(ParseTagsValue("PTER, PGOV, ASEC, EFIN, ENRG, KCIP, "),
            Tags({"PTER", "PGOV", "ASEC", "EFIN", "ENRG", "KCIP"}));
}

TEST(TagsTest, PersonTagsStayWhole) {
  EXPECT_EQ(ParseTagsValue("OVIP (CLINTON, HILLARY), PREL, AS, PK"),
            Tags({"OVIP", "CLINTON, HILLARY", "PREL", "AS", "PK"}));
  EXPECT_EQ(ParseTagsValue("OVIP (STEINBERG, JAMES B.), PREL"),
            Tags({"OVIP", "STEINBERG, JAMES B.", "PREL"}));
  EXPECT_EQ(ParseTagsValue("PREL, ROOD, JOHN, PARM"),
            Tags({"PREL", "ROOD, JOHN", "PARM"}));
  // The comma lost after OVIP: "OVIP STEINBERG JAMES".
  EXPECT_EQ(ParseTagsValue("OVIP STEINBERG JAMES PREL MNUC SN"),
            Tags({"OVIP", "STEINBERG, JAMES", "PREL", "MNUC", "SN"}));
  // Two unknown words after a comma are no person when the first is long.
  EXPECT_EQ(ParseTagsValue("KWBG, COUNTERTERRORISM, GOI EXTERNAL"),
            Tags({"KWBG", "COUNTERTERRORISM", "GOI", "EXTERNAL"}));
}

TEST(TagsTest, LabelsAndTypos) {
  size_t begin = 0;
  EXPECT_TRUE(FindTagsLabel("TAGS: PGOV", &begin));
  EXPECT_TRUE(FindTagsLabel("TAGE: PGOV", &begin));
  EXPECT_TRUE(FindTagsLabel("TAS: PGOV", &begin));
  EXPECT_TRUE(FindTagsLabel("TAG PTER, PREL", &begin));
  EXPECT_TRUE(FindTagsLabel("TAGS ECON, EFIN", &begin));
  EXPECT_EQ(begin, 5u);
  EXPECT_TRUE(FindTagsLabel("E.O. 12958: N/A TAGS: ASEC SNAR", &begin));
  EXPECT_FALSE(FindTagsLabel("tag for Russian defiance.", &begin));
  EXPECT_FALSE(FindTagsLabel("The TAGS: were wrong", &begin));
}

TEST(TagsTest, ContinuationLinesAndDuplicates) {
  EXPECT_EQ(FromBody("E.O. 12958: DECL: 02/14/2018 TAGS: BR PREL MARR\n"
                     "BR, PREL, MARR \n"
                     "SUBJECT: AMBASSADOR'S MEETING\n"),
            Tags({"BR", "PREL", "MARR"}));
  EXPECT_EQ(FromBody("TAGS: PREL, PGOV, PTER, PHUM, ECON, EFIN, \n"
                     "KCRM, KJUS, SP \n"
                     "SUBJECT: X\n"),
            Tags({"PREL", "PGOV", "PTER", "PHUM", "ECON", "EFIN", "KCRM",
                  "KJUS", "SP"}));
  // A wrapped subject line is no tag continuation.
  EXPECT_EQ(FromBody("TAGS: PREL SP\nVISIT BY THE MINISTER\n"),
            Tags({"PREL", "SP"}));
}

TEST(TagsTest, SameLineAsSubject) {
  EXPECT_EQ(FromBody("E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu "
                     "Subject: turkish p.m. Erdogan goes to washington\n"),
            Tags({"PREL", "PGOV", "PINS", "TU"}));
}

TEST(TagsTest, NoTags) {
  EXPECT_TRUE(
      FromBody("SUBJECT: X\n\n1. (C) The price tag is high.\n").empty());
}

}  // namespace
}  // namespace cables::parser
