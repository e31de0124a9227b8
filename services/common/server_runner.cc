#include "services/common/server_runner.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

namespace cables {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

ServerRunner::ServerRunner(ServerOptions options)
    : options_(std::move(options)) {}

void ServerRunner::BlockStopSignals() {
  const sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void ServerRunner::RequestStop() { kill(getpid(), SIGTERM); }

void ServerRunner::AddService(grpc::Service* service) {
  services_.push_back(service);
}

absl::Status ServerRunner::Run(std::function<bool()> probe) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options_.listen, grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options_.max_concurrent_streams);
  for (grpc::Service* service : services_) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError("cannot listen on " + options_.listen);
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  std::fprintf(stderr, "{\"level\":\"info\",\"msg\":\"listening\",\"address\":\"%s\"}\n",
               options_.listen.c_str());

  std::atomic<bool> stopping{false};
  absl::Notification stop_probe;
  std::thread prober([&] {
    bool last = true;
    for (;;) {
      const bool serving = !stopping.load() && (!probe || probe());
      if (serving != last || !serving) health->SetServingStatus(serving);
      last = serving;
      if (stop_probe.WaitForNotificationWithTimeout(options_.probe_interval)) {
        return;
      }
    }
  });

  const sigset_t set = StopSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  std::fprintf(stderr, "{\"level\":\"info\",\"msg\":\"draining\",\"signal\":%d}\n",
               signal_number);
  stopping = true;
  health->SetServingStatus(false);
  stop_probe.Notify();
  prober.join();
  const auto deadline =
      std::chrono::system_clock::now() +
      std::chrono::milliseconds(absl::ToInt64Milliseconds(options_.drain_grace));
  server->Shutdown(deadline);
  server->Wait();
  std::fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopped\"}\n");
  return absl::OkStatus();
}

}  // namespace cables
