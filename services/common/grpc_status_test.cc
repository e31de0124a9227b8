#include "services/common/grpc_status.h"

#include "gtest/gtest.h"
#include "services/common/error_details.h"

namespace cables {
namespace {

TEST(GrpcStatusTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(GrpcStatusTest, CodesMapOneToOne) {
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("x")).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ToGrpcStatus(absl::UnavailableError("x")).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ToGrpcStatus(absl::ResourceExhaustedError("x")).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(GrpcStatusTest, BadRequestSurvivesTheRoundTrip) {
  absl::Status status = InvalidField("content", "input is empty");
  AddFieldViolation(&status, "items[2].content", "no recognisable cable");
  SetErrorReason(&status, "UNPARSEABLE_CABLE");
  const grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wire.error_message(), "content: input is empty");
  EXPECT_FALSE(wire.error_details().empty());

  cables::v1::RpcStatus rpc;
  ASSERT_TRUE(rpc.ParseFromString(wire.error_details()));
  EXPECT_EQ(rpc.code(), 3);
  ASSERT_EQ(rpc.details_size(), 2);

  const absl::Status back = FromGrpcStatus(wire);
  cables::v1::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(back, &bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(1).field(), "items[2].content");
  cables::v1::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(back, &info));
  EXPECT_EQ(info.reason(), "UNPARSEABLE_CABLE");
  EXPECT_EQ(info.domain(), "cables.v1");
}

TEST(GrpcStatusTest, RetryInfoCarriesTheDelay) {
  absl::Status status = absl::ResourceExhaustedError("slow down");
  SetRetryDelay(&status, absl::Milliseconds(1500));
  cables::v1::RetryInfo info;
  ASSERT_TRUE(GetRetryInfo(FromGrpcStatus(ToGrpcStatus(status)), &info));
  EXPECT_EQ(info.retry_delay().seconds(), 1);
  EXPECT_EQ(info.retry_delay().nanos(), 500000000);
}

TEST(GrpcCodeConstantNameTest, NamesEveryCodeAsTheSpecDoes) {
  EXPECT_STREQ(GrpcCodeConstantName(grpc::StatusCode::OK), "OK");
  EXPECT_STREQ(GrpcCodeConstantName(grpc::StatusCode::INVALID_ARGUMENT),
               "INVALID_ARGUMENT");
  EXPECT_STREQ(GrpcCodeConstantName(grpc::StatusCode::UNAUTHENTICATED),
               "UNAUTHENTICATED");
  EXPECT_STREQ(GrpcCodeConstantName(static_cast<grpc::StatusCode>(99)),
               "UNKNOWN");
}

}  // namespace
}  // namespace cables
