#include "services/metadata/filter_parser.h"

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::metadata {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time Day(const char* d) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime("%Y-%m-%d", d, absl::UTCTimeZone(), &t, &err));
  return t;
}

TEST(FilterParserTest, EmptyFilterMatchesEverything) {
  auto f = ParseCableFilter("  ");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->origin.empty());
  EXPECT_TRUE(f->tags.empty());
  EXPECT_FALSE(f->created_from.has_value());
}

TEST(FilterParserTest, FullExample) {
  auto f = ParseCableFilter(
      R"(origin = "Embassy Almaty" AND tags:"PGOV" AND created >= "2005-01-01")"
      R"( AND classification:"SECRET" AND caveats:"NOFORN" AND tags:PREL)");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->origin, "Embassy Almaty");
  EXPECT_EQ(f->classification, "SECRET");
  EXPECT_THAT(f->tags, ElementsAre("PGOV", "PREL"));
  EXPECT_THAT(f->caveats, ElementsAre("NOFORN"));
  EXPECT_EQ(f->created_from, Day("2005-01-01"));
  EXPECT_FALSE(f->created_until.has_value());
}

TEST(FilterParserTest, DateComparisons) {
  auto f =
      ParseCableFilter(R"(created > "2005-01-01" AND created <= "2005-12-31")");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->created_from, Day("2005-01-02"));
  EXPECT_EQ(f->created_until, Day("2006-01-01"));
  f = ParseCableFilter(R"(created = "2005-03-04")");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->created_from, Day("2005-03-04"));
  EXPECT_EQ(f->created_until, Day("2005-03-05"));
  f = ParseCableFilter(R"(created < "2006-01-01T00:00:00Z")");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->created_until, Day("2006-01-01"));
}

TEST(FilterParserTest, EscapesInStrings) {
  auto f = ParseCableFilter(R"(origin = "A \"B\" \\ C")");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->origin, R"(A "B" \ C)");
}

TEST(FilterParserTest, ErrorsGivePosition) {
  auto f = ParseCableFilter(R"(origin = "X" AND colour = "red")");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(f.status().message(), HasSubstr("position 18"));
  EXPECT_THAT(f.status().message(), HasSubstr("colour"));

  f = ParseCableFilter(R"(origin = "unterminated)");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(), HasSubstr("position 10"));
  EXPECT_THAT(f.status().message(), HasSubstr("unterminated"));

  f = ParseCableFilter("tags = PGOV");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(), HasSubstr("position 6"));

  f = ParseCableFilter(R"(created >= "yesterday")");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(), HasSubstr("YYYY-MM-DD"));

  for (const char* bad : {"origin", "origin =", "tags:A AND", "tags:A tags:B",
                          "= \"x\"", "tags:A AND AND tags:B"}) {
    EXPECT_EQ(ParseCableFilter(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(FilterParserTest, UnsupportedTermsSaySo) {
  for (const char* f :
       {"tags:A OR tags:B", "partial = true", "redacted = false", "NOT tags:A",
        "-tags:A", "origin != \"X\"", "origin = \"X\" AND origin = \"Y\""}) {
    auto parsed = ParseCableFilter(f);
    ASSERT_FALSE(parsed.ok()) << f;
    EXPECT_THAT(parsed.status().message(), HasSubstr("not supported yet")) << f;
  }
  EXPECT_THAT(ParseCableFilter("partial = true").status().message(),
              HasSubstr("partial"));
}

}  // namespace
}  // namespace cables::metadata
