#include "services/ingest/parser/cable_id.h"

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::parser {
namespace {

using ::testing::HasSubstr;

std::string Canon(absl::string_view raw) {
  absl::StatusOr<std::string> id = CanonicalizeCableId(raw);
  return id.ok() ? *id : absl::StrCat("ERROR: ", id.status().message());
}

TEST(CableIdTest, CompactForm) {
  absl::StatusOr<CableId> id = ParseCableId("05ALMATY1595");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->year, 2005);
  EXPECT_EQ(id->station, "ALMATY");
  EXPECT_EQ(id->serial, "1595");
  EXPECT_EQ(id->Canonical(), "05ALMATY1595");
}

TEST(CableIdTest, SpacedForm) {
  EXPECT_EQ(Canon("05 ALMATY 1595"), "05ALMATY1595");
  EXPECT_EQ(Canon("  05   ALMATY\t1595 \n"), "05ALMATY1595");
}

TEST(CableIdTest, LeadingZerosDropped) {
  EXPECT_EQ(Canon("05ALMATY001595"), "05ALMATY1595");
  EXPECT_EQ(Canon("09 STATE 082572"), "09STATE82572");
  EXPECT_EQ(Canon("09DAMASCUS00000427"), "09DAMASCUS427");
}

TEST(CableIdTest, LowerAndMixedCase) {
  EXPECT_EQ(Canon("05almaty1595"), "05ALMATY1595");
  EXPECT_EQ(Canon("08 Buenos Aires 0118"), "08BUENOSAIRES118");
}

TEST(CableIdTest, RioAliases) {
  EXPECT_EQ(Canon("05RIO123"), "05RIODEJANEIRO123");
  EXPECT_EQ(Canon("09 RIO DE JAN 456"), "09RIODEJANEIRO456");
  EXPECT_EQ(Canon("09RIODEJAN456"), "09RIODEJANEIRO456");
  EXPECT_EQ(Canon("09 RIO DE JANEIRO 329"), "09RIODEJANEIRO329");
}

TEST(CableIdTest, SecStateIsState) {
  EXPECT_EQ(Canon("08SECSTATE12345"), "08STATE12345");
  EXPECT_EQ(Canon("08 SECSTATE WASHDC 12345"), "08STATE12345");
  EXPECT_EQ(Canon("08 STATE 12345"), "08STATE12345");
}

TEST(CableIdTest, SectionMarkerDropped) {
  EXPECT_EQ(Canon("09SECTION01OF03SANJOSE525"), "09SANJOSE525");
  EXPECT_EQ(Canon("09 SECTION 01 OF 03 SAN JOSE 525"), "09SANJOSE525");
}

TEST(CableIdTest, FourDigitYear) {
  EXPECT_EQ(Canon("2005 ALMATY 1595"), "05ALMATY1595");
  EXPECT_EQ(Canon("2008ANKARA1234"), "08ANKARA1234");
  absl::StatusOr<CableId> id = ParseCableId("1966 STATE 106206");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->year, 1966);
  EXPECT_EQ(id->Canonical(), "66STATE106206");
}

TEST(CableIdTest, TwoDigitYearsAcrossCenturies) {
  EXPECT_EQ(ParseCableId("79TEHRAN8980")->year, 1979);
  EXPECT_EQ(ParseCableId("66BUENOSAIRES2481")->year, 1966);
  EXPECT_EQ(ParseCableId("00HARARE6677")->year, 2000);
  EXPECT_EQ(ParseCableId("10STATE17263")->year, 2010);
  EXPECT_EQ(ExpandTwoDigitYear(49), 2049);
  EXPECT_EQ(ExpandTwoDigitYear(50), 1950);
}

TEST(CableIdTest, StationsWithSpaces) {
  EXPECT_EQ(Canon("09 SAN JOSE 525"), "09SANJOSE525");
  EXPECT_EQ(Canon("10 TEL AVIV 404"), "10TELAVIV404");
  EXPECT_EQ(Canon("09 USUN NEW YORK 789"), "09USUNNEWYORK789");
  EXPECT_EQ(Canon("10 PORT AU PRINCE 12"), "10PORTAUPRINCE12");
  EXPECT_EQ(Canon("08 HO CHI MINH CITY 77"), "08HOCHIMINHCITY77");
  EXPECT_EQ(Canon("06 ABU DHABI 1401"), "06ABUDHABI1401");
  EXPECT_EQ(Canon("09 SAN SALVADOR 1101"), "09SANSALVADOR1101");
}

TEST(CableIdTest, DashAndSlashSeparators) {
  EXPECT_EQ(Canon("06MOSCOW-1234"), "06MOSCOW1234");
  EXPECT_EQ(Canon("06-MOSCOW-1234"), "06MOSCOW1234");
  EXPECT_EQ(Canon("06/MOSCOW/1234"), "06MOSCOW1234");
  EXPECT_EQ(Canon("10 PORT-AU-PRINCE 12"), "10PORTAUPRINCE12");
}

TEST(CableIdTest, MissionAliases) {
  EXPECT_EQ(Canon("09USUN123"), "09USUNNEWYORK123");
  EXPECT_EQ(Canon("09 UNVIE 55"), "09UNVIEVIENNA55");
  EXPECT_EQ(Canon("09 USUNVIE 55"), "09UNVIEVIENNA55");
  EXPECT_EQ(Canon("09 USMISSION GENEVA 995"), "09GENEVA995");
  EXPECT_EQ(Canon("09 USEU BRUSSELS 12"), "09USEUBRUSSELS12");
  EXPECT_EQ(Canon("09 USNATO 464"), "09USNATO464");
}

