#include "services/common/rate_limiter.h"

#include "gtest/gtest.h"
#include "services/common/error_details.h"

namespace cables {
namespace {

TEST(RateLimiterTest, BurstThenRefill) {
  RateLimiter limiter(/*qps=*/2, /*burst=*/3);
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("a", t0).ok());
  const absl::Status refused = limiter.Take("a", t0);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  cables::v1::RetryInfo retry;
  ASSERT_TRUE(GetRetryInfo(refused, &retry));
  EXPECT_EQ(retry.retry_delay().seconds(), 0);
  EXPECT_EQ(retry.retry_delay().nanos(), 500000000);  // 1 token at 2/s
  cables::v1::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(refused, &info));
  EXPECT_EQ(info.reason(), "RATE_LIMITED");
  // Other keys are unaffected.
  EXPECT_TRUE(limiter.Take("b", t0).ok());
  // Half a second later one token is back.
  EXPECT_TRUE(limiter.Take("a", t0 + absl::Milliseconds(500)).ok());
  EXPECT_FALSE(limiter.Take("a", t0 + absl::Milliseconds(500)).ok());
  // Refill never exceeds the burst.
  const absl::Time later = t0 + absl::Hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("a", later).ok());
  EXPECT_FALSE(limiter.Take("a", later).ok());
}

TEST(RateLimiterTest, IdleKeysAreEvicted) {
  RateLimiter limiter(/*qps=*/1, /*burst=*/1, /*max_keys=*/10);
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(limiter.Take(std::to_string(i), t0).ok());
  }
  EXPECT_EQ(limiter.keys(), 10u);
  // Ten seconds on, every bucket is full again: a new key sweeps them.
  EXPECT_TRUE(limiter.Take("new", t0 + absl::Seconds(10)).ok());
  EXPECT_EQ(limiter.keys(), 1u);
}

}  // namespace
}  // namespace cables
