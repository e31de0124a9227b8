#include "services/ingest/parser/telegram.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace cables::parser {
namespace {

using cables::v1::Cable;
using cables::v1::Recipient;

std::vector<std::string> List(
    const google::protobuf::RepeatedPtrField<std::string>& field) {
  return {field.begin(), field.end()};
}

int64_t Seconds(int y, int m, int d, int hh, int mm) {
  return absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone()));
}

// 08DAMASCUS427, shortened.
constexpr absl::string_view kHeader =
    "VZCZCXRO0539\n"
    "PP RUEHAG RUEHBC RUEHDE RUEHKUK RUEHROV\n"
    "DE RUEHDM #0427/01 1681625\n"
    "ZNY CCCCC ZZH\n"
    "P 161625Z JUN 08\n"
    "FM AMEMBASSY DAMASCUS\n"
    "TO RUEHC/SECSTATE WASHDC PRIORITY 5083\n"
    "INFO RUEHEE/ARAB LEAGUE COLLECTIVE\n"
    "RUEHTV/AMEMBASSY TEL AVIV 2169\n";

constexpr absl::string_view kBody =
    "C O N F I D E N T I A L SECTION 01 OF 02 DAMASCUS 000427 \n"
    "\n"
    "SIPDIS \n"
    "\n"
    "NEA/ELA \n"
    "\n"
    "E.O. 12958: DECL: 06/15/2018 \n"
    "TAGS: PGOV PHUM PREL PTER SY\n"
    "SUBJECT: FRENCH CONSIDER THEIR DAMASCUS VISIT A SUCCESS \n"
    "\n"
    "REF: DAMASCUS 401\n"
    "\n"
    "Classified By: CDA Todd C. Holmstrom for reasons 1.5 b/d \n"
    "\n"
    "\xC2\xB6"
    "1. (C) Summary. The SARG worked to portray the June 15 visit \n"
    "as a vindication of Syria's hard-line policy. End summary. \n"
    "\n"
    "\xC2\xB6"
    "2. (U) The June 15 one-day visit was front page \n"
    "news in Syria's state-owned papers. \n"
    "\n"
    "DAMASCUS 00000427  002 OF 002 \n"
    "\n"
    "\n"
    "in the White House. XXXXXXXXXXXX said so.\n"
    "\n"
    "\xC2\xB6"
    "3. (C) Comment. Asad is obviously anxious to be received in "
    "Paris. HOLMSTROM";

SourceDocument Damascus() {
  SourceDocument doc;
  doc.format = cables::v1::HTML;
  doc.header = std::string(kHeader);
  doc.body = std::string(kBody);
  return doc;
}

TEST(TelegramTest, FieldsFromHeaderAndBody) {
  Cable cable;
  AnalyzeTelegram(Damascus(), TelegramContext{}, &cable);
  EXPECT_EQ(cable.header(), kHeader);
  EXPECT_EQ(cable.body(), kBody);
  EXPECT_EQ(cable.source_format(), cables::v1::HTML);
  EXPECT_EQ(cable.transmission_id(), "VZCZCXRO0539");
  ASSERT_EQ(cable.recipients_size(), 3);
  EXPECT_EQ(cable.recipients(0).kind(), Recipient::TO);
  EXPECT_EQ(cable.recipients(0).route(), "RUEHC");
  EXPECT_EQ(cable.recipients(0).name(), "SECSTATE WASHDC");
  EXPECT_EQ(cable.recipients(0).precedence(), Recipient::PRIORITY);
  EXPECT_EQ(cable.recipients(0).mcn(), "5083");
  EXPECT_EQ(cable.recipients(2).kind(), Recipient::INFO);
  EXPECT_EQ(cable.classification(), "CONFIDENTIAL");
  EXPECT_EQ(List(cable.caveats()), std::vector<std::string>({"SIPDIS"}));
  EXPECT_EQ(List(cable.tags()),
            std::vector<std::string>({"PGOV", "PHUM", "PREL", "PTER", "SY"}));
  ASSERT_EQ(cable.tag_kinds_size(), 5);
  EXPECT_EQ(cable.tag_kinds(0), cables::v1::SUBJECT);
  EXPECT_EQ(cable.tag_kinds(4), cables::v1::GEOGRAPHIC);
  EXPECT_EQ(cable.subject(), "FRENCH CONSIDER THEIR DAMASCUS VISIT A SUCCESS");
  EXPECT_EQ(List(cable.classified_by()),
            std::vector<std::string>({"CDA Todd C. Holmstrom"}));
  EXPECT_EQ(List(cable.classification_reasons()),
            std::vector<std::string>({"1.5(b)", "1.5(d)"}));
  EXPECT_EQ(cable.declassify_on(), "2018-06-15");
  EXPECT_EQ(cable.summary(),
            "The SARG worked to portray the June 15 visit as a vindication of "
            "Syria's hard-line policy.");
  ASSERT_EQ(cable.paragraphs_size(), 3);
  EXPECT_EQ(cable.paragraphs(1).number(), 2);
  EXPECT_EQ(cable.paragraphs(1).marking(), "U");
  EXPECT_EQ(cable.paragraphs(1).text(),
            "The June 15 one-day visit was front page news in Syria's "
            "state-owned papers. in the White House. XXXXXXXXXXXX said so.");
  EXPECT_EQ(cable.paragraphs(2).text(),
            "Comment. Asad is obviously anxious to be received in Paris.");
  EXPECT_EQ(List(cable.signers()), std::vector<std::string>({"HOLMSTROM"}));
  EXPECT_TRUE(cable.redacted());
  EXPECT_EQ(cable.created().seconds(), Seconds(2008, 6, 16, 16, 25));
  EXPECT_EQ(cable.origin(), "Embassy Damascus");
}

