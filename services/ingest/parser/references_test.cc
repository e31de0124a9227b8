#include "services/ingest/parser/references.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ingest/parser/cable_id.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

using ::cables::v1::Reference;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

ReferenceContext Ctx(int year, std::string self_id = "") {
  ReferenceContext c;
  c.year = year;
  c.self_id = std::move(self_id);
  return c;
}

// "CABLE A 08STATE12345 | 08 STATE 12345" (letter "-" when empty).
std::string Describe(const Reference& r) {
  return absl::StrCat(Reference::Kind_Name(r.kind()), " ",
                      r.letter().empty() ? "-" : r.letter(), " ",
                      r.id().empty() ? "-" : r.id(), " | ", r.text());
}

std::vector<std::string> Describe(const std::vector<Reference>& refs) {
  std::vector<std::string> out;
  for (const Reference& r : refs) out.push_back(Describe(r));
  return out;
}

std::vector<std::string> Ids(const std::vector<Reference>& refs) {
  std::vector<std::string> out;
  for (const Reference& r : refs) out.push_back(r.id());
  return out;
}

std::vector<std::string> Extract(absl::string_view body, int year = 2008,
                                 std::string self = "") {
  return Describe(ExtractReferences(body, Ctx(year, std::move(self))));
}

std::vector<std::string> Block(absl::string_view block, int year = 2008) {
  return Describe(ParseReferenceBlock(block, Ctx(year)));
}

// ---------------------------------------------------------------------------
// Labels and block boundaries.

TEST(ExtractReferencesTest, NoBlockNoReferences) {
  EXPECT_THAT(Extract(""), IsEmpty());
  EXPECT_THAT(Extract("SUBJECT: FOO\n\n1. (C) We refer to STATE 12345.\n"),
              IsEmpty());
  // Mentions of "ref A" inside paragraphs are not a block.
  EXPECT_THAT(Extract("1. (C) Summary.\n\nREF A points were delivered.\n"),
              IsEmpty());
  EXPECT_THAT(Extract("Reference (TOR) to start sharing information.\n"),
              IsEmpty());
}

TEST(ExtractReferencesTest, LabelForms) {
  for (const char* label :
       {"REF:", "REFS:", "REF.", "REFTEL:", "REFERENCE:", "REFERENCES:", "Ref:",
        "ref:", "REF :", "REFERENCE(S):", "REFTELS:"}) {
    const std::string body =
        absl::StrCat("SUBJECT: X\n\n", label, " STATE 12345\n\n1. (C) Text.\n");
    EXPECT_THAT(Extract(body),
                ElementsAre("CABLE - 08STATE12345 | STATE 12345"))
        << label;
  }
  // No space after the colon.
  EXPECT_THAT(Extract("REF:09 Paris 1635\n"),
              ElementsAre("CABLE - 09PARIS1635 | 09 Paris 1635"));
}

TEST(ExtractReferencesTest, LetteredLabels) {
  EXPECT_THAT(Extract("REF A: STATE 120288\n\nClassified By: X\n", 2010),
              ElementsAre("CABLE A 10STATE120288 | STATE 120288"));
  // From 09ABUDHABI754: the label repeated on every line, no colon.
  EXPECT_THAT(Extract("CLASSIFIED BY CHARGE D'AFFAIRES DOUGLAS C.GREENE\n\n"
                      "REF A SECRETARY'S LETTER TO MBZ ON PUMA HELICOPTERS \n"
                      "REF B SECSTATE 76108 \n\n\n"
                      "\xC2\xB6"
                      "1. (S) Summary: Abu Dhabi Crown Prince\n",
                      2009),
              ElementsAre("OTHER A - | SECRETARY'S LETTER TO MBZ ON PUMA "
                          "HELICOPTERS",
                          "CABLE B 09STATE76108 | SECSTATE 76108"));
}

