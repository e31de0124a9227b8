#include "services/ingest/parser/routing_header.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace cables::parser {
namespace {

using cables::v1::Recipient;

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0),
                         absl::UTCTimeZone());
}

// 08DAMASCUS427 (shortened).
constexpr absl::string_view kDamascus =
    "VZCZCXRO0539\n"
    "PP RUEHAG RUEHBC RUEHDE RUEHKUK RUEHROV\n"
    "DE RUEHDM #0427/01 1681625\n"
    "ZNY CCCCC ZZH\n"
    "P 161625Z JUN 08\n"
    "FM AMEMBASSY DAMASCUS\n"
    "TO RUEHC/SECSTATE WASHDC PRIORITY 5083\n"
    "INFO RUEHEE/ARAB LEAGUE COLLECTIVE\n"
    "RUCNMEM/EU MEMBER STATES COLLECTIVE\n"
    "RUEHTV/AMEMBASSY TEL AVIV 2169\n"
    "RHEHNSC/NSC WASHDC\n"
    "RUMICEA/USCENTCOM INTEL CEN MACDILL AFB FL";

TEST(RoutingHeaderTest, StandardHeader) {
  const RoutingHeader h = ParseRoutingHeader(kDamascus, 0);
  EXPECT_EQ(h.transmission_id, "VZCZCXRO0539");
  EXPECT_EQ(h.precedence, Recipient::PRIORITY);
  ASSERT_TRUE(h.dtg.has_value());
  EXPECT_EQ(*h.dtg, Utc(2008, 6, 16, 16, 25));
  EXPECT_EQ(h.from, "AMEMBASSY DAMASCUS");
  EXPECT_EQ(h.serial, "0427");
  ASSERT_EQ(h.recipients.size(), 6u);
  const Recipient& to = h.recipients[0];
  EXPECT_EQ(to.kind(), Recipient::TO);
  EXPECT_EQ(to.route(), "RUEHC");
  EXPECT_EQ(to.name(), "SECSTATE WASHDC");
  EXPECT_EQ(to.precedence(), Recipient::PRIORITY);
  EXPECT_EQ(to.mcn(), "5083");
  EXPECT_EQ(h.recipients[1].kind(), Recipient::INFO);
  EXPECT_EQ(h.recipients[1].name(), "ARAB LEAGUE COLLECTIVE");
  EXPECT_EQ(h.recipients[1].precedence(), Recipient::PRECEDENCE_UNSPECIFIED);
  EXPECT_EQ(h.recipients[3].name(), "AMEMBASSY TEL AVIV");
  EXPECT_EQ(h.recipients[3].mcn(), "2169");
  EXPECT_EQ(h.recipients[5].kind(), Recipient::INFO);
  EXPECT_EQ(h.recipients[5].name(), "USCENTCOM INTEL CEN MACDILL AFB FL");
}

TEST(RoutingHeaderTest, OldHeaderWithoutRoutes) {
  // 79TEHRAN8980.
  const RoutingHeader h = ParseRoutingHeader(
      "R 130458Z AUG 79\nFM AMEMBASSY TEHRAN\nTO SECSTATE WASHDC 3182", 0);
  EXPECT_EQ(h.transmission_id, "");
  EXPECT_EQ(h.precedence, Recipient::ROUTINE);
  EXPECT_EQ(*h.dtg, Utc(1979, 8, 13, 4, 58));
  ASSERT_EQ(h.recipients.size(), 1u);
  EXPECT_EQ(h.recipients[0].route(), "");
  EXPECT_EQ(h.recipients[0].name(), "SECSTATE WASHDC");
  EXPECT_EQ(h.recipients[0].mcn(), "3182");
}

TEST(RoutingHeaderTest, DistributionListsAreNoRecipients) {
  // 00HARARE6677 (partial extract).
  const RoutingHeader h = ParseRoutingHeader(
      "291359Z Nov 00\n\n"
      "PAGE 01        HARARE  06677  01 OF 03  291400Z \n"
      "ACTION AF-00    \n\n"
      "INFO  LOG-00   NP-00    AID-00   ACQ-00   CEA-01   CIAE-00  COME-00  \n"
      "      SAS-00   SWCI-00    /012W\n"
      "                  ------------------A54E38  291401Z /38    \n"
      "FM AMEMBASSY HARARE\n"
      "TO SECSTATE WASHDC IMMEDIATE 7738\n"
      "INFO NSC WASHDC IMMEDIATE\n"
      "SOUTHERN AFRICAN DEVELOPMENT COMMUNITY\n"
      "AMEMBASSY NAIROBI",
      2000);
  EXPECT_EQ(*h.dtg, Utc(2000, 11, 29, 13, 59));
  ASSERT_EQ(h.recipients.size(), 4u);
  EXPECT_EQ(h.recipients[0].name(), "SECSTATE WASHDC");
  EXPECT_EQ(h.recipients[0].precedence(), Recipient::IMMEDIATE);
  EXPECT_EQ(h.recipients[1].kind(), Recipient::INFO);
  EXPECT_EQ(h.recipients[2].name(), "SOUTHERN AFRICAN DEVELOPMENT COMMUNITY");
  EXPECT_EQ(h.recipients[3].name(), "AMEMBASSY NAIROBI");
}

