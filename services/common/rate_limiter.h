// RateLimiter: one token bucket per client key (a token's name, else the
// client's IP address). A bucket holds at most `burst` tokens and refills
// at `qps` per second; each call takes one token.
//
// Memory is bounded: when `max_keys` buckets exist, buckets that have
// refilled completely (idle clients) are dropped (at most one sweep a
// second), since a fresh bucket is identical to them.
//
// Thread-safe.
#ifndef CABLES_SERVICES_COMMON_RATE_LIMITER_H_
#define CABLES_SERVICES_COMMON_RATE_LIMITER_H_

#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cables {

class RateLimiter final {
 public:
  // REQUIRES: qps > 0, burst >= 1.
  RateLimiter(double qps, double burst, size_t max_keys = 100000);

  // Takes a token from `key`'s bucket at time `now`. ResourceExhaustedError
  // with ErrorInfo RATE_LIMITED and RetryInfo (the time until a token is
  // available) when the bucket is empty.
  absl::Status Take(absl::string_view key, absl::Time now);
  absl::Status Take(absl::string_view key);

  size_t keys() const;

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  void EvictFullLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const double qps_;
  const double burst_;
  const size_t max_keys_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sweep_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_RATE_LIMITER_H_