TEST(ExtractReferencesTest, BlockEndsAtBlankLineParagraphOrHeaderLine) {
  EXPECT_THAT(Extract("REF: STATE 1\n\nSTATE 2\n"),
              ElementsAre("CABLE - 08STATE1 | STATE 1"));
  EXPECT_THAT(Extract("REF: STATE 1\n1. (C) STATE 2 said\n"),
              ElementsAre("CABLE - 08STATE1 | STATE 1"));
  EXPECT_THAT(Extract("REF: STATE 1\nClassified By: Amb. X, 1.4 (b)\n"),
              ElementsAre("CABLE - 08STATE1 | STATE 1"));
  EXPECT_THAT(Extract("REF: STATE 1\nSUBJECT: STATE 2\n"),
              ElementsAre("CABLE - 08STATE1 | STATE 1"));
  EXPECT_THAT(Extract("REF: STATE 1\nTAGS: PREL\n"),
              ElementsAre("CABLE - 08STATE1 | STATE 1"));
  EXPECT_THAT(Extract("REF: STATE 1\nE.O. 12958: DECL: 1/1/2018\n"),
              ElementsAre("CABLE - 08STATE1 | STATE 1"));
  // From 09ABUJA1907.
  EXPECT_THAT(Extract("Ref: Abuja 1836\n-------\nSUMMARY\n-------\n", 2009),
              ElementsAre("CABLE - 09ABUJA1836 | Abuja 1836"));
}

TEST(ExtractReferencesTest, InlineTerminators) {
  // From 10BRASILIA140 (one long line).
  EXPECT_THAT(
      Extract("REF: 2008 BRASILIA 1462; 2010 BRASILIA 108; 2009 BRASILIA 1460 "
              "(U) THIS CABLE IS SENSITIVE BUT UNCLASSIFIED.\n",
              2010),
      ElementsAre("CABLE - 08BRASILIA1462 | 2008 BRASILIA 1462",
                  "CABLE - 10BRASILIA108 | 2010 BRASILIA 108",
                  "CABLE - 09BRASILIA1460 | 2009 BRASILIA 1460"));
  // From 07SANTIAGO983 and 09STATE15113.
  EXPECT_THAT(Extract("REF: ASUNCION 396 Classified By: AMBASSADOR CRAIG "
                      "KELLY; Reasons 1.4(b), (d)\n",
                      2007),
              ElementsAre("CABLE - 07ASUNCION396 | ASUNCION 396"));
  EXPECT_THAT(
      Extract("REF: STATE 6461  PLEASE PASS TO RSO, POLOFF, ECON.\n", 2009),
      ElementsAre("CABLE - 09STATE6461 | STATE 6461"));
}

TEST(ExtractReferencesTest, LabelInsideFlattenedSubjectLine) {
  // From 08BRASILIA1378: the block shares the SUBJECT line, with a page
  // header glued on.
  EXPECT_THAT(Extract("TAGS: SENV KSCA BR\nSUBJECT: BRAZIL DEFORESTATION "
                      "UPDATE - OCTOBER, 2008 REF: BRASILIA 1159 BRASILIA "
                      "00001378 001.2 OF 003 \n\n\xC2\xB6"
                      "1. (U) THIS CABLE\n"),
              ElementsAre("CABLE - 08BRASILIA1159 | BRASILIA 1159"));
}

TEST(ExtractReferencesTest, LabelOnItsOwnLine) {
  // From 09STATE14070.
  EXPECT_THAT(Extract("SUBJECT: RUSSIA'S ANTICIPATED TRANSFER\n\nREFS:\n"
                      "(A) 2005 STATE 165022\n(B) 2005 MOSCOW 11807\n"
                      "(C) 2005 STATE 117165\n(I) CIS DOC.\n\n"
                      "CLASSIFIED BY EUR/FO IAN KELLY\n",
                      2009),
              ElementsAre("CABLE A 05STATE165022 | 2005 STATE 165022",
                          "CABLE B 05MOSCOW11807 | 2005 MOSCOW 11807",
                          "CABLE C 05STATE117165 | 2005 STATE 117165",
                          "OTHER I - | CIS DOC."));
}

TEST(ExtractReferencesTest, PageBreakLinesSkipped) {
  EXPECT_THAT(Extract("REF: A. DAMASCUS 120\nDAMASCUS 00000427 002 OF 002\n"
                      "B. DAMASCUS 121\n\nClassified By: X\n"),
              ElementsAre("CABLE A 08DAMASCUS120 | DAMASCUS 120",
                          "CABLE B 08DAMASCUS121 | DAMASCUS 121"));
  EXPECT_THAT(
      Extract("REF: A. STATE 1\n\nSTATE 00012345 002.2 OF 004\n\n"
              "B. STATE 2\n\n1. (C) Text\n"),
      ElementsAre("CABLE A 08STATE1 | STATE 1", "CABLE B 08STATE2 | STATE 2"));
  // From 08RIYADH1619: the page header right after the block.
  EXPECT_THAT(Extract("REF: A. RIYADH 1579  B. RIYADH 1408  C. RIYADH 1298\n"
                      "RIYADH 00001619 001.2 OF 003\nClassified By: X\n"),
              ElementsAre("CABLE A 08RIYADH1579 | RIYADH 1579",
                          "CABLE B 08RIYADH1408 | RIYADH 1408",
                          "CABLE C 08RIYADH1298 | RIYADH 1298"));
}

