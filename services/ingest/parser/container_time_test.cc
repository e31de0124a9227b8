#include "services/ingest/parser/container_time.h"

#include "gtest/gtest.h"

namespace cables::parser {
namespace {

int64_t Seconds(const std::optional<absl::Time>& t) {
  return absl::ToUnixSeconds(*t);
}

TEST(ContainerTimeTest, IsoForms) {
  EXPECT_EQ(Seconds(ParseIsoDateTime("2008-06-16 16:04")), 1213632240);
  EXPECT_EQ(Seconds(ParseIsoDateTime(" 2005-04-22 01:33:00 ")), 1114133580);
  EXPECT_EQ(Seconds(ParseIsoDateTime("2005-04-22T01:33:00Z")), 1114133580);
  EXPECT_EQ(Seconds(ParseIsoDateTime("1966-12-28")), -95040000);
}

TEST(ContainerTimeTest, UsForms) {
  EXPECT_EQ(Seconds(ParseUsDateTime("06/16/2008 16:04")), 1213632240);
  EXPECT_EQ(Seconds(ParseUsDateTime("6/16/2008 16:04:00")), 1213632240);
  EXPECT_EQ(Seconds(ParseUsDateTime("12/28/1966")), -95040000);
}

TEST(ContainerTimeTest, TextualForms) {
  EXPECT_EQ(Seconds(ParseTextualDateTime("2005 April 22, 01:33 (Friday)")),
            1114133580);
  EXPECT_EQ(Seconds(ParseTextualDateTime("Friday, 22 April 2005, 01:33")),
            1114133580);
  EXPECT_EQ(Seconds(ParseTextualDateTime("Apr 22, 2005 01:33:00")), 1114133580);
  EXPECT_EQ(Seconds(ParseContainerTime("22 APR 2005")), 1114128000);
  for (const char* bad :
       {"April 2005", "22 Foo 2005", "22 April 05", "32 April 2005",
        "22 April 2005 25:00", "1 2 April 2005", "April 22, 2005 and more"}) {
    EXPECT_FALSE(ParseTextualDateTime(bad).has_value()) << bad;
  }
}

TEST(ContainerTimeTest, RejectsMalformedAndOutOfRange) {
  for (const char* bad :
       {"", "2008-13-01", "2008-02-30 10:00", "2008-06-16 24:00",
        "2008-06-16 16:60", "08-06-16", "2008-06-16 16", "2008-06-16 16:04x",
        "13/01/2008 10:00", "06/16/08 16:04", "06/16/2008 1604", "date",
        "2008-06-016"}) {
    EXPECT_FALSE(ParseContainerTime(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseContainerTime("2008-02-29 00:00").has_value());
  EXPECT_FALSE(ParseContainerTime("2007-02-29 00:00").has_value());
}

}  // namespace
}  // namespace cables::parser