// Needs the real cable_id.cc / references.cc (landed in parallel).
TEST(TelegramTest, IdDerivedFromBannerAndDtgAndReferences) {
  Cable cable;
  AnalyzeTelegram(Damascus(), TelegramContext{}, &cable);
  EXPECT_EQ(cable.canonical_id(), "08DAMASCUS427");
  EXPECT_EQ(cable.reference_id(), "08DAMASCUS427");  // derived from the text
  ASSERT_EQ(cable.references_size(), 1);
  EXPECT_EQ(cable.references(0).id(), "08DAMASCUS401");
}

TEST(TelegramTest, StatedIdAndContextWin) {
  SourceDocument doc = Damascus();
  doc.reference_id = "08DAMASCUS000427";
  Cable cable;
  AnalyzeTelegram(doc, TelegramContext{}, &cable);
  EXPECT_EQ(cable.reference_id(), "08DAMASCUS000427");
  EXPECT_EQ(cable.canonical_id(), "08DAMASCUS427");

  doc.reference_id.clear();
  TelegramContext context;
  context.id_hint = "08 DAMASCUS 427";
  cable.Clear();
  AnalyzeTelegram(doc, context, &cable);
  EXPECT_EQ(cable.reference_id(), "08 DAMASCUS 427");  // the id as the caller wrote it
  EXPECT_EQ(cable.canonical_id(), "08DAMASCUS427");
}

TEST(TelegramTest, ContainerMetadataWins) {
  SourceDocument doc = Damascus();
  doc.classification = "SECRET//NOFORN";
  doc.origin = "Embassy Paris";
  doc.subject = "A BROWSER TITLE";
  doc.tags = {"pgov", "ROOD, JOHN"};
  doc.created = absl::FromUnixSeconds(1000);
  doc.released = absl::FromUnixSeconds(2000);
  doc.partial = true;
  Cable cable;
  AnalyzeTelegram(doc, TelegramContext{}, &cable);
  EXPECT_EQ(cable.classification(), "SECRET//NOFORN");
  EXPECT_EQ(List(cable.caveats()),
            std::vector<std::string>({"NOFORN", "SIPDIS"}));
  EXPECT_EQ(cable.origin(), "Embassy Paris");
  EXPECT_EQ(cable.subject(), "A BROWSER TITLE");
  EXPECT_EQ(List(cable.tags()),
            std::vector<std::string>({"PGOV", "ROOD, JOHN"}));
  EXPECT_EQ(cable.tag_kinds(1), cables::v1::PERSON);
  EXPECT_EQ(cable.created().seconds(), 1000);
  EXPECT_EQ(cable.released().seconds(), 2000);
  EXPECT_TRUE(cable.partial());
}