TEST(ExtractReferencesTest, LettersContinueAfterBlankLine) {
  // From 06PARIS7579.
  EXPECT_THAT(Extract("REF: A. PARIS POINTS NOV 22\n\n\xC2\xB6"
                      "B. PARIS 7425\n"
                      "\nClassified By: Political Minister Counselor\n",
                      2006),
              ElementsAre("OTHER A - | PARIS POINTS NOV 22",
                          "CABLE B 06PARIS7425 | PARIS 7425"));
}

TEST(ExtractReferencesTest, LateCapitalisedBlock) {
  // Found after the first paragraph and beyond 16 KiB, but only as a
  // capitalised label opening a line.
  const std::string filler(20000, 'x');
  EXPECT_THAT(Extract(absl::StrCat("\xC2\xB6"
                                   "1. (C) Text\n",
                                   filler,
                                   "\n\nREF: A. 08 STATE 1\n     B. 09 STATE "
                                   "2\n\n\xC2\xB6"
                                   "2. (C) More\n")),
              ElementsAre("CABLE A 08STATE1 | 08 STATE 1",
                          "CABLE B 09STATE2 | 09 STATE 2"));
  // From 07PORTAUPRINCE408: prose, not a label.
  EXPECT_THAT(Extract("\xC2\xB6"
                      "2. (U) The answers below are keyed to the "
                      "questions in \nreftel: \n\nQuestion A\n"),
              IsEmpty());
}

TEST(ExtractReferencesTest, PresplitLinesGiveTheSameReferences) {
  for (absl::string_view body :
       {"", "REF: STATE 1",
        "SUBJECT: X\r\n\r\nREF: A. STATE 1\r\n     B. "
        "STATE 2\r\n\r\nClassified By: Y\r\n",
        "SUBJECT: X\rREF: STATE 3\r\r1. (C) Text.",
        "1. (C) Text.\n\nREF: PARIS 7682\n", "\n\n\nREFS: A) 08 ROME 12\n"}) {
    EXPECT_EQ(Describe(ExtractReferences(body, Ctx(2008))),
              Describe(ExtractReferences(body, SplitLines(body), Ctx(2008))))
        << body;
  }
}

TEST(ExtractReferencesTest, CrLfLineEnds) {
  EXPECT_THAT(
      Extract("SUBJECT: X\r\n\r\nREF: A. STATE 1\r\n     B. STATE "
              "2\r\n\r\nClassified By: Y\r\n"),
      ElementsAre("CABLE A 08STATE1 | STATE 1", "CABLE B 08STATE2 | STATE 2"));
}

// ---------------------------------------------------------------------------
// Letters and entries.

TEST(ParseReferenceBlockTest, LetterForms) {
  const std::vector<std::string> want = {"CABLE A 08STATE1 | STATE 1",
                                         "CABLE B 08STATE2 | STATE 2"};
  EXPECT_EQ(Block("A. STATE 1 B. STATE 2"), want);
  EXPECT_EQ(Block("A) STATE 1 B) STATE 2"), want);
  EXPECT_EQ(Block("(A) STATE 1 (B) STATE 2"), want);
  EXPECT_EQ(Block("A: STATE 1 B: STATE 2"), want);
  EXPECT_EQ(Block("a) STATE 1\nb) STATE 2"), want);
  EXPECT_EQ(Block("A. STATE 1\n\xC2\xB6"
                  "B. STATE 2"),
            want);
  EXPECT_EQ(Block("(A)STATE 1, (B)STATE 2"), want);
  // Doubled markers, as in 05MADRID171 and 08RIYADH1541.
  EXPECT_EQ(Block("A. A) STATE 1\nB. B) STATE 2"), want);
  EXPECT_EQ(Block("A. (A) STATE 1  B. (B) STATE 2"), want);
  EXPECT_EQ(Block("A. A: STATE 1 B. B: STATE 2"), want);
}

TEST(ParseReferenceBlockTest, LetteredCommaSeparated) {
  EXPECT_THAT(Block("A) 08 KABUL 1234, B) 08 KABUL 2345"),
              ElementsAre("CABLE A 08KABUL1234 | 08 KABUL 1234",
                          "CABLE B 08KABUL2345 | 08 KABUL 2345"));
  EXPECT_THAT(Block("A) STATE 135205; B) STATE 127608; C) TRIPOLI 797", 2007),
              ElementsAre("CABLE A 07STATE135205 | STATE 135205",
                          "CABLE B 07STATE127608 | STATE 127608",
                          "CABLE C 07TRIPOLI797 | TRIPOLI 797"));
}

