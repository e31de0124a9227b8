// ServerRunner: the wiring every service binary shares -- listening address
// and transport security, message size, metadata size, stream and
// keepalive limits, gRPC health checking (grpc.health.v1), server
// reflection, the observability interceptor (metrics + access log) and a
// graceful stop on SIGTERM/SIGINT (health goes NOT_SERVING, `drain_delay`
// passes, new calls are refused, in-flight calls get `drain_grace` to
// finish, then the process returns from Run with OK).
//
// Health: "" (overall) is SERVING while `probe` (the database) answers and
// the server is not draining; "liveness" is SERVING whenever the process
// runs (Kubernetes liveness probes).
//
// Usage (main): prefer RunService (service_main.h), which does all this.
//   cables::ServerRunner::BlockStopSignals();   // before any thread starts
//   ServerRunner runner(options);
//   runner.AddService(&service);
//   return runner.Run(probe).ok() ? 0 : 1;
//
// Not thread-safe: configure and Run from one thread.
#ifndef CABLES_SERVICES_COMMON_SERVER_RUNNER_H_
#define CABLES_SERVICES_COMMON_SERVER_RUNNER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "services/common/metrics.h"

namespace cables {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  // nullptr: plaintext (see tls_credentials.h).
  std::shared_ptr<grpc::ServerCredentials> credentials;
  int max_receive_message_bytes = 64 << 20;
  int max_concurrent_streams = 256;
  // Largest request metadata (headers) accepted: bounds memory per call.
  int max_metadata_bytes = 16 << 10;
  // Server keepalive pings on idle connections (every keepalive_time, the
  // connection closes when one is unanswered for keepalive_timeout).
  absl::Duration keepalive_time = absl::Minutes(1);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // Clients may ping at most this often (faster pings earn GOAWAY).
  absl::Duration min_client_ping_interval = absl::Seconds(10);
  // Connections are closed (GOAWAY) after this age -- so clients rebalance
  // across replicas -- with `max_connection_age_grace` for calls in flight
  // (long ImportCables streams resume from their last acknowledgement).
  absl::Duration max_connection_age = absl::Minutes(30);
  absl::Duration max_connection_age_grace = absl::Minutes(5);
  // Idle connections close after this.
  absl::Duration max_connection_idle = absl::Minutes(10);
  absl::Duration drain_delay = absl::ZeroDuration();
  absl::Duration drain_grace = absl::Seconds(10);
  // How often the health probe runs.
  absl::Duration probe_interval = absl::Seconds(2);
  // Metrics and access logs for every call (nullptr: none).
  MetricsRegistry* metrics = nullptr;
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
  // database are reachable; health follows it. `on_started` (may be empty)
  // runs once the server listens, with the bound port. Returns
  // UnavailableError when the address cannot be bound.
  absl::Status Run(std::function<bool()> probe,
                   std::function<void(int port)> on_started = nullptr);

  // Makes Run stop as if a signal arrived (tests). Thread-safe.
  static void RequestStop();

  // True from the moment Run stops accepting calls (after drain_delay)
  // until the next Run: long streams should wind down. Thread-safe.
  static bool ShuttingDown();

 private:
  ServerOptions options_;
  std::vector<grpc::Service*> services_;
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_SERVER_RUNNER_H_
