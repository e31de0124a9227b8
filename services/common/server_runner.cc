#include "services/common/server_runner.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "services/common/malformed_request_interceptor.h"
#include "services/common/observability_interceptor.h"
#include "services/common/structured_log.h"

namespace cables {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

int Millis(absl::Duration d) {
  return static_cast<int>(
      std::min<int64_t>(absl::ToInt64Milliseconds(d), INT32_MAX));
}

constexpr char kLiveness[] = "liveness";

}  // namespace

ServerRunner::ServerRunner(ServerOptions options)
    : options_(std::move(options)) {}

void ServerRunner::BlockStopSignals() {
  const sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void ServerRunner::RequestStop() { kill(getpid(), SIGTERM); }

namespace {
std::atomic<bool> shutting_down{false};
}  // namespace

bool ServerRunner::ShuttingDown() {
  return shutting_down.load(std::memory_order_acquire);
}

void ServerRunner::AddService(grpc::Service* service) {
  services_.push_back(service);
}

absl::Status ServerRunner::Run(std::function<bool()> probe,
                               std::function<void(int port)> on_started) {
  shutting_down.store(false, std::memory_order_release);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options_.listen,
                           options_.credentials != nullptr
                               ? options_.credentials
                               : grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options_.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE,
                             options_.max_metadata_bytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             Millis(options_.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             Millis(options_.keepalive_timeout));
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
      Millis(options_.min_client_ping_interval));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             Millis(options_.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             Millis(options_.max_connection_age_grace));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             Millis(options_.max_connection_idle));
  {
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    // First, so the access log and metrics see the rewritten status.
    interceptors.push_back(
        std::make_unique<MalformedRequestInterceptorFactory>());
    if (options_.metrics != nullptr) {
      interceptors.push_back(
          std::make_unique<ObservabilityInterceptorFactory>(options_.metrics));
    }
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
  }
  for (grpc::Service* service : services_) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError("cannot listen on " + options_.listen);
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(kLiveness, true);
  Log(LogLevel::kInfo, "listening",
      {{"address", options_.listen},
       {"port", port},
       {"tls", options_.credentials != nullptr}});
  if (on_started) on_started(port);

  std::atomic<bool> stopping{false};
  absl::Notification stop_probe;
  std::thread prober([&] {
    bool last = true;
    for (;;) {
      const bool serving = !stopping.load() && (!probe || probe());
      if (serving != last || !serving) {
        health->SetServingStatus(serving);          // every service name...
        health->SetServingStatus(kLiveness, true);  // ...but liveness
      }
      if (serving != last && !stopping.load()) {
        Log(serving ? LogLevel::kInfo : LogLevel::kWarning,
            serving ? "serving" : "not serving: database unreachable");
      }
      last = serving;
      if (stop_probe.WaitForNotificationWithTimeout(options_.probe_interval)) {
        return;
      }
    }
  });

  const sigset_t set = StopSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  Log(LogLevel::kInfo, "draining",
      {{"signal", signal_number},
       {"drain_delay_ms", absl::ToInt64Milliseconds(options_.drain_delay)},
       {"drain_grace_ms", absl::ToInt64Milliseconds(options_.drain_grace)}});
  stopping = true;
  stop_probe.Notify();
  prober.join();
  health->SetServingStatus(false);
  health->SetServingStatus(kLiveness, true);
  absl::SleepFor(options_.drain_delay);
  const auto deadline = std::chrono::system_clock::now() +
                        std::chrono::milliseconds(
                            absl::ToInt64Milliseconds(options_.drain_grace));
  shutting_down.store(true, std::memory_order_release);
  server->Shutdown(deadline);
  server->Wait();
  Log(LogLevel::kInfo, "stopped");
  return absl::OkStatus();
}

}  // namespace cables