TEST(ParseReferenceBlockTest, InitialsAreNotLetters) {
  EXPECT_THAT(Block("A. STATE 1 B. EMAIL FROM C. RICE 3/4/08"),
              ElementsAre("CABLE A 08STATE1 | STATE 1",
                          "EMAIL B - | EMAIL FROM C. RICE 3/4/08"));
  EXPECT_THAT(Block("EMAIL FROM J. SMITH 3/4/08"),
              ElementsAre("EMAIL - - | EMAIL FROM J. SMITH 3/4/08"));
  EXPECT_THAT(
      Block("A. STATE 1 B. U.S. NON-PAPER"),
      ElementsAre("CABLE A 08STATE1 | STATE 1", "OTHER B - | U.S. NON-PAPER"));
}

TEST(ParseReferenceBlockTest, ClassificationParenEndsBlockUnlessNextLetter) {
  // (C) after (B) is entry C, not CONFIDENTIAL (09ISTANBUL440).
  EXPECT_THAT(Block("(A) ANKARA 1516 (EXDIS) (B) ISTANBUL 421 (C)\n"
                    "     ISTANBUL 290 (D) 2008 ISTANBUL 85",
                    2009),
              ElementsAre("CABLE A 09ANKARA1516 | ANKARA 1516 (EXDIS)",
                          "CABLE B 09ISTANBUL421 | ISTANBUL 421",
                          "CABLE C 09ISTANBUL290 | ISTANBUL 290",
                          "CABLE D 08ISTANBUL85 | 2008 ISTANBUL 85"));
  EXPECT_THAT(Block("STATE 40380\n(SBU) Poloff delivered reftel demarche"),
              ElementsAre("CABLE - 08STATE40380 | STATE 40380"));
  EXPECT_THAT(Block("A. STATE 1 (C) TEXT OF THE CABLE"),
              ElementsAre("CABLE A 08STATE1 | STATE 1"));
}

TEST(ParseReferenceBlockTest, UnletteredSeparators) {
  EXPECT_THAT(Block("BUENOS AIRES 1026; BUENOS AIRES 301", 2009),
              ElementsAre("CABLE - 09BUENOSAIRES1026 | BUENOS AIRES 1026",
                          "CABLE - 09BUENOSAIRES301 | BUENOS AIRES 301"));
  EXPECT_THAT(Block("Berlin 1337, Berlin 1340, Berlin 1167", 2009),
              ElementsAre("CABLE - 09BERLIN1337 | Berlin 1337",
                          "CABLE - 09BERLIN1340 | Berlin 1340",
                          "CABLE - 09BERLIN1167 | Berlin 1167"));
  EXPECT_THAT(Block("09 CARACAS 1553; 09 CARACAS 1537\n09 CARACAS 1491", 2009),
              ElementsAre("CABLE - 09CARACAS1553 | 09 CARACAS 1553",
                          "CABLE - 09CARACAS1537 | 09 CARACAS 1537",
                          "CABLE - 09CARACAS1491 | 09 CARACAS 1491"));
  // A missing separator (09RIODEJANEIRO440) and colons (72TEHRAN1164).
  EXPECT_THAT(Block("RIO DE JANEIRO 353 RIO DE JANEIRO 311", 2009),
              ElementsAre("CABLE - 09RIODEJANEIRO353 | RIO DE JANEIRO 353",
                          "CABLE - 09RIODEJANEIRO311 | RIO DE JANEIRO 311"));
  EXPECT_THAT(Block("TEHRAN 1091: TEHRAN 263: MOSCOW 1603", 1972),
              ElementsAre("CABLE - 72TEHRAN1091 | TEHRAN 1091",
                          "CABLE - 72TEHRAN263 | TEHRAN 263",
                          "CABLE - 72MOSCOW1603 | MOSCOW 1603"));
}

TEST(ParseReferenceBlockTest, WrappedNonCableEntryStaysWhole) {
  // From 08BAGHDAD293.
  EXPECT_THAT(Block("08 JAN 08 BAGHDAD O/I (SELF-PROCLAIMED SISTANI\n"
                    "EMISSARIES)"),
              ElementsAre("OTHER - - | 08 JAN 08 BAGHDAD O/I "
                          "(SELF-PROCLAIMED SISTANI EMISSARIES)"));
}

