#include "services/ingest/parser/origin.h"

#include "gtest/gtest.h"

namespace cables::parser {
namespace {

TEST(OriginTest, PostsAsTheArchiveNamesThem) {
  EXPECT_EQ(OriginFromFm("AMEMBASSY DAMASCUS"), "Embassy Damascus");
  EXPECT_EQ(OriginFromFm("AMEMBASSY PORT AU PRINCE"), "Embassy Port Au Prince");
  EXPECT_EQ(OriginFromFm("AMCONSUL RIO DE JANEIRO"),
            "Consulate Rio De Janeiro");
  EXPECT_EQ(OriginFromFm("SECSTATE WASHDC"), "Secretary of State");
  EXPECT_EQ(OriginFromFm("USMISSION USNATO"), "Mission USNATO");
  EXPECT_EQ(OriginFromFm("USMISSION UNVIE VIENNA"), "UNVIE");
  EXPECT_EQ(OriginFromFm("USMISSION GENEVA"), "Mission Geneva");
  EXPECT_EQ(OriginFromFm("USEU BRUSSELS"), "USEU Brussels");
  EXPECT_EQ(OriginFromFm("USUN NEW YORK"), "USUN New York");
  EXPECT_EQ(OriginFromFm("USINT HAVANA"), "US Interests Section Havana");
  EXPECT_EQ(OriginFromFm("RPO DUBAI"), "Iran RPO Dubai");
  EXPECT_EQ(OriginFromFm("IRAN RPO DUBAI"), "Iran RPO Dubai");
  EXPECT_EQ(OriginFromFm("AMEMBASSY LONDON PRIORITY"), "Embassy London");
  EXPECT_EQ(OriginFromFm(""), "");
}

TEST(OriginTest, TitleCase) {
  EXPECT_EQ(TitleCaseWords("PORT-AU-PRINCE"), "Port-Au-Prince");
  EXPECT_EQ(TitleCaseWords("CDR USCENTCOM MACDILL AFB FL"),
            "Cdr USCENTCOM Macdill Afb Fl");
  EXPECT_EQ(TitleCaseWords("UNITED KINGDOM"), "United Kingdom");
}

}  // namespace
}  // namespace cables::parser
