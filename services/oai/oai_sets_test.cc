#include "services/oai/oai_sets.h"

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::oai {
namespace {

using ::testing::ElementsAre;

TEST(OaiSetsTest, SpecsAreValidSetSpecs) {
  EXPECT_EQ(OriginSetSpec("Embassy Almaty"), "origin:embassy-almaty");
  EXPECT_EQ(OriginSetSpec("  Consulate  Sao Paulo (BR) "),
            "origin:consulate-sao-paulo-br");
  EXPECT_EQ(OriginSetSpec("\xC3\x89mbassy"), "origin:mbassy");
  EXPECT_EQ(OriginSetSpec("***"), "origin:_");
  EXPECT_EQ(TagSetSpec("PGOV"), "tag:PGOV");
  EXPECT_EQ(TagSetSpec("ROOD, JOHN"), "tag:ROOD_JOHN");
  EXPECT_EQ(TagSetSpec("OVIP (RICE, CONDOLEEZZA)"),
            "tag:OVIP_(RICE_CONDOLEEZZA)");
  EXPECT_EQ(YearSetSpec(2005), "year:2005");
  for (const auto& s : {OriginSetSpec("a b"), TagSetSpec("x: y/z"),
                        YearSetSpec(1999), std::string("origin")}) {
    EXPECT_TRUE(IsValidSetSpec(s)) << s;
  }
  for (const char* bad : {"", ":", "a:", ":a", "a::b", "a b", "tag:A/B"}) {
    EXPECT_FALSE(IsValidSetSpec(bad)) << bad;
  }
}

TEST(OaiSetsTest, ListsAndResolvesSets) {
  storage::RecordSetValues values;
  values.origins = {"Embassy Almaty", "Embassy  Almaty", "Embassy Paris"};
  values.tags = {"KZ", "PGOV"};
  values.years = {2005, 2006};
  const std::vector<OaiSet> sets = ListOaiSets(values);
  std::vector<std::string> specs;
  for (const auto& s : sets) specs.push_back(s.spec);
  EXPECT_THAT(specs,
              ElementsAre("origin", "tag", "year", "origin:embassy-almaty",
                          "origin:embassy-paris", "tag:KZ", "tag:PGOV",
                          "year:2005", "year:2006"));
  EXPECT_EQ(sets[3].name, "Origin: Embassy Almaty; Embassy  Almaty");

  auto almaty = ResolveSetSpec("origin:embassy-almaty", values);
  ASSERT_TRUE(almaty.has_value());
  EXPECT_EQ(almaty->kind, storage::RecordSet::Kind::kOrigins);
  EXPECT_THAT(almaty->values, ElementsAre("Embassy Almaty", "Embassy  Almaty"));
  auto year = ResolveSetSpec("year:2005", values);
  ASSERT_TRUE(year.has_value());
  EXPECT_EQ(year->year, 2005);
  EXPECT_EQ(ResolveSetSpec("tag", values)->kind,
            storage::RecordSet::Kind::kAnyTag);
  EXPECT_FALSE(ResolveSetSpec("tag:XX", values).has_value());
  EXPECT_FALSE(ResolveSetSpec("year:05", values).has_value());
  EXPECT_FALSE(ResolveSetSpec("colour:red", values).has_value());
}

TEST(OaiSetsTest, RecordSpecs) {
  storage::RecordHeader record;
  record.origin = "Embassy Almaty";
  record.tags = {"PGOV", "KZ", "PGOV"};
  record.created = absl::FromCivil(absl::CivilSecond(2005, 12, 31, 23, 0, 0),
                                   absl::UTCTimeZone());
  EXPECT_THAT(
      RecordSetSpecs(record),
      ElementsAre("origin:embassy-almaty", "tag:PGOV", "tag:KZ", "year:2005"));
  EXPECT_TRUE(RecordSetSpecs(storage::RecordHeader()).empty());
}

}  // namespace
}  // namespace cables::oai