TEST(ParseReferenceBlockTest, NoneMeansNoReferences) {
  EXPECT_THAT(Block("NONE"), IsEmpty());
  EXPECT_THAT(Block("N/A"), IsEmpty());
  EXPECT_THAT(Extract("REF: NONE\n\n1. (U) Text\n"), IsEmpty());
}

// ---------------------------------------------------------------------------
// Cable entries in every written form.

TEST(ParseReferenceBlockTest, CableForms) {
  struct Case {
    const char* block;
    const char* id;
  };
  const Case cases[] = {
      {"08 STATE 12345", "08STATE12345"},
      {"STATE 12345", "08STATE12345"},
      {"08STATE12345", "08STATE12345"},
      {"2008 STATE 12345", "08STATE12345"},
      {"2005 STATE 165022", "05STATE165022"},
      {"Almaty 1501", "08ALMATY1501"},
      {"SECSTATE 123", "08STATE123"},
      {"SECSTATE WASHDC 123", "08STATE123"},
      {"RIO DE JAN 456", "08RIODEJANEIRO456"},
      {"RIO 346", "08RIODEJANEIRO346"},
      {"USUN NEW YORK 789", "08USUNNEWYORK789"},
      {"USUN 789", "08USUNNEWYORK789"},
      {"UNVIE 12", "08UNVIEVIENNA12"},
      {"07 DAMASCUS 123 (NOTAL)", "07DAMASCUS123"},
      {"08 ANKARA 1234 AND PREVIOUS", "08ANKARA1234"},
      {"JEDDAH 0292", "08JEDDAH292"},
      {"08 PRETORIA 002715", "08PRETORIA2715"},
      {"99 PRETORIA 12315", "99PRETORIA12315"},
      {"10SHENYANG 003", "10SHENYANG3"},
      {"BELGRADE743", "08BELGRADE743"},
      {"05 CASA 1220", "05CASABLANCA1220"},
      {"TALLIN 309", "08TALLINN309"},
      {"ADDIS 55", "08ADDISABABA55"},
      {"DAR ES SALAAM 77", "08DARESSALAAM77"},
      {"KUALA LUMPUR 317", "08KUALALUMPUR317"},
      {"SANTO DOMINGO 67", "08SANTODOMINGO67"},
      {"PORT AU PRINCE 1", "08PORTAUPRINCE1"},
      {"HO CHI MINH CITY 2", "08HOCHIMINHCITY2"},
      {"RPO DUBAI 3", "08RPODUBAI3"},
      {"MOSCOW-1234", "08MOSCOW1234"},
      // Years written after the serial (09DOHA214, 09MOSCOW821,
      // 09SAOPAULO663).
      {"DOHA 152 (08)", "08DOHA152"},
      {"MOSCOW 03242 2008", "08MOSCOW3242"},
      {"(08) SAO PAULO 581", "08SAOPAULO581"},
      // A date glued to the serial (09STATE37561).
      {"08 KIGALI 00830--05/DEC/2008", "08KIGALI830"},
      // An unknown station is accepted when a year precedes it.
      {"08 NEWPOST 12", "08NEWPOST12"},
  };
  for (const Case& c : cases) {
    const std::vector<Reference> refs = ParseReferenceBlock(c.block, Ctx(2008));
    ASSERT_EQ(refs.size(), 1u)
        << c.block << ": " << absl::StrJoin(Describe(refs), "; ");
    EXPECT_EQ(refs[0].kind(), Reference::CABLE) << c.block;
    EXPECT_EQ(refs[0].id(), c.id) << c.block;
    EXPECT_EQ(refs[0].text(), FoldWhitespace(c.block)) << c.block;
    EXPECT_EQ(refs[0].letter(), "") << c.block;
  }
}

TEST(ParseReferenceBlockTest, AndPreviousKeptInText) {
  EXPECT_THAT(Block("A. ANKARA 1006\n\xC2\xB6"
                    "B. ANKARA 1083 AND PREVIOUS",
                    2007),
              ElementsAre("CABLE A 07ANKARA1006 | ANKARA 1006",
                          "CABLE B 07ANKARA1083 | ANKARA 1083 AND PREVIOUS"));
}

