#include "storage/pqxx_status.h"

#include <new>
#include <stdexcept>

#include "gtest/gtest.h"
#include "pqxx/pqxx"

namespace cables::storage {
namespace {

using absl::StatusCode;

template <typename E>
absl::Status StatusOf(const E& e) {
  return GuardPqxx("ctx", [&]() -> absl::Status { throw e; });
}

TEST(PqxxStatusTest, MapsExceptionTypes) {
  EXPECT_EQ(StatusOf(pqxx::broken_connection("gone")).code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(StatusOf(pqxx::serialization_failure("s")).code(),
            StatusCode::kAborted);
  EXPECT_EQ(StatusOf(pqxx::deadlock_detected("d")).code(),
            StatusCode::kAborted);
  EXPECT_EQ(StatusOf(pqxx::in_doubt_error("?")).code(), StatusCode::kUnknown);
  EXPECT_EQ(StatusOf(pqxx::statement_completion_unknown("?")).code(),
            StatusCode::kUnknown);
  EXPECT_EQ(StatusOf(pqxx::conversion_error("c")).code(),
            StatusCode::kInternal);
  EXPECT_EQ(StatusOf(std::bad_alloc()).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(StatusOf(std::runtime_error("x")).code(), StatusCode::kInternal);
  EXPECT_EQ(StatusOf(42).code(), StatusCode::kInternal);
}

TEST(PqxxStatusTest, MapsSqlStates) {
  const auto code = [](const char* state) {
    return StatusOf(pqxx::sql_error("boom\n", "SELECT 1", state)).code();
  };
  EXPECT_EQ(code("23505"), StatusCode::kAlreadyExists);
  EXPECT_EQ(code("40001"), StatusCode::kAborted);
  EXPECT_EQ(code("40P01"), StatusCode::kAborted);
  EXPECT_EQ(code("55P03"), StatusCode::kAborted);
  EXPECT_EQ(code("57014"), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(code("22021"), StatusCode::kInvalidArgument);
  EXPECT_EQ(code("23502"), StatusCode::kInvalidArgument);
  EXPECT_EQ(code("08006"), StatusCode::kUnavailable);
  EXPECT_EQ(code("57P01"), StatusCode::kUnavailable);
  EXPECT_EQ(code("42P01"), StatusCode::kFailedPrecondition);
  EXPECT_EQ(code("42883"), StatusCode::kFailedPrecondition);
  EXPECT_EQ(code("25006"), StatusCode::kFailedPrecondition);
  EXPECT_EQ(code("53200"), StatusCode::kResourceExhausted);
  EXPECT_EQ(code("42601"), StatusCode::kInternal);
  EXPECT_EQ(StatusOf(pqxx::unique_violation("dup", "", "23505")).code(),
            StatusCode::kAlreadyExists);
}

TEST(PqxxStatusTest, MessageNamesContextAndSqlState) {
  const absl::Status s =
      StatusOf(pqxx::sql_error("ERROR:  duplicate key\n", "q", "23505"));
  EXPECT_EQ(s.message(), "ctx: ERROR:  duplicate key [SQLSTATE 23505]");
}

TEST(PqxxStatusTest, PassesValuesThrough) {
  absl::StatusOr<int> v =
      GuardPqxx("ctx", [] { return absl::StatusOr<int>(7); });
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 7);
  absl::StatusOr<int> e = GuardPqxx("ctx", []() -> absl::StatusOr<int> {
    throw pqxx::broken_connection("x");
  });
  EXPECT_EQ(e.status().code(), StatusCode::kUnavailable);
}

TEST(PqxxStatusTest, RetryableCodes) {
  EXPECT_TRUE(IsRetryable(absl::AbortedError("")));
  EXPECT_TRUE(IsRetryable(absl::UnavailableError("")));
  EXPECT_FALSE(IsRetryable(absl::UnknownError("")));
  EXPECT_FALSE(IsRetryable(absl::InvalidArgumentError("")));
}

}  // namespace
}  // namespace cables::storage
