#include "services/common/rate_limiter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/error_details.h"

namespace cables {

RateLimiter::RateLimiter(double qps, double burst, size_t max_keys)
    : qps_(qps), burst_(std::max(1.0, burst)), max_keys_(max_keys) {}

absl::Status RateLimiter::Take(absl::string_view key) {
  return Take(key, absl::Now());
}

absl::Status RateLimiter::Take(absl::string_view key, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    // At most one sweep a second: under a flood of new keys the map may
    // exceed max_keys briefly rather than sweep on every call.
    if (buckets_.size() >= max_keys_ && now - last_sweep_ >= absl::Seconds(1)) {
      last_sweep_ = now;
      EvictFullLocked(now);
    }
    it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& bucket = it->second;
  if (now > bucket.updated) {
    bucket.tokens = std::min(
        burst_,
        bucket.tokens + absl::ToDoubleSeconds(now - bucket.updated) * qps_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return absl::OkStatus();
  }
  const absl::Duration wait = absl::Seconds((1 - bucket.tokens) / qps_);
  absl::Status status = absl::ResourceExhaustedError(absl::StrCat(
      "rate limit exceeded (", qps_, " calls/s, burst ", burst_, "); retry in ",
      absl::FormatDuration(absl::Ceil(wait, absl::Milliseconds(1)))));
  SetErrorReason(&status, "RATE_LIMITED");
  SetRetryDelay(&status, absl::Ceil(wait, absl::Milliseconds(1)));
  return status;
}

void RateLimiter::EvictFullLocked(absl::Time now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const Bucket& b = it->second;
    const double tokens =
        b.tokens + absl::ToDoubleSeconds(now - b.updated) * qps_;
    if (tokens >= burst_) {
      buckets_.erase(it++);
    } else {
      ++it;
    }
  }
}

size_t RateLimiter::keys() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace cables
