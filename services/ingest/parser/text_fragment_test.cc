#include "services/ingest/parser/text_fragment.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace cables::parser {
namespace {

constexpr absl::string_view kHeader =
    "VZCZCXRO0539\n"
    "PP RUEHAG RUEHBC\n"
    "DE RUEHDM #0427/01 1681625\n"
    "ZNY CCCCC ZZH\n"
    "P 161625Z JUN 08\n"
    "FM AMEMBASSY DAMASCUS\n"
    "TO RUEHC/SECSTATE WASHDC PRIORITY 5083\n"
    "INFO RUEHEE/ARAB LEAGUE COLLECTIVE\n"
    "RUEHTV/AMEMBASSY TEL AVIV 2169\n"
    "RHEHNSC/NSC WASHDC";

constexpr absl::string_view kBody =
    "C O N F I D E N T I A L SECTION 01 OF 02 DAMASCUS 000427\n"
    "\n"
    "SIPDIS\n"
    "\n"
    "E.O. 12958: DECL: 06/15/2018\n"
    "TAGS: PGOV PHUM\n"
    "SUBJECT: A SUBJECT\n"
    "\n"
    "1. (C) Summary. Text.";

TEST(SplitTelegramTextTest, HeaderAndBodyWithAnySeparator) {
  for (const char* separator : {"\n", "\n\n", "\nBT\n", "\n \nBT\n\n"}) {
    const std::string text = absl::StrCat(kHeader, separator, kBody, "\n");
    const TelegramParts parts = SplitTelegramText(text);
    EXPECT_EQ(parts.header, kHeader) << separator;
    EXPECT_EQ(parts.body, kBody) << separator;
  }
}

TEST(SplitTelegramTextTest, HeaderAlone) {
  const TelegramParts parts = SplitTelegramText(kHeader);
  EXPECT_EQ(parts.header, kHeader);
  EXPECT_TRUE(parts.body.empty());
}

TEST(SplitTelegramTextTest, BodyAlone) {
  const std::string text = absl::StrCat("\n\n", kBody, "\n\n");
  const TelegramParts parts = SplitTelegramText(text);
  EXPECT_TRUE(parts.header.empty());
  EXPECT_EQ(parts.body, kBody);
}

TEST(SplitTelegramTextTest, FragmentIsBody) {
  const TelegramParts parts =
      SplitTelegramText("REF: A) 08 STATE 12345, B) DAMASCUS 400\n");
  EXPECT_TRUE(parts.header.empty());
  EXPECT_EQ(parts.body, "REF: A) 08 STATE 12345, B) DAMASCUS 400");
}

TEST(SplitTelegramTextTest, TransmissionLinesWithoutFm) {
  const TelegramParts parts = SplitTelegramText(
      "P 161625Z JUN 08\nZNY CCCCC ZZH\n\nC O N F I D E N T I A L X 000001\n"
      "TEXT");
  EXPECT_EQ(parts.header, "P 161625Z JUN 08\nZNY CCCCC ZZH");
  EXPECT_EQ(parts.body, "C O N F I D E N T I A L X 000001\nTEXT");
}

TEST(SplitTelegramTextTest, DateTimeGroupAlone) {
  const TelegramParts parts = SplitTelegramText(
      "201247Z Jan 04\nC o n f i d e n t i a l section 01 of 04 ankara "
      "000348\n");
  EXPECT_EQ(parts.header, "201247Z Jan 04");
  EXPECT_EQ(parts.body,
            "C o n f i d e n t i a l section 01 of 04 ankara 000348");
  EXPECT_TRUE(
      SplitTelegramText("201247Z Jan 2004 was a date\n").header.empty());
}

TEST(SplitTelegramTextTest, BannerLineBeforeTransmissionLines) {
  const TelegramParts parts = SplitTelegramText(
      "UNCLASSIFIED   STATE   00100153\n"
      "O 251814Z SEP 09\n"
      "FM SECSTATE WASHDC\n"
      "TO ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE IMMEDIATE\n"
      "UNCLAS SECTION 01 OF 02 STATE 100153\n"
      "SENSITIVE\n");
  EXPECT_EQ(parts.header,
            "UNCLASSIFIED   STATE   00100153\n"
            "O 251814Z SEP 09\n"
            "FM SECSTATE WASHDC\n"
            "TO ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE IMMEDIATE");
  EXPECT_EQ(parts.body, "UNCLAS SECTION 01 OF 02 STATE 100153\nSENSITIVE");
}

TEST(SplitTelegramTextTest, FmToBlockAfterOtherLines) {
  const TelegramParts parts = SplitTelegramText(
      "Cable\nText:\n\nCONFIDENTIAL\n\nFM AMEMBASSY ABU DHABI\n"
      "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0227\n"
      "INFO RUEHAM/AMEMBASSY AMMAN 0446\n"
      "C O N F I D E N T I A L ABU DHABI 002641\n\nSIPDIS\n");
  EXPECT_EQ(parts.header,
            "Cable\nText:\n\nCONFIDENTIAL\n\nFM AMEMBASSY ABU DHABI\n"
            "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0227\n"
            "INFO RUEHAM/AMEMBASSY AMMAN 0446");
  EXPECT_EQ(parts.body, "C O N F I D E N T I A L ABU DHABI 002641\n\nSIPDIS");
}

TEST(SplitTelegramTextTest, BodyStartsThatLookUpperCase) {
  // Each of these first body lines follows the addressees directly.
  for (const char* first :
       {"UUNCLAS MANAGUA 001002", "SECRET STATE 050524",
        "S e c r e t state 001234", "ID: 190648", "Friday, 24 July 2009, 16:08",
        ">", "NOTE - DO NOT PUBLISH", "E.O. 12958: N/A", "TAGS: PGOV",
        "1. (C) TEXT", "SE C R E T X"}) {
    const std::string text =
        absl::StrCat(kHeader, "\n", first, "\nMORE TEXT\n");
    const TelegramParts parts = SplitTelegramText(text);
    EXPECT_EQ(parts.header, kHeader) << first;
    EXPECT_EQ(parts.body, absl::StrCat(first, "\nMORE TEXT")) << first;
  }
}

TEST(SplitTelegramTextTest, ForeignMinisterIsNoHeader) {
  const TelegramParts parts = SplitTelegramText(
      "1. (C) Text.\nFM Walid Muallem said\nTO the press that...\n");
  EXPECT_TRUE(parts.header.empty());
}

TEST(SplitTelegramTextTest, EmptyInput) {
  const TelegramParts parts = SplitTelegramText("");
  EXPECT_TRUE(parts.header.empty());
  EXPECT_TRUE(parts.body.empty());
}

TEST(ParseTextFragmentTest, Document) {
  const SourceDocument doc =
      ParseTextFragment(absl::StrCat(kHeader, "\n\n", kBody));
  EXPECT_EQ(doc.format, cables::v1::TEXT);
  EXPECT_EQ(doc.header, kHeader);
  EXPECT_EQ(doc.body, kBody);
  EXPECT_TRUE(doc.reference_id.empty());
}

}  // namespace
}  // namespace cables::parser
