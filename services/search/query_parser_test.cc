#include "services/search/query_parser.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::search {
namespace {

using storage::QueryNode;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Ast(absl::string_view text) {
  auto parsed = ParseSearchQuery(text);
  if (!parsed.ok()) return "ERROR " + parsed.status().ToString();
  return parsed->root.DebugString();
}

std::string Err(absl::string_view text) {
  auto parsed = ParseSearchQuery(text);
  if (parsed.ok()) return "OK " + parsed->root.DebugString();
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(QueryParserTest, WordsAreAnded) {
  EXPECT_EQ(Ast("nuclear"), "nuclear");
  EXPECT_EQ(Ast("iran nuclear"), "(AND iran nuclear)");
  EXPECT_EQ(Ast("  iran   AND nuclear "), "(AND iran nuclear)");
  EXPECT_EQ(Ast(""), "ALL");
  EXPECT_EQ(Ast("   "), "ALL");
}

TEST(QueryParserTest, OrBindsLooserThanAnd) {
  EXPECT_EQ(Ast("uranium OR plutonium"), "(OR uranium plutonium)");
  EXPECT_EQ(Ast("a b OR c"), "(OR (AND a b) c)");
  EXPECT_EQ(Ast("(russia OR georgia) gas"), "(AND (OR russia georgia) gas)");
  // Lower-case operators are words.
  EXPECT_EQ(Ast("war or peace"), "(AND war or peace)");
}

TEST(QueryParserTest, PhrasesPrefixesAndExclusion) {
  EXPECT_EQ(Ast("\"human rights\""), "\"human rights\"");
  EXPECT_EQ(Ast("secur*"), "secur*");
  EXPECT_EQ(Ast("corruption -police"), "(AND corruption (NOT police))");
  EXPECT_EQ(Ast("corruption NOT police"), "(AND corruption (NOT police))");
  EXPECT_EQ(Ast("-\"end summary\" oil"), "(AND (NOT \"end summary\") oil)");
  EXPECT_EQ(Ast("-(a OR b) c"), "(AND (NOT (OR a b)) c)");
  // Hyphenated words stay words.
  EXPECT_EQ(Ast("al-qaida"), "al-qaida");
}

TEST(QueryParserTest, Fields) {
  EXPECT_EQ(Ast("tag:PGOV election"), "(AND tag:PGOV election)");
  EXPECT_EQ(Ast("TAG:pgov"), "tag:pgov");
  EXPECT_EQ(Ast("origin:almaty"), "origin:almaty");
  EXPECT_EQ(Ast("origin:\"new delhi\""), "origin:new delhi");
  EXPECT_EQ(Ast("classification:secret"), "classification:secret");
  EXPECT_EQ(Ast("caveat:noforn"), "caveat:noforn");
  EXPECT_EQ(Ast("signer:ordway"), "signer:ordway");
  EXPECT_EQ(Ast("subject:(visit)"), "(SUBJECT visit)");
  EXPECT_EQ(Ast("subject:(\"prime minister\" OR visit)"),
            "(SUBJECT (OR \"prime minister\" visit))");
  EXPECT_EQ(Ast("subject:iran"), "(SUBJECT iran)");
  EXPECT_EQ(Ast("tag:(PGOV OR PREL)"), "(OR tag:PGOV tag:PREL)");
  EXPECT_EQ(Ast("id:05ALMATY*"), "id:05ALMATY*");
  // Exact ids are canonicalised.
  EXPECT_EQ(Ast("id:05almaty001595"), "id:05ALMATY1595");
  EXPECT_EQ(Ast("cites:\"05 almaty 1595\""), "cites:05ALMATY1595");
  EXPECT_EQ(Ast("cites:05ALMATY* -id:05ALMATY1595"),
            "(AND cites:05ALMATY* (NOT id:05ALMATY1595))");
  EXPECT_EQ(Ast("-tag:PGOV x"), "(AND (NOT tag:PGOV) x)");
  // Unknown names are words.
  EXPECT_EQ(Ast("10:30 meeting"), "(AND 10:30 meeting)");
}

TEST(QueryParserTest, Dates) {
  EXPECT_EQ(Ast("created:2005-01..2005-06"), "created:[2005-01-01,2005-07-01)");
  EXPECT_EQ(Ast("created>=2008"), "created:[2008-01-01,)");
  EXPECT_EQ(Ast("created>2008"), "created:[2009-01-01,)");
  EXPECT_EQ(Ast("created<2008-03"), "created:[,2008-03-01)");
  EXPECT_EQ(Ast("created<=2008-03-31"), "created:[,2008-04-01)");
  EXPECT_EQ(Ast("created:2005"), "created:[2005-01-01,2006-01-01)");
  EXPECT_EQ(Ast("created:2005-02-28"), "created:[2005-02-28,2005-03-01)");
  EXPECT_EQ(Ast("created:2005.."), "created:[2005-01-01,)");
  EXPECT_EQ(Ast("created:..2005"), "created:[,2006-01-01)");
  EXPECT_EQ(Ast("created:2008..2009 oil"),
            "(AND created:[2008-01-01,2010-01-01) oil)");
}

TEST(QueryParserTest, CableIdQueriesArePinned) {
  for (const char* q : {"05ALMATY1595", "05 ALMATY 1595", "05almaty001595",
                        "2005 ALMATY 1595"}) {
    auto parsed = ParseSearchQuery(q);
    ASSERT_TRUE(parsed.ok()) << q;
    EXPECT_EQ(parsed->pinned_id, "05ALMATY1595") << q;
    EXPECT_THAT(parsed->root.DebugString(), HasSubstr("\"05 ALMATY 1595\""));
    // The cable's mentions, not its words scattered anywhere.
    EXPECT_EQ(parsed->root.kind, QueryNode::Kind::kOr) << q;
    EXPECT_THAT(parsed->root.DebugString(), Not(HasSubstr("AND"))) << q;
  }
  EXPECT_EQ(ParseSearchQuery("05 ALMATY 1595")->root.DebugString(),
            "(OR \"05 ALMATY 1595\" 05ALMATY1595 cites:05ALMATY1595)");
  EXPECT_EQ(ParseSearchQuery("iran nuclear")->pinned_id, "");
  EXPECT_EQ(ParseSearchQuery("2008 budget")->pinned_id, "");
}

TEST(QueryParserTest, ErrorsPointAtThePosition) {
  EXPECT_THAT(
      Err("(iran nuclear"),
      HasSubstr("position 14: expected ')' to close '(' at position 1"));
  EXPECT_THAT(Err("iran)"), HasSubstr("position 5: unmatched ')'"));
  EXPECT_THAT(Err("iran \"nuclear"),
              HasSubstr("position 6: unterminated phrase"));
  EXPECT_THAT(Err("OR iran"), HasSubstr("position 1: OR needs a term before"));
  EXPECT_THAT(Err("iran OR"), HasSubstr("position 6: OR needs a term after"));
  EXPECT_THAT(Err("iran - x"), HasSubstr("position 6: '-' must be followed"));
  EXPECT_THAT(Err("tag: x"), HasSubstr("position 5: 'tag:' needs a value"));
  EXPECT_THAT(Err("created:2005-13"),
              HasSubstr("position 9: month out of range"));
  EXPECT_THAT(Err("created:20x5"), HasSubstr("position 9: expected a date"));
  EXPECT_THAT(Err("created:2005-02-30"), HasSubstr("no such day"));
  EXPECT_THAT(Err("created:2006..2005"), HasSubstr("ends before it starts"));
  EXPECT_THAT(Err("subject:(tag:PGOV)"), HasSubstr("position 10:"));
  EXPECT_THAT(Err("a ()"), HasSubstr("position 3: empty parentheses"));
  EXPECT_THAT(Err("*"), HasSubstr("OK"));  // ignorable punctuation
  EXPECT_THAT(Err("NOT"), HasSubstr("position 1: NOT must be followed"));
  EXPECT_THAT(Err(std::string(5000, 'a')), HasSubstr("longer than"));
  EXPECT_THAT(Err(std::string(100, '(') + "a" + std::string(100, ')')),
              HasSubstr("nesting deeper"));
}

TEST(QueryParserTest, PunctuationOnlyWordsAreIgnored) {
  EXPECT_EQ(Ast("iran & nuclear"), "(AND iran nuclear)");
  EXPECT_EQ(Ast("& --"), "ALL");
}

TEST(QueryParserTest, BenchQueriesParse) {
  for (const char* q :
       {"nuclear", "\"human rights\"", "uranium OR plutonium",
        "corruption -police", "secur*", "tag:PGOV election",
        "origin:ankara military", "classification:secret terrorism",
        "created:2008..2009 oil", "caveat:noforn", "05ANKARA1730",
        "subject:(visit)", "tag:PTER tag:PREL", "(russia OR georgia) gas",
        "created>=2009 tag:ECON budget"}) {
    EXPECT_TRUE(ParseSearchQuery(q).ok()) << q;
  }
}

}  // namespace
}  // namespace cables::search