TEST(ParseReferenceBlockTest, SerialListsContinueStationAndYear) {
  EXPECT_THAT(Ids(ParseReferenceBlock("ANKARA 1234, 1245 AND 1300", Ctx(2008))),
              ElementsAre("08ANKARA1234", "08ANKARA1245", "08ANKARA1300"));
  EXPECT_THAT(Ids(ParseReferenceBlock("07 STATE 12, 15 & 19", Ctx(2008))),
              ElementsAre("07STATE12", "07STATE15", "07STATE19"));
  // Each shares the entry's text.
  const std::vector<Reference> refs =
      ParseReferenceBlock("A. ANKARA 1234, 1245", Ctx(2008));
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[1].text(), "ANKARA 1234, 1245");
  EXPECT_EQ(refs[1].letter(), "A");
  // Numbers that are not serials do not continue.
  EXPECT_THAT(Ids(ParseReferenceBlock("ANKARA 1234 AND PREVIOUS", Ctx(2008))),
              ElementsAre("08ANKARA1234"));
  EXPECT_THAT(
      Ids(ParseReferenceBlock("BRASILIA 1124; IIR 6 809 0156 10", Ctx(2010))),
      ElementsAre("10BRASILIA1124", ""));
}

TEST(ParseReferenceBlockTest, SeveralCablesInOneLetteredEntry) {
  // From 08ALGIERS198 and 07ISLAMABAD5288.
  EXPECT_THAT(
      Block("A. ALGIERS 111  B. ALGIERS 110 AND ALGIERS 140  C. 07 ALGIERS "
            "1807 AND 08 ALGIERS 0075"),
      ElementsAre("CABLE A 08ALGIERS111 | ALGIERS 111",
                  "CABLE B 08ALGIERS110 | ALGIERS 110 AND ALGIERS 140",
                  "CABLE B 08ALGIERS140 | ALGIERS 110 AND ALGIERS 140",
                  "CABLE C 07ALGIERS1807 | 07 ALGIERS 1807 AND 08 ALGIERS 0075",
                  "CABLE C 08ALGIERS75 | 07 ALGIERS 1807 AND 08 ALGIERS 0075"));
}

TEST(ParseReferenceBlockTest, YearPrecedesNextEntryWithoutSeparator) {
  // From 10CARACAS69: "39 10 CARACAS 35" is two entries.
  EXPECT_THAT(Ids(ParseReferenceBlock("10 CARACAS 39 10 CARACAS 35; 10 "
                                      "CARACAS 5",
                                      Ctx(2010))),
              ElementsAre("10CARACAS39", "10CARACAS35", "10CARACAS5"));
}

TEST(ParseReferenceBlockTest, UnknownYearGivesCableWithoutId) {
  const std::vector<Reference> refs =
      ParseReferenceBlock("STATE 12345; 07 STATE 1", Ctx(0));
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].kind(), Reference::CABLE);
  EXPECT_EQ(refs[0].id(), "");
  EXPECT_EQ(refs[1].id(), "07STATE1");
  // The year comes from self_id when year is unknown.
  ReferenceContext ctx;
  ctx.self_id = "09ANKARA100";
  EXPECT_THAT(Ids(ParseReferenceBlock("ANKARA 12", ctx)),
              ElementsAre("09ANKARA12"));
}

// ---------------------------------------------------------------------------
// Non-cable kinds.

