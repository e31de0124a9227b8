#include "services/common/token_authenticator.h"

#include "gtest/gtest.h"
#include "services/common/error_details.h"

namespace cables {
namespace {

// printf %s reader | sha256sum; printf %s writer | sha256sum
constexpr char kReaderHash[] =
    "3d0941964aa3ebdcb00ccef58b1bb399f9f898465e9886d5aec7f31090a0fb30";
constexpr char kWriterHash[] =
    "b93006774cbdd4b299389a03ac3d88c3a76b460d538795bc12718011a909fba5";

std::string ReasonOf(const absl::Status& status) {
  cables::v1::ErrorInfo info;
  return GetErrorInfo(status, &info) ? info.reason() : "";
}

TEST(TokenAuthenticatorTest, ParsesAndAuthenticates) {
  auto auth = TokenAuthenticator::Parse(
      std::string("# comment\n\n") + kReaderHash + "  read  dashboard\n" +
      kWriterHash + "\twrite,read\tnightly import job  # trailing comment\n");
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->size(), 2u);

  auto reader = auth->Authenticate("Bearer reader");
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(reader->name, "dashboard");
  EXPECT_TRUE(TokenAuthenticator::Authorize(*reader, Scope::kRead).ok());
  const absl::Status denied =
      TokenAuthenticator::Authorize(*reader, Scope::kWrite);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(denied), "INSUFFICIENT_SCOPE");
}

TEST(TokenAuthenticatorTest, Rejections) {
  auto auth = TokenAuthenticator::Parse(std::string(kReaderHash) + " read r");
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(ReasonOf(auth->Authenticate("").status()), "MISSING_CREDENTIALS");
  EXPECT_EQ(ReasonOf(auth->Authenticate("Basic abc").status()),
            "MISSING_CREDENTIALS");
  EXPECT_EQ(ReasonOf(auth->Authenticate("Bearer nope").status()),
            "INVALID_TOKEN");
  EXPECT_EQ(auth->Authenticate("Bearer nope").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(auth->Authenticate("bearer   reader").ok());
  EXPECT_FALSE(auth->Authenticate("Bearer reader2").ok());
}

TEST(TokenAuthenticatorTest, BadFiles) {
  EXPECT_EQ(TokenAuthenticator::Parse("abc read x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TokenAuthenticator::Parse(std::string(kReaderHash) + " admin x")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TokenAuthenticator::Parse(std::string(kReaderHash) + " read")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  const std::string twice =
      std::string(kReaderHash) + " read a\n" + kReaderHash + " write b\n";
  const absl::Status status = TokenAuthenticator::Parse(twice).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("line 2"), absl::string_view::npos);
  EXPECT_EQ(TokenAuthenticator::FromFile("/nonexistent/tokens").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cables
