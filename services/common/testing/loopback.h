// Loopback TCP helpers for tests of servers (test-only, thread-safe).
#ifndef CABLES_SERVICES_COMMON_TESTING_LOOPBACK_H_
#define CABLES_SERVICES_COMMON_TESTING_LOOPBACK_H_

#include "absl/time/time.h"

namespace cables::testing {

// A blocking socket connected to 127.0.0.1:port whose reads time out after
// `receive_timeout`; -1 when the connection is refused. The caller closes
// it.
int ConnectLoopback(int port,
                    absl::Duration receive_timeout = absl::Seconds(5));

// A port that is free on 127.0.0.1 at the time of the call.
int FreeLoopbackPort();

}  // namespace cables::testing

#endif  // CABLES_SERVICES_COMMON_TESTING_LOOPBACK_H_
