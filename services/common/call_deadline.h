// The deadline of a gRPC call as an absl::Time, for the work done on its
// behalf (e.g. storage::ScopedStatementDeadline, SQL statement timeouts).
#ifndef CABLES_SERVICES_COMMON_CALL_DEADLINE_H_
#define CABLES_SERVICES_COMMON_CALL_DEADLINE_H_

#include "absl/time/time.h"
#include "grpcpp/server_context.h"

namespace cables {

// When the call must be done: the client's deadline, capped at now + `cap`.
// A call without a deadline (gRPC reports one in the far future) gets
// now + cap, absl::InfiniteFuture() when cap is infinite.
absl::Time CallDeadline(const grpc::ServerContextBase& context,
                        absl::Duration cap = absl::InfiniteDuration());

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_CALL_DEADLINE_H_