TEST(TelegramTest, ClassificationFromBannerAndCaveatLines) {
  SourceDocument doc;
  doc.body =
      "UNCLAS SECTION 01 OF 04 BRASILIA 000905 \n\nSENSITIVE \nSIPDIS \n\n"
      "E.O. 12958: N/A \nTAGS: PGOV BR\n"
      "SUBJECT: Brazil's 2010 Presidential Election: Early Snapshot \n\n"
      "1. (SBU) Summary. The election looks like a two person contest.\n";
  Cable cable;
  AnalyzeTelegram(doc, TelegramContext{}, &cable);
  EXPECT_EQ(cable.classification(), "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
  EXPECT_EQ(List(cable.caveats()),
            std::vector<std::string>(
                {"FOR OFFICIAL USE ONLY", "SENSITIVE", "SIPDIS"}));
  EXPECT_EQ(cable.declassify_on(), "");

  doc.body =
      "S E C R E T SECTION 01 OF 04 MOSCOW 002701 \n\nNOFORN \nSIPDIS \n\n"
      "1. (S/NF) Text.\n";
  cable.Clear();
  AnalyzeTelegram(doc, TelegramContext{}, &cable);
  EXPECT_EQ(cable.classification(), "SECRET//NOFORN");
  EXPECT_EQ(List(cable.caveats()),
            std::vector<std::string>({"NOFORN", "SIPDIS"}));
}

TEST(TelegramTest, NoHeaderInventsNothing) {
  SourceDocument doc;
  doc.body =
      "Wednesday, 29 November 2000, 13:59\n"
      "C O N F I D E N T I A L SECTION 01 OF 03 HARARE 006677 \n"
      "SIPDIS \n"
      "EO 12958 DECL: 11/29/10 \n"
      "TAGS PGOV, PREL, ECON, PINR, ZI, SA \n"
      "SUBJECT: ASSISTANT SECRETARY MEETS WITH ZIMBABWE \n";
  Cable cable;
  AnalyzeTelegram(doc, TelegramContext{}, &cable);
  EXPECT_EQ(cable.transmission_id(), "");
  EXPECT_EQ(cable.recipients_size(), 0);
  EXPECT_EQ(cable.origin(), "");
  EXPECT_EQ(cable.declassify_on(), "2010-11-29");
  EXPECT_EQ(cable.created().seconds(), Seconds(2000, 11, 29, 13, 59));
  EXPECT_EQ(cable.canonical_id(), "00HARARE6677");
  EXPECT_EQ(
      List(cable.tags()),
      std::vector<std::string>({"PGOV", "PREL", "ECON", "PINR", "ZI", "SA"}));
}

TEST(TelegramTest, RawTelegramWithHeaderInTheBody) {
  SourceDocument doc;
  doc.format = cables::v1::TEXT;
  doc.body = std::string(kHeader) + "\n" + std::string(kBody);
  Cable cable;
  AnalyzeTelegram(doc, TelegramContext{}, &cable);
  EXPECT_EQ(cable.transmission_id(), "VZCZCXRO0539");
  EXPECT_EQ(cable.recipients_size(), 3);
  EXPECT_EQ(cable.classification(), "CONFIDENTIAL");
  EXPECT_EQ(cable.paragraphs_size(), 3);
}

TEST(TelegramTest, EmptyDocument) {
  Cable cable;
  AnalyzeTelegram(SourceDocument{}, TelegramContext{}, &cable);
  EXPECT_EQ(cable.classification(), "");
  EXPECT_EQ(cable.paragraphs_size(), 0);
  EXPECT_EQ(cable.signers_size(), 0);
  EXPECT_FALSE(cable.redacted());
  EXPECT_FALSE(cable.has_created());
}

TEST(TelegramTest, YearHintForTheId) {
  SourceDocument doc;
  doc.body = "S E C R E T STATE 119085 \n\n1. (S) Text.\n";
  TelegramContext context;
  context.year_hint = 2009;
  Cable cable;
  AnalyzeTelegram(doc, context, &cable);
  EXPECT_EQ(cable.canonical_id(), "09STATE119085");
}

// Hostile shapes must stay linear: each 1-2 MB document takes well under a
// second (quadratic behaviour would take minutes).
TEST(TelegramTest, PathologicalInputsStayLinear) {
  std::vector<std::string> bodies;
  auto repeat = [](absl::string_view s, size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (size_t i = 0; i < n; ++i) out.append(s.data(), s.size());
    return out;
  };
  bodies.push_back(repeat("SUMMARY\n", 200000));
  bodies.push_back(repeat("1.\n", 300000));
  bodies.push_back(repeat("1. (C) x\n2. (C) y\n", 100000));
  bodies.push_back("TAGS: " + repeat("ABCD, EFGH ", 150000));
  bodies.push_back(repeat("TAGS: SUBJ: x ", 100000));
  bodies.push_back(repeat("REF: X Classified By: Classified By ", 60000));
  bodies.push_back("E.O. 12958 " + repeat("E E E 1.4 ", 150000));
  bodies.push_back("SECRET//" + repeat("REL A, ", 150000));
  bodies.push_back(repeat("x. 1. (C) ", 200000));
  bodies.push_back(repeat("\n", 1000000));
  for (const std::string& body : bodies) {
    SourceDocument doc;
    doc.body = body;
    doc.header = body.substr(0, 100000);
    Cable cable;
    const absl::Time start = absl::Now();
    AnalyzeTelegram(doc, TelegramContext{}, &cable);
    EXPECT_LT(absl::Now() - start, absl::Seconds(5)) << body.substr(0, 20);
  }
}

}  // namespace
}  // namespace cables::parser
