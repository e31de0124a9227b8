#include "services/common/service_config.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "gtest/gtest.h"

namespace cables {
namespace {

std::vector<std::string> Normalize(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  NormalizeFlagNames(static_cast<int>(argv.size()), argv.data());
  return args;
}

TEST(NormalizeFlagNamesTest, DashesBecomeUnderscoresInNamesOnly) {
  EXPECT_EQ(
      Normalize({"prog", "--http-listen=127.0.0.1:9090", "--pool-size", "4",
                 "-max-message-bytes=5", "--database", "postgresql://a-b/c-d",
                 "--tls-cert=/x/a-b.pem", "--", "--not-a-flag"}),
      (std::vector<std::string>{
          "prog", "--http_listen=127.0.0.1:9090", "--pool_size", "4",
          "-max_message_bytes=5", "--database", "postgresql://a-b/c-d",
          "--tls_cert=/x/a-b.pem", "--", "--not-a-flag"}));
  EXPECT_EQ(Normalize({"prog", "-", "--listen"}),
            (std::vector<std::string>{"prog", "-", "--listen"}));
}

TEST(LoadServiceConfigTest, FlagsOverEnvironment) {
  std::vector<std::string> args = {"prog", "--http-listen=127.0.0.1:0",
                                   "--database=postgresql://x/y",
                                   "--rate-limit-qps=2.5", "--drain-delay=3s"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  NormalizeFlagNames(static_cast<int>(argv.size()), argv.data());
  absl::ParseCommandLine(static_cast<int>(argv.size()), argv.data());
  setenv("CABLES_RATE_LIMIT_BURST", "7", 1);
  setenv("CABLES_TLS_CERT", "/c.pem", 1);
  setenv("CABLES_LOG_LEVEL", "debug", 1);
  auto config = LoadServiceConfig("127.0.0.1:1");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen, "127.0.0.1:1");
  EXPECT_EQ(config->http_listen, "127.0.0.1:0");
  EXPECT_EQ(config->database_url, "postgresql://x/y");
  EXPECT_DOUBLE_EQ(config->rate_limit_qps, 2.5);
  EXPECT_DOUBLE_EQ(config->rate_limit_burst, 7);
  EXPECT_EQ(config->tls_cert_file, "/c.pem");
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->drain_delay, absl::Seconds(3));

  setenv("CABLES_RATE_LIMIT_BURST", "-1", 1);
  EXPECT_EQ(LoadServiceConfig("x").status().code(),
            absl::StatusCode::kInvalidArgument);
  unsetenv("CABLES_RATE_LIMIT_BURST");
  unsetenv("CABLES_TLS_CERT");
  unsetenv("CABLES_LOG_LEVEL");
}

}  // namespace
}  // namespace cables
