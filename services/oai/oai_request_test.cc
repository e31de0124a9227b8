#include "services/oai/oai_request.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace cables::oai {
namespace {

using Args = std::vector<std::pair<std::string, std::string>>;

std::optional<OaiErrorCode> ErrorOf(const Args& args) {
  const ParsedOaiRequest parsed = ParseOaiRequest(args);
  if (!parsed.error) return std::nullopt;
  return parsed.error->code;
}

TEST(OaiRequestTest, AcceptsEachVerbWithItsArguments) {
  EXPECT_EQ(ErrorOf({{"verb", "Identify"}}), std::nullopt);
  EXPECT_EQ(ErrorOf({{"verb", "ListMetadataFormats"}}), std::nullopt);
  EXPECT_EQ(ErrorOf({{"verb", "ListMetadataFormats"}, {"identifier", "x"}}),
            std::nullopt);
  EXPECT_EQ(ErrorOf({{"verb", "ListSets"}, {"resumptionToken", "t"}}),
            std::nullopt);
  EXPECT_EQ(ErrorOf({{"verb", "GetRecord"},
                     {"identifier", "x"},
                     {"metadataPrefix", "oai_dc"}}),
            std::nullopt);
  const ParsedOaiRequest parsed = ParseOaiRequest({{"metadataPrefix", "oai_dc"},
                                                   {"verb", "ListRecords"},
                                                   {"from", "2005-01-01"},
                                                   {"set", "tag:PGOV"}});
  ASSERT_FALSE(parsed.error.has_value());
  EXPECT_EQ(parsed.request.verb, OaiVerb::kListRecords);
  EXPECT_EQ(parsed.request.Get("set"), "tag:PGOV");
  EXPECT_EQ(parsed.request.Get("until"), "");
  EXPECT_FALSE(parsed.request.Has("until"));
}

TEST(OaiRequestTest, BadVerb) {
  EXPECT_EQ(ErrorOf({}), OaiErrorCode::kBadVerb);
  EXPECT_EQ(ErrorOf({{"verb", "ListThings"}}), OaiErrorCode::kBadVerb);
  EXPECT_EQ(ErrorOf({{"verb", "identify"}}), OaiErrorCode::kBadVerb);
  EXPECT_EQ(ErrorOf({{"verb", "Identify"}, {"verb", "Identify"}}),
            OaiErrorCode::kBadVerb);
}

TEST(OaiRequestTest, BadArgument) {
  // Unknown, repeated, missing, not exclusive.
  EXPECT_EQ(ErrorOf({{"verb", "Identify"}, {"x", "1"}}),
            OaiErrorCode::kBadArgument);
  EXPECT_EQ(ErrorOf({{"verb", "ListRecords"},
                     {"metadataPrefix", "oai_dc"},
                     {"metadataPrefix", "oai_dc"}}),
            OaiErrorCode::kBadArgument);
  EXPECT_EQ(ErrorOf({{"verb", "ListIdentifiers"}}), OaiErrorCode::kBadArgument);
  EXPECT_EQ(ErrorOf({{"verb", "GetRecord"}, {"identifier", "x"}}),
            OaiErrorCode::kBadArgument);
  EXPECT_EQ(ErrorOf({{"verb", "ListRecords"},
                     {"resumptionToken", "t"},
                     {"metadataPrefix", "oai_dc"}}),
            OaiErrorCode::kBadArgument);
  EXPECT_EQ(ErrorOf({{"verb", "GetRecord"},
                     {"identifier", "x"},
                     {"metadataPrefix", "oai_dc"},
                     {"resumptionToken", "t"}}),
            OaiErrorCode::kBadArgument);
  EXPECT_EQ(ErrorOf({{"verb", "ListSets"}, {"set", "a"}}),
            OaiErrorCode::kBadArgument);
}

TEST(OaiRequestTest, ParsesDatestamps) {
  auto day = ParseOaiDatestamp("2005-04-05");
  ASSERT_TRUE(day.has_value());
  EXPECT_TRUE(day->day);
  EXPECT_EQ(FormatOaiDatestamp(day->time), "2005-04-05T00:00:00Z");
  auto second = ParseOaiDatestamp("2005-04-05T10:11:12Z");
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(second->day);
  EXPECT_EQ(FormatOaiDatestamp(second->time), "2005-04-05T10:11:12Z");
  for (const char* bad :
       {"", "2005", "2005-4-5", "2005-04-05T10:11Z", "2005-04-05T10:11:12",
        "2005-04-05 10:11:12Z", "2005-02-30", "2005-04-05T25:00:00Z",
        "2005-04-05T10:11:12+01:00", "2005-04-05T10:11:12.5Z", "x005-04-05"}) {
    EXPECT_FALSE(ParseOaiDatestamp(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace cables::oai
