#include "services/ingest/parser/banner.h"

#include "gtest/gtest.h"

namespace cables::parser {
namespace {

TEST(BannerTest, SpacedLettersWithSectionAndStation) {
  auto b = ParseBannerLine(
      "C O N F I D E N T I A L SECTION 01 OF 02 DAMASCUS 000427 ");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->level, "CONFIDENTIAL");
  EXPECT_EQ(b->classification, "CONFIDENTIAL");
  EXPECT_EQ(b->station, "DAMASCUS");
  EXPECT_EQ(b->serial, "000427");
}

TEST(BannerTest, UnclasAndMultiWordStations) {
  auto b = ParseBannerLine("UNCLAS SECTION 01 OF 03 SAO PAULO 000660");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->classification, "UNCLASSIFIED");
  EXPECT_EQ(b->station, "SAO PAULO");
  b = ParseBannerLine("S E C R E T ABU DHABI 002178");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->level, "SECRET");
  EXPECT_EQ(b->station, "ABU DHABI");
  b = ParseBannerLine("UNCLAS SECTION 01 OF 03");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->classification, "UNCLASSIFIED");
  EXPECT_EQ(b->station, "");
}

TEST(BannerTest, GarbledLevelsFromRealPages) {
  EXPECT_EQ(
      ParseBannerLine("SS E C R E T SECTION 01 OF 02 TUNIS 000123")->level,
      "SECRET");
  EXPECT_EQ(ParseBannerLine("CC O N F I D E N T I A L SECTION 01 OF 03")->level,
            "CONFIDENTIAL");
  EXPECT_EQ(
      ParseBannerLine("C ONFIDENTIAL SECTION 01 of 02 BAKU 000123")->level,
      "CONFIDENTIAL");
  EXPECT_EQ(ParseBannerLine("UUNCLAS MANAGUA 000123")->level, "UNCLASSIFIED");
  EXPECT_EQ(ParseBannerLine("E C R E T SANAA 000123")->level, "SECRET");
  auto b = ParseBannerLine("S e c r e t state 000123");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->station, "STATE");
}

TEST(BannerTest, CaveatsInTheBanner) {
  auto b = ParseBannerLine("SECRET//NOFORN");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->classification, "SECRET//NOFORN");
  EXPECT_EQ(b->caveats, std::vector<std::string>({"NOFORN"}));
  b = ParseBannerLine("UNCLASSIFIED//FOR OFFICIAL USE ONLY ALMATY 001595");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->classification, "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
  EXPECT_EQ(b->station, "ALMATY");
  EXPECT_EQ(b->serial, "001595");
  b = ParseBannerLine("SECRET//FGI//NOFORN//MR");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->caveats, std::vector<std::string>({"FGI", "NOFORN", "MR"}));
  b = ParseBannerLine("SECRET//REL TO USA, FVEY ROME 000123");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->caveats, std::vector<std::string>({"REL TO USA, FVEY"}));
  EXPECT_EQ(b->station, "ROME");
}

TEST(BannerTest, ProseIsNoBanner) {
  EXPECT_FALSE(ParseBannerLine("SECRET SERVICE AGENTS ARRIVED").has_value());
  EXPECT_FALSE(ParseBannerLine("SECRETARY RICE MET").has_value());
  EXPECT_FALSE(ParseBannerLine("Friday, 22 January 2010, 15:14").has_value());
  EXPECT_FALSE(ParseBannerLine("").has_value());
}

TEST(BannerTest, NormalizeClassification) {
  EXPECT_EQ(NormalizeClassification("Secret // Noforn"), "SECRET//NOFORN");
  EXPECT_EQ(NormalizeClassification("UNCLAS"), "UNCLASSIFIED");
  EXPECT_EQ(NormalizeClassification("UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
}

}  // namespace
}  // namespace cables::parser
