// ServerRunner: the wiring every service binary shares — listening address,
// message size and stream limits, gRPC health checking (grpc.health.v1),
// server reflection, and a graceful stop on SIGTERM/SIGINT (health goes
// NOT_SERVING, new calls are refused, in-flight calls get `drain_grace` to
// finish, then the process returns from Run with OK).
//
// Usage (main):
//   cables::ServerRunner::BlockStopSignals();   // before any thread starts
//   ServerRunner runner(options);
//   runner.AddService(&service);
//   return runner.Run(probe).ok() ? 0 : 1;
//
// Not thread-safe: configure and Run from one thread.
#ifndef CABLES_SERVICES_COMMON_SERVER_RUNNER_H_
#define CABLES_SERVICES_COMMON_SERVER_RUNNER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace cables {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  int max_receive_message_bytes = 64 << 20;
  int max_concurrent_streams = 256;
  absl::Duration drain_grace = absl::Seconds(10);
  // How often the health probe runs.
  absl::Duration probe_interval = absl::Seconds(2);
};

class ServerRunner final {
 public:
  explicit ServerRunner(ServerOptions options);

  // Blocks SIGTERM and SIGINT in the calling thread (and every thread it
  // starts later), so Run can wait for them with sigwait.
  static void BlockStopSignals();

  // `service` must outlive Run.
  void AddService(grpc::Service* service);

  // Starts the server and blocks until a stop signal (or RequestStop).
  // `probe` (may be empty) returns whether dependencies such as the
  // database are reachable; health follows it. Returns UnavailableError when
  // the address cannot be bound.
  absl::Status Run(std::function<bool()> probe);

  // Makes Run stop as if a signal arrived (tests). Thread-safe.
  static void RequestStop();

 private:
  ServerOptions options_;
  std::vector<grpc::Service*> services_;
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_SERVER_RUNNER_H_
