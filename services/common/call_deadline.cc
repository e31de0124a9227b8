#include "services/common/call_deadline.h"

#include <algorithm>
#include <chrono>

namespace cables {

absl::Time CallDeadline(const grpc::ServerContextBase& context,
                        absl::Duration cap) {
  const absl::Time now = absl::Now();
  const auto left = context.deadline() - std::chrono::system_clock::now();
  // gRPC reports "no deadline" as a time point centuries away.
  const absl::Duration remaining = left > std::chrono::hours(24 * 365)
                                       ? absl::InfiniteDuration()
                                       : absl::FromChrono(left);
  const absl::Duration budget = std::min(remaining, cap);
  return budget == absl::InfiniteDuration() ? absl::InfiniteFuture()
                                            : now + budget;
}

}  // namespace cables
