#include "services/metadata/filter_parser.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::metadata {
namespace {

using storage::FilterCondition;
using storage::FilterExpr;
using ::testing::HasSubstr;

std::string Show(const FilterExpr& e) {
  switch (e.kind) {
    case FilterExpr::Kind::kAll:
      return "*";
    case FilterExpr::Kind::kCondition: {
      const FilterCondition& c = e.condition;
      static const char* kFields[] = {
          "origin",  "classification", "tag",     "caveat",  "id",
          "created", "released",       "partial", "redacted"};
      static const char* kOps[] = {"=", "!=", ":", "^", "<", "<=", ">", ">="};
      std::string value = c.text;
      if (c.field == FilterCondition::Field::kCreated ||
          c.field == FilterCondition::Field::kReleased) {
        value =
            absl::FormatTime("%Y-%m-%dT%H:%M:%S", c.time, absl::UTCTimeZone());
      } else if (c.field == FilterCondition::Field::kPartial ||
                 c.field == FilterCondition::Field::kRedacted) {
        value = c.flag ? "true" : "false";
      }
      return absl::StrCat(kFields[static_cast<int>(c.field)],
                          kOps[static_cast<int>(c.op)], value);
    }
    case FilterExpr::Kind::kAnd:
    case FilterExpr::Kind::kOr:
    case FilterExpr::Kind::kNot: {
      std::vector<std::string> parts;
      for (const auto& child : e.children) parts.push_back(Show(child));
      const char* name = e.kind == FilterExpr::Kind::kAnd  ? "AND"
                         : e.kind == FilterExpr::Kind::kOr ? "OR"
                                                           : "NOT";
      return absl::StrCat(name, "(", absl::StrJoin(parts, ", "), ")");
    }
  }
  return "?";
}

std::string P(const char* filter) {
  auto f = ParseCableFilter(filter);
  if (!f.ok()) return std::string(f.status().message());
  return Show(f->expr);
}

TEST(FilterParserTest, EmptyFilterMatchesEverything) {
  EXPECT_EQ(P("  "), "*");
  EXPECT_EQ(P(""), "*");
}

TEST(FilterParserTest, IssueExample) {
  EXPECT_EQ(
      P(R"(origin = "Embassy Almaty" AND tags:"PGOV" AND created >= "2005-01-01")"
        R"( AND classification:"SECRET")"),
      "AND(origin=Embassy Almaty, tag:PGOV, created>=2005-01-01T00:00:00, "
      "classification:SECRET)");
}

TEST(FilterParserTest, OrBindsTighterThanAndAsAip160Says) {
  EXPECT_EQ(P("tags:A AND tags:B OR tags:C"), "AND(tag:A, OR(tag:B, tag:C))");
  EXPECT_EQ(P("(tags:A AND tags:B) OR tags:C"), "OR(AND(tag:A, tag:B), tag:C)");
  EXPECT_EQ(P("tags:A tags:B"), "AND(tag:A, tag:B)");
}

TEST(FilterParserTest, NegationAndFlags) {
  EXPECT_EQ(P("NOT tags:A"), "NOT(tag:A)");
  EXPECT_EQ(P("-caveats:NOFORN"), "NOT(caveat:NOFORN)");
  EXPECT_EQ(P("partial"), "partial=true");
  EXPECT_EQ(P("redacted = false"), "redacted=false");
  EXPECT_EQ(P("NOT redacted AND partial != true"),
            "AND(NOT(redacted=true), partial!=true)");
  EXPECT_EQ(P("origin != \"Embassy Paris\""), "origin!=Embassy Paris");
}

TEST(FilterParserTest, PrefixesAndIds) {
  EXPECT_EQ(P("id:05ALMATY*"), "id^05ALMATY");
  EXPECT_EQ(P("origin = \"Embassy*\""), "origin^Embassy");
  EXPECT_EQ(P("tags:P*"), "tag^P");
  EXPECT_EQ(P("id = 05almaty1595"), "id=05almaty1595");
}

TEST(FilterParserTest, PeriodsCompareWithTheirBounds) {
  EXPECT_EQ(P("created = 2005"),
            "AND(created>=2005-01-01T00:00:00, created<2006-01-01T00:00:00)");
  EXPECT_EQ(P("released > 2005-02"), "released>=2005-03-01T00:00:00");
  EXPECT_EQ(P("created <= \"2005-12-31\""), "created<2006-01-01T00:00:00");
  EXPECT_EQ(P("created < \"2006-01-01T00:00:00Z\""),
            "created<2006-01-01T00:00:00");
  EXPECT_EQ(P("created != 2005-03-04"),
            "NOT(AND(created>=2005-03-04T00:00:00, "
            "created<2005-03-05T00:00:00))");
}

TEST(FilterParserTest, EscapesInStrings) {
  EXPECT_EQ(P(R"(origin = "A \"B\" \\ C")"), R"(origin=A "B" \ C)");
}

TEST(FilterParserTest, ErrorsGivePosition) {
  EXPECT_THAT(P(R"(origin = "X" AND colour = "red")"),
              HasSubstr("position 18: unknown field \"colour\""));
  EXPECT_THAT(P(R"(origin = "unterminated)"),
              HasSubstr("position 10: unterminated"));
  EXPECT_THAT(P("tags > PGOV"), HasSubstr("position 6"));
  EXPECT_THAT(P(R"(created >= "yesterday")"), HasSubstr("YYYY-MM-DD"));
  EXPECT_THAT(P("created = 2005-02-30"), HasSubstr("YYYY-MM-DD"));
  EXPECT_THAT(P("partial = maybe"), HasSubstr("true or false"));
  EXPECT_THAT(P("(tags:A"), HasSubstr("position 1: unclosed ("));
  for (const char* bad :
       {"origin", "origin =", "tags:A AND", "= \"x\"", "tags:A AND AND tags:B",
        "tags:A OR", "()", "tags:A)", "NOT", "created : 2005"}) {
    EXPECT_EQ(ParseCableFilter(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(FilterParserTest, BoundsDepthAndSize) {
  std::string deep(40, '(');
  deep += "tags:A";
  deep += std::string(40, ')');
  EXPECT_THAT(P(deep.c_str()), HasSubstr("nested deeper"));
  std::string many = "tags:A";
  for (int i = 0; i < 250; ++i) many += " OR tags:A";
  EXPECT_THAT(P(many.c_str()), HasSubstr("more than 200"));
  std::string big(1 << 20, '(');
  EXPECT_EQ(ParseCableFilter(big).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cables::metadata