TEST(ParseReferenceBlockTest, Kinds) {
  struct Case {
    const char* block;
    Reference::Kind kind;
  };
  const Case cases[] = {
      {"EMAIL FROM J. SMITH 3/4/08", Reference::EMAIL},
      {"CARNIE-QUANRUD E-MAIL DATED 10.01.2009", Reference::EMAIL},
      {"TSOU-NEA EMAILS/TELCONS", Reference::EMAIL},
      {"FEB 24 A/S CARSON-AMB SANDERS TELCON", Reference::TEL},
      {"TELECON WITH DAS SMITH", Reference::TEL},
      {"PHONE CALL FROM FM", Reference::TEL},
      {"TELEPHONE CONVERSATION 3/4", Reference::TEL},
      {"MEMO FROM S/P", Reference::MEMO},
      {"MEMORANDUM OF UNDERSTANDING", Reference::MEMO},
      {"EMBASSY PARIS DAILY REPORT FOR FEBRUARY 17", Reference::REPORT},
      {"IIR 6 902 9698 06", Reference::REPORT},
      {"USDAO NAIROBI IIR 6 854 0108 08 291553Z JAN 08", Reference::REPORT},
      {"INTSUM 12", Reference::REPORT},
      {"TD-314/65216-07", Reference::REPORT},
      {"OSC EUP20090329950015", Reference::REPORT},
      {"FAX FROM MFA 5/6", Reference::FAX},
      {"MEETING WITH FM MAY 3", Reference::MEETING},
      {"POLOFF-MFA MTG 4/4", Reference::MEETING},
      {"CONVERSATION WITH DCM", Reference::MEETING},
      {"STATE-LONDON SVTC MAY 9", Reference::MEETING},
      {"HTTP://WWW.EXAMPLE.ORG/X", Reference::WEB},
      {"WWW.STATE.GOV", Reference::WEB},
      {"MFA WEBSITE", Reference::WEB},
      {"BOOK BY R. KAPLAN", Reference::BOOK},
      {"PARIS POINTS NOV 22", Reference::OTHER},
      {"XXXXXXXXXXXX", Reference::OTHER},
      {"7 FAM 180", Reference::OTHER},
      {"USDEL 00007", Reference::OTHER},
      {"STATE 12345 (NOTAL)", Reference::CABLE},
      {"STATE 81957: REPORT OF U.S.- RUSSIA MANPADS EXPERTS MEETING",
       Reference::CABLE},
  };
  for (const Case& c : cases) {
    const std::vector<Reference> refs = ParseReferenceBlock(c.block, Ctx(2008));
    ASSERT_EQ(refs.size(), 1u)
        << c.block << ": " << absl::StrJoin(Describe(refs), "; ");
    EXPECT_EQ(refs[0].kind(), c.kind)
        << c.block << " -> " << Reference::Kind_Name(refs[0].kind());
    if (c.kind != Reference::CABLE) {
      EXPECT_EQ(refs[0].id(), "") << c.block;
      EXPECT_EQ(refs[0].text(), c.block) << c.block;
    }
  }
}

TEST(ParseReferenceBlockTest, MixedLetteredKinds) {
  // From 10SANAA317 and 06CARACAS219.
  EXPECT_THAT(Block("A. SANAA 202\n\xC2\xB6"
                    "B. MITCHELL/SIMS TELCON 02/16/2010\n"
                    "\xC2\xB6"
                    "C. MITCHELL/SIMS EMAIL 02/16/2010\n",
                    2010),
              ElementsAre("CABLE A 10SANAA202 | SANAA 202",
                          "TEL B - | MITCHELL/SIMS TELCON 02/16/2010",
                          "EMAIL C - | MITCHELL/SIMS EMAIL 02/16/2010"));
  EXPECT_THAT(Block("A. A: HAVANA 00118\n\xC2\xB6"
                    "B. B: HAVANA 00697\n\xC2\xB6"
                    "C. C: TD-314/63777-05 LIMITED DISTRIBUTION\n\xC2\xB6"
                    "D. D: IIR 6 902 9698 06",
                    2006),
              ElementsAre("CABLE A 06HAVANA118 | HAVANA 00118",
                          "CABLE B 06HAVANA697 | HAVANA 00697",
                          "REPORT C - | TD-314/63777-05 LIMITED DISTRIBUTION",
                          "REPORT D - | IIR 6 902 9698 06"));
}

// ---------------------------------------------------------------------------
// Self references, duplicates, robustness.

TEST(ParseReferenceBlockTest, SelfReferenceSkipped) {
  EXPECT_THAT(Describe(ParseReferenceBlock("A. PARIS 1 B. PARIS 2",
                                           Ctx(2008, "08PARIS1"))),
              ElementsAre("CABLE B 08PARIS2 | PARIS 2"));
}

TEST(ParseReferenceBlockTest, DuplicatesKeepFirst) {
  EXPECT_THAT(
      Block("A. STATE 1 B. 08 STATE 0001 C. STATE 2"),
      ElementsAre("CABLE A 08STATE1 | STATE 1", "CABLE C 08STATE2 | STATE 2"));
}

TEST(ParseReferenceBlockTest, GarbageNeverCrashes) {
  std::mt19937 rng(42);
  const std::string alphabet =
      "AB().:;,-/ \n\t0123456789REFSTATE\xC2\xB6\xFF\x00";
  for (int n = 0; n < 2000; ++n) {
    std::string s;
    const int len = static_cast<int>(rng() % 200);
    for (int i = 0; i < len; ++i)
      s.push_back(alphabet[rng() % alphabet.size()]);
    (void)ParseReferenceBlock(s, Ctx(2008));
    (void)ExtractReferences(absl::StrCat("REF: ", s), Ctx(2008));
  }
  for (const char* s :
       {"(", ")", "A.", "(A", "REF:", "REF", "\xC2", "A. A. A.", "08",
        "08 STATE", "STATE -", "(08)", "99999999999999"}) {
    (void)ParseReferenceBlock(s, Ctx(2008));
    (void)ExtractReferences(s, Ctx(2008));
  }
}

