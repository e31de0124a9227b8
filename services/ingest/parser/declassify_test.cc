#include "services/ingest/parser/declassify.h"

#include "gtest/gtest.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

std::string FromBody(absl::string_view body) {
  return ExtractDeclassifyOn(SplitLines(body), 20);
}

TEST(DeclassifyTest, DateForms) {
  EXPECT_EQ(FromBody("E.O. 12958: DECL: 12/04/2012 \n"), "2012-12-04");
  EXPECT_EQ(FromBody("EO 12958 DECL: 2020/02/23\n"), "2020-02-23");
  EXPECT_EQ(FromBody("E.O. 12958: DECL: 6/3/08\n"), "2008-06-03");
  EXPECT_EQ(FromBody("E.O. 13526: DECL: 2019-02-12\n"), "2019-02-12");
  EXPECT_EQ(FromBody("E.O. 12958: DECL: 011/2/2019\n"), "2019-11-02");
  EXPECT_EQ(FromBody("E.O. 12958: DECLl: 03/12/2018\n"), "2018-03-12");
  EXPECT_EQ(FromBody("E.O. 12958: Declassify on 8/31/2034\n"), "2034-08-31");
  EXPECT_EQ(FromBody("E.O. 12065: GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P\n"),
            "1985-08-12");
  EXPECT_EQ(FromBody("E.O. 12958: 06/30/2018\n"), "2018-06-30");
}

TEST(DeclassifyTest, FieldMidLineAndStandalone) {
  EXPECT_EQ(FromBody("DEPT FOR WHA/BSC E.O. 12958: DECL: 11/22/2012 \n"),
            "2012-11-22");
  EXPECT_EQ(FromBody("E.O. 12958: DECL: 1/3/2019 TAGS: PTER MOPS\n"),
            "2019-01-03");
  EXPECT_EQ(FromBody("DECLASSIFY ON: 10/01/2033\n"), "2033-10-01");
}

TEST(DeclassifyTest, NoCalendarDate) {
  EXPECT_EQ(FromBody("E.O. 12958: N/A \nTAGS: PGOV 06/30/2018\n"), "");
  EXPECT_EQ(FromBody("E.O. 12356: DECL: OADR\n"), "");
  EXPECT_EQ(FromBody("E.O. 12958: DECL: 1.6X6\n"), "");
  EXPECT_EQ(FromBody("EO 12958 DECL: TEN YEARS AFTER KOREAN UNIFICATION\n"),
            "");
  EXPECT_EQ(FromBody("E.O. 12958: DNG: CO 01/26/2021\n"), "");
  EXPECT_EQ(FromBody("Declassify on: Source marked 25X1-human, Date of "
                     "source: October 30, 2008\n"),
            "");
}

TEST(DeclassifyTest, NumericDates) {
  EXPECT_EQ(ParseNumericDate("2/29/2008"), "2008-02-29");
  EXPECT_EQ(ParseNumericDate("2/29/2009"), "");
  EXPECT_EQ(ParseNumericDate("13/01/2009"), "");
  EXPECT_EQ(ParseNumericDate("12-31-2010"), "2010-12-31");
  EXPECT_EQ(ParseNumericDate("1.4"), "");
}

}  // namespace
}  // namespace cables::parser
