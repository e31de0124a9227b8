#include "services/oai/resumption_token.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace cables::oai {
namespace {

TEST(ResumptionTokenTest, RoundTrips) {
  ResumptionToken t;
  t.verb = "ListRecords";
  t.metadata_prefix = "oai_dc";
  t.from = "2005-01-01";
  t.until = "2010-12-31T23:59:59Z";
  t.set = "origin:embassy-almaty";
  t.after_micros = 1234567890123456;
  t.after_position = 42;
  t.complete_list_size = 1295;
  t.cursor = 100;
  const std::string encoded = EncodeResumptionToken(t);
  // Safe in a URL and in XML without escaping.
  EXPECT_EQ(encoded.find_first_of("+/&<>\"'= "), std::string::npos);
  auto back = DecodeResumptionToken(encoded);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->verb, t.verb);
  EXPECT_EQ(back->metadata_prefix, t.metadata_prefix);
  EXPECT_EQ(back->from, t.from);
  EXPECT_EQ(back->until, t.until);
  EXPECT_EQ(back->set, t.set);
  EXPECT_EQ(back->after_micros, t.after_micros);
  EXPECT_EQ(back->after_position, t.after_position);
  EXPECT_EQ(back->complete_list_size, t.complete_list_size);
  EXPECT_EQ(back->cursor, t.cursor);
  EXPECT_EQ(EncodeResumptionToken(*back), encoded);
}

TEST(ResumptionTokenTest, RejectsAlteredOrMadeUpTokens) {
  ResumptionToken t;
  t.verb = "ListIdentifiers";
  t.cursor = 5;
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(EncodeResumptionToken(t), &raw));
  std::string edited = raw;
  edited.replace(edited.find("|5|"), 3, "|6|");
  std::string reencoded;
  absl::WebSafeBase64Escape(edited, &reencoded);
  EXPECT_FALSE(DecodeResumptionToken(reencoded).ok());
  for (const char* bad : {"", "abc", "!!!!", "b2FpMXx8fHx8fDB8MHwwfDA"}) {
    EXPECT_FALSE(DecodeResumptionToken(bad).ok()) << bad;
  }
  EXPECT_FALSE(DecodeResumptionToken(std::string(5000, 'A')).ok());
}

}  // namespace
}  // namespace cables::oai