TEST(ParseReferenceBlockTest, LargeInputsStayFast) {
  std::string block;
  for (int i = 1; i <= 20000; ++i) absl::StrAppend(&block, "STATE ", i, ", ");
  std::string body = "REF: " + std::string(200000, 'A') + "\n";
  for (int i = 0; i < 20000; ++i) body += "A. B. C. (A) (B) 1. 2. REF: X\n";
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Reference> refs = ParseReferenceBlock(block, Ctx(2008));
  (void)ExtractReferences(body, Ctx(2008));
  (void)ExtractReferences(block, Ctx(2008));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(refs.empty());
  EXPECT_LE(refs.size(), 200u);  // capped
  EXPECT_LT(
      std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(),
      2000);
}

// ---------------------------------------------------------------------------
// The real corpus.

// The body of a cable page: its second <pre>, tags stripped, entities
// decoded.
std::string BodyOfPage(const std::string& html) {
  size_t pos = 0;
  std::string inner;
  for (int k = 0; k < 2; ++k) {
    const size_t open = html.find("<pre>", pos);
    if (open == std::string::npos) return "";
    const size_t close = html.find("</pre>", open);
    if (close == std::string::npos) return "";
    inner = html.substr(open + 5, close - open - 5);
    pos = close + 6;
  }
  std::string text;
  bool in_tag = false;
  for (char c : inner) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      text.push_back(c);
    }
  }
  return DecodeHtmlEntities(text);
}

TEST(ExtractReferencesCorpusTest, EveryCorpusBody) {
  const std::filesystem::path root = std::filesystem::path(CABLES_SOURCE_DIR) /
                                     ".." / "shared" / "corpus" /
                                     "wikileaks-html";
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    GTEST_SKIP() << "corpus not found at " << root;
  }
  int cables = 0;
  int with_refs = 0;
  std::map<std::string, int> kinds;
  int cable_refs_without_id = 0;
  size_t bytes = 0;
  std::chrono::steady_clock::duration spent{};
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root, ec)) {
    if (entry.path().extension() != ".html") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string body = BodyOfPage(ss.str());
    const std::string self = entry.path().stem().string();
    absl::StatusOr<CableId> id = ParseCableId(self);
    ASSERT_TRUE(id.ok()) << self;
    const auto start = std::chrono::steady_clock::now();
    const std::vector<Reference> refs =
        ExtractReferences(body, Ctx(id->year, self));
    spent += std::chrono::steady_clock::now() - start;
    EXPECT_EQ(Describe(refs), Describe(ExtractReferences(body, SplitLines(body),
                                                         Ctx(id->year, self))))
        << self;
    bytes += body.size();
    ++cables;
    if (!refs.empty()) ++with_refs;
    for (const Reference& r : refs) {
      ++kinds[Reference::Kind_Name(r.kind())];
      EXPECT_NE(r.id(), self) << self;
      EXPECT_FALSE(r.text().empty()) << self;
      if (r.kind() == Reference::CABLE) {
        if (r.id().empty())
          ++cable_refs_without_id;
        else
          EXPECT_EQ(CanonicalizeCableId(r.id()).value_or(""), r.id()) << self;
      } else {
        EXPECT_EQ(r.id(), "") << self;
      }
    }
  }
  const double ms = std::chrono::duration<double, std::milli>(spent).count();
  std::printf(
      "corpus: %d cables, %d with references (%.1f%%); %.1f MB in "
      "%.1f ms\n",
      cables, with_refs, 100.0 * with_refs / cables, bytes / 1e6, ms);
  for (const auto& [kind, n] : kinds)
    std::printf("  %-8s %d\n", kind.c_str(), n);
  // Measured on the 1,295-cable corpus: 728 cables (56%) have a REF block;
  // 1,566 cable references, about 150 of other kinds.
  EXPECT_EQ(cables, 1295);
  EXPECT_GE(with_refs, cables / 2);
  EXPECT_LE(with_refs, cables * 2 / 3);
  EXPECT_GE(kinds["CABLE"], 1500);
  EXPECT_GE(kinds["EMAIL"] + kinds["REPORT"] + kinds["OTHER"], 100);
  EXPECT_EQ(cable_refs_without_id, 0);
}

}  // namespace
}  // namespace cables::parser