TEST(RoutingHeaderTest, NiactFlashAndExclusions) {
  const RoutingHeader h = ParseRoutingHeader(
      "VZCZCXYZ0001\n"
      "Z 011750Z MAR 07\n"
      "FM SECSTATE WASHDC\n"
      "TO ZEN/AMEMBASSY BELMOPAN NIACT IMMEDIATE 2276-2279\n"
      "RUEAIIA/CIA WASHINGTON DC//NHTC// 4521\n"
      "INFO AMCONSUL CASABLANCA PRIORITY \n"
      "XMT AMCONSUL JOHANNESBURG\n"
      "AMCONSUL JOHANNESBURG\n"
      "BT\n"
      "#0427",
      0);
  EXPECT_EQ(h.precedence, Recipient::FLASH);
  ASSERT_EQ(h.recipients.size(), 3u);
  EXPECT_EQ(h.recipients[0].route(), "ZEN");
  EXPECT_EQ(h.recipients[0].precedence(), Recipient::NIACT_IMMEDIATE);
  EXPECT_EQ(h.recipients[0].mcn(), "2276-2279");
  EXPECT_EQ(h.recipients[1].name(), "CIA WASHINGTON DC//NHTC");
  EXPECT_EQ(h.recipients[1].mcn(), "4521");
  EXPECT_EQ(h.recipients[2].name(), "AMCONSUL CASABLANCA");
  EXPECT_EQ(h.recipients[2].precedence(), Recipient::PRIORITY);
}

TEST(RoutingHeaderTest, TextBeforeTheRoutingLines) {
  // 09DOHA214: a mail client's preamble before the telegram.
  const RoutingHeader h = ParseRoutingHeader(
      "Stephen H Rogerson  12/02/2009 11:08:08 AM  From  DB/Inbox:  Search \n"
      "Cable \nText:\n"
      "APPROVED: AMB:JLABARON\n\n"
      "VZCZCDOI550\n"
      "RR RUEHC RHMFISS RUEAIIA RHMFISS RULSSGG RHMFISS\n"
      "DE RUEHDO #0214/01 0851341\n"
      "R 261341Z MAR 09\n"
      "FM AMEMBASSY DOHA\n"
      "TO RUEHC/SECSTATE WASHDC 8904\n",
      0);
  EXPECT_EQ(h.transmission_id, "VZCZCDOI550");
  EXPECT_EQ(h.from, "AMEMBASSY DOHA");
  ASSERT_EQ(h.recipients.size(), 1u);
  EXPECT_EQ(h.recipients[0].mcn(), "8904");
}

TEST(RoutingHeaderTest, Dtg) {
  EXPECT_EQ(*ParseDtg("161625Z JUN 08", 0), Utc(2008, 6, 16, 16, 25));
  EXPECT_EQ(*ParseDtg("161625Z JUN 2008", 0), Utc(2008, 6, 16, 16, 25));
  EXPECT_EQ(*ParseDtg("041125Z MAR 75", 0), Utc(1975, 3, 4, 11, 25));
  EXPECT_EQ(*ParseDtg("130458Z DEC 66", 2020), Utc(2066, 12, 13, 4, 58));
  EXPECT_FALSE(ParseDtg("311200Z FEB 08", 0).has_value());
  EXPECT_FALSE(ParseDtg("162575Z JUN 08", 0).has_value());
  EXPECT_FALSE(ParseDtg("JUN 08", 0).has_value());
}

TEST(RoutingHeaderTest, TwoDigitYears) {
  EXPECT_EQ(ExpandTwoDigitYear(8, 0), 2008);
  EXPECT_EQ(ExpandTwoDigitYear(79, 0), 1979);
  EXPECT_EQ(ExpandTwoDigitYear(66, 1966), 1966);
  EXPECT_EQ(ExpandTwoDigitYear(1, 1999), 2001);
}

}  // namespace
}  // namespace cables::parser
