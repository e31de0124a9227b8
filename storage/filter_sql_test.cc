#include "storage/filter_sql.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using F = FilterCondition::Field;
using O = FilterCondition::Op;

FilterExpr Cond(F field, O op, std::string text) {
  FilterExpr e;
  e.kind = FilterExpr::Kind::kCondition;
  e.condition.field = field;
  e.condition.op = op;
  e.condition.text = std::move(text);
  return e;
}

TEST(FilterSqlTest, EmptyFilterIsTrue) {
  auto f = CompileCableFilter(CableFilter{}, 1);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->where, "true");
  EXPECT_TRUE(f->params.empty());
  EXPECT_TRUE(IsUnfiltered(CableFilter{}));
}

TEST(FilterSqlTest, ValuesOnlyTravelAsParameters) {
  CableFilter filter;
  filter.origin = "x'; DROP TABLE cables; --";
  filter.expr = Cond(F::kOrigin, O::kHas, "'); DELETE FROM cables; --");
  auto f = CompileCableFilter(filter, 5);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(f->where, Not(HasSubstr("DROP")));
  EXPECT_THAT(f->where, Not(HasSubstr("DELETE")));
  EXPECT_EQ(f->where, "(c.origin = $5 AND (c.origin ILIKE $6))");
  EXPECT_THAT(f->params, ElementsAre("x'; DROP TABLE cables; --",
                                     "%'); DELETE FROM cables; --%"));
  EXPECT_FALSE(IsUnfiltered(filter));
}

TEST(FilterSqlTest, LikeMetacharactersAreEscaped) {
  CableFilter filter;
  filter.expr = Cond(F::kId, O::kPrefix, "05a_b%\\");
  auto f = CompileCableFilter(filter, 1);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(f->params, ElementsAre("05A\\_B\\%\\\\%"));
}

TEST(FilterSqlTest, ClassificationHasMatchesLongerMarkings) {
  CableFilter filter;
  filter.expr = Cond(F::kClassification, O::kHas, "secret");
  auto f = CompileCableFilter(filter, 1);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->where,
            "((c.classification = $1 OR c.classification LIKE $2))");
  EXPECT_THAT(f->params, ElementsAre("SECRET", "SECRET//%"));
}

TEST(FilterSqlTest, RejectsMeaninglessConditions) {
  CableFilter filter;
  filter.expr = Cond(F::kOrigin, O::kLess, "x");
  EXPECT_EQ(CompileCableFilter(filter, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  filter.expr = Cond(F::kCreated, O::kPrefix, "2005");
  EXPECT_EQ(CompileCableFilter(filter, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  filter.expr = FilterExpr{};
  filter.expr.kind = FilterExpr::Kind::kOr;
  EXPECT_EQ(CompileCableFilter(filter, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FilterSqlTest, KeysDistinguishFilters) {
  CableFilter a, b;
  a.expr = Cond(F::kTag, O::kHas, "PGOV");
  b.expr = Cond(F::kTag, O::kHas, "PREL");
  EXPECT_NE(CableFilterKey(a), CableFilterKey(b));
  b.expr = Cond(F::kTag, O::kHas, "PGOV");
  EXPECT_EQ(CableFilterKey(a), CableFilterKey(b));
  b.origin = "PGOV";
  EXPECT_NE(CableFilterKey(a), CableFilterKey(b));
}

}  // namespace
}  // namespace cables::storage
