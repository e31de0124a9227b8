#include "services/ingest/parser/caveats.h"

#include "gtest/gtest.h"

namespace cables::parser {
namespace {

using Caveats = std::vector<std::string>;

TEST(CaveatsTest, StandaloneLines) {
  Caveats c;
  EXPECT_TRUE(ParseCaveatLine("SIPDIS ", &c));
  EXPECT_TRUE(ParseCaveatLine("NOFORN", &c));
  EXPECT_TRUE(ParseCaveatLine("Sipdis", &c));  // duplicate, any case
  EXPECT_TRUE(ParseCaveatLine("NOFORN/ORCON", &c));
  EXPECT_TRUE(ParseCaveatLine("SENSITIVE BUT UNCLASSIFIED", &c));
  EXPECT_TRUE(ParseCaveatLine("EXDIS CHEROKEE", &c));
  EXPECT_EQ(c, Caveats({"SIPDIS", "NOFORN", "ORCON",
                        "SENSITIVE BUT UNCLASSIFIED", "EXDIS", "CHEROKEE"}));
}

TEST(CaveatsTest, CaveatFollowedByAField) {
  Caveats c;
  EXPECT_TRUE(ParseCaveatLine("SIPDIS E.O. 12958: N/A", &c));
  EXPECT_EQ(c, Caveats({"SIPDIS"}));
}

TEST(CaveatsTest, OtherLinesAreNoCaveats) {
  Caveats c;
  EXPECT_FALSE(ParseCaveatLine("STATE FOR NEA/ELA", &c));
  EXPECT_FALSE(ParseCaveatLine("SENSITIVE information follows", &c));
  EXPECT_FALSE(ParseCaveatLine("", &c));
  EXPECT_TRUE(c.empty());
}

TEST(CaveatsTest, FromClassificationStrings) {
  EXPECT_EQ(CaveatsOfClassification("SECRET//NOFORN"), Caveats({"NOFORN"}));
  EXPECT_EQ(CaveatsOfClassification("UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
            Caveats({"FOR OFFICIAL USE ONLY"}));
  EXPECT_EQ(CaveatsOfClassification("SECRET//NOFORN/ORCON//REL TO USA, GBR"),
            Caveats({"NOFORN", "ORCON", "REL TO USA, GBR"}));
  EXPECT_TRUE(CaveatsOfClassification("CONFIDENTIAL").empty());
}

TEST(CaveatsTest, PrefixStopsAtOtherWords) {
  Caveats c;
  EXPECT_EQ(ParseCaveatPrefix("NOFORN PARIS 000123", &c), 6u);
  EXPECT_EQ(ParseCaveatPrefix("REL SAU", &c), 7u);
  EXPECT_EQ(c, Caveats({"NOFORN", "REL SAU"}));
}

}  // namespace
}  // namespace cables::parser
