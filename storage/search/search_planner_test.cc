#include "storage/search/search_planner.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Kind = QueryNode::Kind;

QueryNode Term(std::string text, bool prefix = false) {
  QueryNode n;
  n.kind = Kind::kTerm;
  n.text = std::move(text);
  n.prefix = prefix;
  return n;
}
QueryNode Phrase(std::string text) {
  QueryNode n;
  n.kind = Kind::kPhrase;
  n.text = std::move(text);
  return n;
}
QueryNode Field(QueryField f, std::string text, bool prefix = false) {
  QueryNode n;
  n.kind = Kind::kField;
  n.field = f;
  n.text = std::move(text);
  n.prefix = prefix;
  return n;
}
QueryNode Node(Kind kind, std::vector<QueryNode> children) {
  QueryNode n;
  n.kind = kind;
  n.children = std::move(children);
  return n;
}

TEST(SearchPlannerTest, TextFoldsIntoOneTsquery) {
  auto plan = PlanQuery(
      Node(Kind::kAnd, {Term("iran"), Node(Kind::kNot, {Term("police")}),
                        Phrase("human rights"), Term("secur", true)}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->where,
            "c.search @@ (plainto_tsquery('english', $1) && (!! "
            "plainto_tsquery('english', $2)) && phraseto_tsquery('english', "
            "$3) && to_tsquery('english', $4))");
  EXPECT_THAT(plan->params,
              ElementsAre("iran", "police", "human rights", "secur:*"));
  // Ranking ignores the negation.
  EXPECT_THAT(plan->rank_tsquery, Not(HasSubstr("!!")));
  EXPECT_THAT(plan->highlight_tsquery, HasSubstr(" || "));
}

TEST(SearchPlannerTest, UserTextNeverReachesSql) {
  const std::string evil = "x'); DROP TABLE cables; --";
  for (const QueryNode& node :
       {Term(evil), Phrase(evil), Field(QueryField::kTag, evil),
        Field(QueryField::kOrigin, evil), Field(QueryField::kSigner, evil),
        Field(QueryField::kClassification, evil), Field(QueryField::kId, evil),
        Field(QueryField::kCaveat, evil, true)}) {
    auto plan = PlanQuery(node);
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_THAT(plan->where, Not(HasSubstr("DROP")));
    EXPECT_THAT(plan->where, Not(HasSubstr("x'")));
    ASSERT_FALSE(plan->params.empty());
  }
  // A prefix keeps only letters and digits (it enters tsquery syntax).
  auto plan = PlanQuery(Term("se'c|u&r", true));
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(plan->params, ElementsAre("secur:*"));
}

TEST(SearchPlannerTest, FieldsAndDates) {
  QueryNode created;
  created.kind = Kind::kCreated;
  created.from =
      absl::FromCivil(absl::CivilDay(2005, 1, 1), absl::UTCTimeZone());
  auto plan = PlanQuery(
      Node(Kind::kAnd, {Field(QueryField::kTag, "pgov"), Term("election"),
                        created, Field(QueryField::kId, "05ALMATY", true)}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->where,
            "c.search @@ plainto_tsquery('english', $1) AND (c.tags @> "
            "ARRAY[$2]::text[]) AND (c.created >= $3::timestamptz) AND "
            "(c.canonical_id >= $4 AND c.canonical_id < $5)");
  EXPECT_THAT(plan->params,
              ElementsAre("election", "PGOV", "2005-01-01 00:00:00.000000+00",
                          "05ALMATY", "05ALMATZ"));
  EXPECT_EQ(plan->rank_tsquery, "plainto_tsquery('english', $1)");
}

TEST(SearchPlannerTest, SubjectScope) {
  auto plan = PlanQuery(Node(Kind::kSubject, {Term("visit")}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->where, HasSubstr("to_tsvector('english', c.subject) @@"));
  EXPECT_THAT(plan->where, HasSubstr("c.search @@"));
  EXPECT_FALSE(
      PlanQuery(Node(Kind::kSubject, {Field(QueryField::kTag, "X")})).ok());
}

TEST(SearchPlannerTest, EmptyQueryMatchesAll) {
  auto plan = PlanQuery(QueryNode{});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->where, "TRUE");
  EXPECT_EQ(plan->rank_tsquery, "");
  EXPECT_TRUE(plan->params.empty());
}

TEST(SearchPlannerTest, FingerprintDependsOnValues) {
  auto a = PlanQuery(Term("iran"));
  auto b = PlanQuery(Term("iraq"));
  auto a2 = PlanQuery(Term("iran"));
  ASSERT_TRUE(a.ok() && b.ok() && a2.ok());
  EXPECT_NE(a->fingerprint, b->fingerprint);
  EXPECT_EQ(a->fingerprint, a2->fingerprint);
}

}  // namespace
}  // namespace cables::storage
