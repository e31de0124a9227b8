#include "storage/pg_encoding.h"

#include "gtest/gtest.h"

namespace cables::storage {
namespace {

TEST(PgEncodingTest, TextArrayLiteralQuotesAndEscapes) {
  EXPECT_EQ(TextArrayLiteral({}), "{}");
  EXPECT_EQ(TextArrayLiteral({"PGOV", "ROOD, JOHN", "a\"b\\c", "NULL", ""}),
            R"({"PGOV","ROOD, JOHN","a\"b\\c","NULL",""})");
}

TEST(PgEncodingTest, ParseTextArrayRoundTrips) {
  const std::vector<std::string> values = {"PGOV", "ROOD, JOHN", "a\"b\\c",
                                           "x y", ""};
  auto parsed = ParseTextArray(TextArrayLiteral(values));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, values);
  auto plain = ParseTextArray("{a,b,NULL}");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, (std::vector<std::string>{"a", "b", ""}));
  EXPECT_FALSE(ParseTextArray("a,b").ok());
  EXPECT_FALSE(ParseTextArray("{\"a}").ok());
  EXPECT_TRUE(ParseTextArray("{}")->empty());
}

TEST(PgEncodingTest, ByteaHex) {
  EXPECT_EQ(ByteaHex(std::string("\x00\x1f\xff", 3)), "\\x001fff");
  EXPECT_EQ(ByteaHex(""), "\\x");
}

TEST(PgEncodingTest, Timestamps) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(1112695871);  // 2005-04-05 10:11:11 UTC
  ts.set_nanos(123456000);
  EXPECT_EQ(TimestampLiteral(ts), "2005-04-05 10:11:11.123456+00");
  EXPECT_EQ(TimestampToMicros(ts), 1112695871123456);
  EXPECT_EQ(TimestampFromMicros(1112695871123456).SerializeAsString(),
            ts.SerializeAsString());
  const auto before_epoch = TimestampFromMicros(-1500000);
  EXPECT_EQ(before_epoch.seconds(), -2);
  EXPECT_EQ(before_epoch.nanos(), 500000000);
  EXPECT_EQ(TimestampToMicros(before_epoch), -1500000);
}

TEST(PgEncodingTest, PageCursorRoundTrips) {
  PageCursor c{1112695871123456, "05ALMATY1595", 0xdeadbeefcafef00d};
  auto back = DecodePageCursor(EncodePageCursor(c));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->sort_micros, c.sort_micros);
  EXPECT_EQ(back->canonical_id, c.canonical_id);
  EXPECT_EQ(back->query_fingerprint, c.query_fingerprint);

  PageCursor undated{std::nullopt, "id|with|bars", 1};
  back = DecodePageCursor(EncodePageCursor(undated));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->sort_micros.has_value());
  EXPECT_EQ(back->canonical_id, "id|with|bars");
}

TEST(PgEncodingTest, RejectsForeignTokens) {
  EXPECT_EQ(DecodePageCursor("not a token!").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(DecodePageCursor("").ok());
  EXPECT_FALSE(DecodePageCursor("YWJj").ok());  // "abc"
}

TEST(PgEncodingTest, WithoutNul) {
  EXPECT_EQ(WithoutNul(std::string("a\0b", 3)), "ab");
}

}  // namespace
}  // namespace cables::storage
