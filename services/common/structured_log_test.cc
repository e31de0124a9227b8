#include "services/common/structured_log.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace cables {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class StructuredLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogSink([this](absl::string_view line) { lines_.emplace_back(line); });
    SetLogService("cables-test");
    SetLogLevel(LogLevel::kInfo);
  }
  void TearDown() override { SetLogSink(nullptr); }

  google::protobuf::Struct Parse(const std::string& line) {
    google::protobuf::Struct object;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &object).ok())
        << line;
    return object;
  }

  std::vector<std::string> lines_;
};

TEST_F(StructuredLogTest, OneJsonObjectPerLine) {
  Log(LogLevel::kInfo, "rpc",
      {{"grpc_method", "IngestCable"},
       {"duration_ms", 1.25},
       {"port", 50051},
       {"big", int64_t{1} << 40},
       {"tls", false},
       {"weird",
        std::string("quote\" back\\ nl\n tab\t ctl\x01 bad\xff utf8 é")}});
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_THAT(lines_[0], Not(HasSubstr("\n")));
  const auto object = Parse(lines_[0]);
  const auto& f = object.fields();
  EXPECT_EQ(f.at("msg").string_value(), "rpc");
  EXPECT_EQ(f.at("level").string_value(), "info");
  EXPECT_EQ(f.at("service").string_value(), "cables-test");
  EXPECT_EQ(f.at("grpc_method").string_value(), "IngestCable");
  EXPECT_DOUBLE_EQ(f.at("duration_ms").number_value(), 1.25);
  EXPECT_EQ(f.at("port").number_value(), 50051);
  EXPECT_EQ(f.at("big").number_value(), 1099511627776.0);
  EXPECT_FALSE(f.at("tls").bool_value());
  EXPECT_EQ(f.at("weird").string_value(),
            "quote\" back\\ nl\n tab\t ctl\x01 bad\xEF\xBF\xBD utf8 é");
  // RFC 3339 UTC with milliseconds: 2024-05-01T12:00:00.123Z
  const std::string ts = f.at("ts").string_value();
  ASSERT_EQ(ts.size(), 24u) << ts;
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts.back(), 'Z');
}

TEST_F(StructuredLogTest, Levels) {
  Log(LogLevel::kDebug, "hidden");
  SetLogLevel(LogLevel::kWarning);
  Log(LogLevel::kInfo, "hidden too");
  Log(LogLevel::kError, "shown");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(Parse(lines_[0]).fields().at("level").string_value(), "error");
  EXPECT_TRUE(SetLogLevelByName("DEBUG").ok());
  EXPECT_TRUE(LogEnabled(LogLevel::kDebug));
  EXPECT_EQ(SetLogLevelByName("loud").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RedactTest, DatabaseUrls) {
  EXPECT_EQ(RedactDatabaseUrl("postgresql://cables:s3cr%40t@db:5432/cables"),
            "postgresql://cables:***@db:5432/cables");
  EXPECT_EQ(RedactDatabaseUrl("postgresql://cables@db/cables"),
            "postgresql://cables@db/cables");
  EXPECT_EQ(
      RedactDatabaseUrl("postgresql://u:p@h/d?sslmode=require&password=x"),
      "postgresql://u:***@h/d?sslmode=require&password=***");
  EXPECT_EQ(RedactDatabaseUrl("host=h user=u password=secret dbname=d"),
            "host=h user=u password=*** dbname=d");
  EXPECT_EQ(RedactDatabaseUrl("host=h password = 'se cr\\'et' dbname=d"),
            "host=h password = *** dbname=d");
  EXPECT_EQ(RedactDatabaseUrl("postgresql:///cables?host=/tmp"),
            "postgresql:///cables?host=/tmp");
}

TEST(HashForLogTest, StableAndShort) {
  EXPECT_EQ(HashForLog("query"), HashForLog("query"));
  EXPECT_NE(HashForLog("query"), HashForLog("query2"));
  EXPECT_EQ(HashForLog("").size(), 16u);
  EXPECT_EQ(HashForLog(""), "e3b0c44298fc1c14");  // sha256("") prefix
}

}  // namespace
}  // namespace cables
