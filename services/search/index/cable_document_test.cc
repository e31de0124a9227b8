#include "services/search/index/cable_document.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/ingest/parser/testing/real_corpus.h"
#include "storage/testing/test_cables.h"

namespace cables::search::index {
namespace {

cables::v1::Cable WithParagraphs(const std::string& body,
                                 std::initializer_list<const char*> texts) {
  cables::v1::Cable cable = storage::testing::MakeCable("05ALMATY1595");
  cable.set_body(body);
  cable.clear_paragraphs();
  int n = 0;
  for (const char* text : texts) {
    auto* p = cable.add_paragraphs();
    p->set_number(++n);
    p->set_text(text);
  }
  return cable;
}

TEST(BodyOutsideParagraphsTest, CutsEachParagraphOutInOrder) {
  const cables::v1::Cable cable = WithParagraphs(
      "SUBJECT: GAS\nREF: A\n1. First para.\n2. Second para.\nEND",
      {"First para.", "Second para."});
  EXPECT_EQ(BodyOutsideParagraphs(cable),
            "SUBJECT: GAS\nREF: A\n1. \n\n2. \n\nEND");
}

TEST(BodyOutsideParagraphsTest, LineBreaksInTheBodyMatchSpaces) {
  const cables::v1::Cable cable =
      WithParagraphs("HEAD\n1. (C) One two \nthree  four.\n\n2. Five",
                     {"One two three four."});
  EXPECT_EQ(BodyOutsideParagraphs(cable), "HEAD\n1. (C) \n\n\n2. Five");
}

TEST(BodyOutsideParagraphsTest, SkipsPageBreakLinesInsideAParagraph) {
  const cables::v1::Cable cable = WithParagraphs(
      "1. (C) One two\nCONFIDENTIAL\nPAGE 02 ALMATY 01595\n-----\nthree.\nEND",
      {"One two three."});
  EXPECT_EQ(BodyOutsideParagraphs(cable), "1. (C) \n\nEND");
  // Not a whole line: no match, the body stays whole.
  const cables::v1::Cable mid_line =
      WithParagraphs("1. One two XX three.", {"One two three."});
  EXPECT_EQ(BodyOutsideParagraphs(mid_line), mid_line.body());
}

TEST(BodyOutsideParagraphsTest, KeepsTheWholeBodyWhenAParagraphIsNotInIt) {
  const cables::v1::Cable cable =
      WithParagraphs("1. First.\n2. Second.", {"Second.", "First."});
  EXPECT_EQ(BodyOutsideParagraphs(cable), cable.body());
  EXPECT_EQ(BodyOutsideParagraphs(WithParagraphs("no paragraphs", {})),
            "no paragraphs");
}

TEST(CableDocumentTest, StopWordsCountInTheirTermsWdf) {
  TextAnalyzer analyzer;
  const Xapian::Document doc = CableDocument(
      WithParagraphs("The end of the summary of it", {}), analyzer);
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(kStopWordTerm);
  ASSERT_NE(it, doc.termlist_end());
  ASSERT_EQ(*it, kStopWordTerm);
  // the, of, the, of, it (the subject of MakeCable may add more).
  EXPECT_GE(it.get_wdf(), 5u);
  EXPECT_EQ(it.positionlist_count(), it.get_wdf());
}

TEST(CableDocumentTest, StationPartIsTheIdBeforeItsSerial) {
  EXPECT_EQ(StationPart("05ALMATY1595"), "05ALMATY");
  EXPECT_EQ(StationPart("08USUNNEWYORK12"), "08USUNNEWYORK");
  EXPECT_EQ(StationPart("08BEI"), "08BEI");
  EXPECT_EQ(StationPart("08"), "");
  EXPECT_EQ(StationPart("0812"), "");
  EXPECT_EQ(StationPart("A8BEIJING1"), "");
}

TEST(CableDocumentTest, TripleTermsHaveTheShapeOfSpacedIdsAndDates) {
  EXPECT_EQ(TripleTerm("10", "kabul", "5"), "XN10 kabul 5");
  EXPECT_EQ(TripleTerm("15", "march", "2008"), "XN15 march 2008");
  EXPECT_EQ(TripleTerm("10", "kabul", "123456789012"),
            "XN10 kabul 123456789012");
  EXPECT_EQ(TripleTerm("2010", "kabul", "5"), "");
  EXPECT_EQ(TripleTerm("1", "kabul", "5"), "");
  EXPECT_EQ(TripleTerm("1a", "kabul", "5"), "");
  EXPECT_EQ(TripleTerm("10", "kabul2", "5"), "");
  EXPECT_EQ(TripleTerm("10", "", "5"), "");
  EXPECT_EQ(TripleTerm("10", "kabul", ""), "");
  EXPECT_EQ(TripleTerm("10", "kabul", "5x"), "");
  EXPECT_EQ(TripleTerm("10", "kabul", "1234567890123"), "");

  TextAnalyzer analyzer;
  cables::v1::Cable cable =
      WithParagraphs("REF: 10 KABUL 5, 10 of KABUL 6; 3 May 2009", {});
  cable.set_subject("RE 09 STATE 7");
  const Xapian::Document doc = CableDocument(cable, analyzer);
  std::vector<std::string> triples;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    if (term.rfind(kTriplePrefix, 0) == 0 ||
        term.rfind(absl::StrCat(kSubjectPrefix, kTriplePrefix), 0) == 0) {
      triples.push_back(term);
      EXPECT_EQ(it.positionlist_count(), 0u) << term;
    }
  }
  // Sorted, as a term list is; "10 of KABUL 6" has a stop word, "3 May" one
  // digit. The subject's triple is in both the text and the subject terms.
  EXPECT_EQ(triples, (std::vector<std::string>{"SXN09 state 7", "XN09 state 7",
                                               "XN10 kabul 5"}));
}

TEST(CableDocumentTest, PeriodTermsCoverWholeDaysWithTheFewestTerms) {
  const auto day = [](int y, int m, int d) {
    return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(PeriodTerms(day(2005, 1, 1), day(2006, 1, 1)), V({"XDY2005"}));
  EXPECT_EQ(PeriodTerms(day(2005, 1, 1), day(2005, 7, 1)),
            V({"XDM200501", "XDM200502", "XDM200503", "XDM200504", "XDM200505",
               "XDM200506"}));
  EXPECT_EQ(PeriodTerms(day(2008, 6, 15), day(2008, 6, 16)),
            V({"XDD20080615"}));
  EXPECT_EQ(
      PeriodTerms(day(2008, 12, 30), day(2010, 2, 2)),
      V({"XDD20081230", "XDD20081231", "XDY2009", "XDM201001", "XDD20100201"}));
  // Not whole days, empty, reversed, or too many terms: the caller checks
  // the sort key instead.
  EXPECT_EQ(PeriodTerms(day(2008, 6, 15) + absl::Hours(1), day(2008, 6, 16)),
            V());
  EXPECT_EQ(PeriodTerms(day(2008, 6, 15), day(2008, 6, 15)), V());
  EXPECT_EQ(PeriodTerms(day(2008, 6, 16), day(2008, 6, 15)), V());
  EXPECT_EQ(PeriodTerms(day(1800, 1, 1), day(2100, 1, 1)), V());

  TextAnalyzer analyzer;
  cables::v1::Cable cable = WithParagraphs("Text.", {});
  cable.mutable_created()->set_seconds(
      absl::ToUnixSeconds(day(2008, 6, 15) + absl::Hours(23)));
  const Xapian::Document doc = CableDocument(cable, analyzer);
  V dates;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    if ((*it).rfind("XD", 0) == 0) dates.push_back(*it);
  }
  EXPECT_EQ(dates, V({"XDD20080615", "XDM200806", "XDY2008"}));
}

// The document data keeps the text once on the real cables: nearly every
// cable's paragraphs are found in its body, so the stored body is the rest.
TEST(CableDocumentTest, RealCablesStoreTheirTextOnce) {
  const auto pages = parser::testing::CorpusPages();
  ASSERT_FALSE(pages.empty())
      << "corpus missing: " << parser::testing::CorpusRoot();
  size_t with_paragraphs = 0, slimmed = 0, full = 0, stored = 0;
  for (const auto& path : pages) {
    auto cable = parser::ParseCable(parser::testing::ReadBytes(path));
    ASSERT_TRUE(cable.ok()) << path << ": " << cable.status();
    if (cable->paragraphs_size() == 0) continue;
    ++with_paragraphs;
    const std::string rest = BodyOutsideParagraphs(*cable);
    if (rest.size() < cable->body().size()) ++slimmed;
    full += cable->body().size();
    stored += rest.size();
  }
  EXPECT_GT(with_paragraphs, 1000u);
  // A few cables' paragraphs differ from their body beyond page breaks.
  EXPECT_GE(slimmed * 100, with_paragraphs * 95)
      << slimmed << " of " << with_paragraphs;
  EXPECT_LT(stored * 4, full) << "stored " << stored << " of " << full;
}

}  // namespace
}  // namespace cables::search::index