TEST(CableIdTest, InvalidInputsNameTheProblem) {
  struct Case {
    const char* raw;
    const char* message;
  };
  const Case cases[] = {
      {"", "empty"},
      {"   ", "empty"},
      {"HELLO", "no year"},
      {"1234", "no station"},
      {"05", "no station"},
      {"ALMATY1595", "no year"},
      {"05ALMATY", "no serial"},
      {"05ALMATY!1595", "stray character '!'"},
      {"05ALMATY1595.", "stray character '.'"},
      {"05ALMATY1595X", "text after its serial"},
      {"05ALMATY0000", "serial number zero"},
      {"123ALMATY1595", "3-digit year"},
      {"05A1595", "one-letter station"},
      {"05ALMATY123456789", "9-digit serial"},
      {"3005ALMATY12", "out of range"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<CableId> id = ParseCableId(c.raw);
    ASSERT_FALSE(id.ok()) << c.raw;
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << c.raw;
    EXPECT_THAT(std::string(id.status().message()), HasSubstr(c.message))
        << c.raw;
  }
}

TEST(CableIdTest, NonAsciiRejectedWithHexByte) {
  absl::StatusOr<CableId> id = ParseCableId(
      "05ALMATY\xC2\xB6"
      "1595");
  ASSERT_FALSE(id.ok());
  EXPECT_THAT(std::string(id.status().message()), HasSubstr("0xC2"));
}

TEST(CableIdTest, OverlongInputRejected) {
  const std::string raw = "05" + std::string(500, 'A') + "1";
  absl::StatusOr<CableId> id = ParseCableId(raw);
  ASSERT_FALSE(id.ok());
  EXPECT_THAT(std::string(id.status().message()), HasSubstr("too long"));
}

TEST(CableIdTest, CanonicalStation) {
  EXPECT_EQ(CanonicalStation("Almaty"), "ALMATY");
  EXPECT_EQ(CanonicalStation("RIO"), "RIODEJANEIRO");
  EXPECT_EQ(CanonicalStation("SECSTATE"), "STATE");
  EXPECT_EQ(CanonicalStation("SECSTATE WASHDC"), "STATE");
  EXPECT_EQ(CanonicalStation("SAN JOSE"), "SANJOSE");
  EXPECT_EQ(CanonicalStation("AMEMBASSY MADRID"), "MADRID");
  EXPECT_EQ(CanonicalStation("AMCONSUL CASABLANCA"), "CASABLANCA");
  EXPECT_EQ(CanonicalStation("SECDEF WASHDC"), "SECDEF");
  EXPECT_EQ(CanonicalStation("N'Djamena"), "NDJAMENA");
  EXPECT_EQ(CanonicalStation("St. Petersburg"), "STPETERSBURG");
  EXPECT_EQ(CanonicalStation("Nowhere Land"), "NOWHERELAND");
  EXPECT_EQ(CanonicalStation(""), "");
}

TEST(CableIdTest, AbbreviatedLongNames) {
  EXPECT_EQ(CanonicalStation("BUENOS AIRES"), "BUENOSAIRES");
  EXPECT_EQ(CanonicalStation("ADDIS"), "ADDISABABA");
  EXPECT_EQ(CanonicalStation("ADDIS ABABA"), "ADDISABABA");
  EXPECT_EQ(CanonicalStation("DAR ES SALAAM"), "DARESSALAAM");
  EXPECT_EQ(CanonicalStation("RIO DE JAN"), "RIODEJANEIRO");
  EXPECT_EQ(CanonicalStation("SANTO DOMINGO"), "SANTODOMINGO");
  EXPECT_EQ(CanonicalStation("KUALA LUMPUR"), "KUALALUMPUR");
  EXPECT_EQ(CanonicalStation("PORT OF SPAIN"), "PORTOFSPAIN");
  EXPECT_EQ(CanonicalStation("PORT MORESBY"), "PORTMORESBY");
  EXPECT_EQ(CanonicalStation("PORT LOUIS"), "PORTLOUIS");
  EXPECT_EQ(CanonicalStation("SAO PAULO"), "SAOPAULO");
  EXPECT_EQ(CanonicalStation("NEW DELHI"), "NEWDELHI");
  EXPECT_EQ(CanonicalStation("CASA"), "CASABLANCA");
  EXPECT_EQ(CanonicalStation("TALLIN"), "TALLINN");
  EXPECT_EQ(CanonicalStation("RPO DUBAI"), "RPODUBAI");
  EXPECT_EQ(CanonicalStation("IRPO DUBAI"), "RPODUBAI");
}

// Every file of the real corpus is named after its reference id, which must
// already be canonical.
TEST(CableIdTest, CorpusIdsAreCanonical) {
  const std::filesystem::path root = std::filesystem::path(CABLES_SOURCE_DIR) /
                                     ".." / "shared" / "corpus" /
                                     "wikileaks-html";
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    GTEST_SKIP() << "corpus not found at " << root;
  }
  int checked = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root, ec)) {
    if (entry.path().extension() != ".html") continue;
    const std::string id = entry.path().stem().string();
    EXPECT_EQ(Canon(id), id);
    EXPECT_EQ(Canon(absl::AsciiStrToLower(id)), id);
    ++checked;
  }
  EXPECT_GT(checked, 1000);
}

}  // namespace
}  // namespace cables::parser
