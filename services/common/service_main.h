// RunService: the whole main() of a service binary, around one setup
// callback that opens the service's storage and builds its gRPC services.
//
//   int main(int argc, char** argv) {
//     return cables::RunService(
//         {"cables-ingest", "127.0.0.1:50051"}, argc, argv,
//         [](cables::ServiceEnvironment& env) -> absl::Status {
//           CABLES_ASSIGN_OR_RETURN(auto repo,
//           PgCableRepository::Open(env.PoolOptions())); auto* r =
//           env.Keep(std::move(repo));
//           ...
//           env.AddService(env.Keep(std::make_unique<IngestServiceImpl>(...)));
//           env.SetProbe([r] { return r->Ping().ok(); });
//           return absl::OkStatus();
//         });
//   }
//
// RunService: normalises flag spellings (--http-listen = --http_listen),
// parses flags, blocks stop signals, loads ServiceConfig, sets up JSON logs
// (service name, level), TLS credentials, the tokens file and rate limit
// (the process-wide CallGuard), runs `setup`, serves /metrics (gRPC
// metrics, process metrics, database pool and executor gauges) on
// --http_listen when set, and runs the gRPC server until SIGTERM/SIGINT
// (ServerRunner: health, reflection, drain). Returns the exit code: 0 after
// a clean drain, 2 for a bad configuration, 1 for any other failure
// (database unreachable at startup, address in use).
#ifndef CABLES_SERVICES_COMMON_SERVICE_MAIN_H_
#define CABLES_SERVICES_COMMON_SERVICE_MAIN_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "services/common/bounded_executor.h"
#include "services/common/http_server.h"
#include "services/common/metrics.h"
#include "services/common/service_config.h"
#include "storage/connection_pool_options.h"

namespace cables {

struct ServiceDefinition {
  std::string name;            // "cables-ingest": logs, application_name
  std::string default_listen;  // "127.0.0.1:50051"
};

// What `setup` gets: the configuration and a place to keep the objects
// that must live while the server runs. Objects are destroyed in reverse
// order of Keep/AddExecutor, after the server has stopped. Not thread-safe
// (used by setup only).
class ServiceEnvironment final {
 public:
  ServiceEnvironment(ServiceDefinition definition, ServiceConfig config,
                     MetricsRegistry* metrics);
  ~ServiceEnvironment();
  ServiceEnvironment(const ServiceEnvironment&) = delete;
  ServiceEnvironment& operator=(const ServiceEnvironment&) = delete;

  const ServiceConfig& config() const { return config_; }
  const ServiceDefinition& definition() const { return definition_; }
  MetricsRegistry& metrics() { return *metrics_; }

  // Pool options from the configuration: URL, pool size, and the service
  // name as application_name.
  storage::ConnectionPoolOptions PoolOptions() const;
  // For read-only work: the read replica's URL (read_only, application_name
  // "<service>-read") when DATABASE_READ_URL is set, else PoolOptions().
  storage::ConnectionPoolOptions ReadPoolOptions() const;
  bool has_read_replica() const { return !config_.database_read_url.empty(); }

  // Keeps `object` alive until the server has stopped; returns it.
  template <typename T>
  T* Keep(std::unique_ptr<T> object) {
    T* raw = object.get();
    // shared_ptr<void> for type erasure only; the environment is the sole
    // owner.
    kept_.push_back(std::shared_ptr<void>(std::move(object)));
    return raw;
  }

  // A BoundedExecutor of config().pool_size threads and
  // `queue_per_thread * pool_size` queued tasks, kept like Keep and exported
  // as cables_executor_* metrics.
  BoundedExecutor* AddExecutor(size_t queue_per_thread);

  // Registers a gRPC service (keep it with Keep).
  void AddService(grpc::Service* service) { services_.push_back(service); }
  // Health ("") follows `probe`, e.g. the repository's Ping.
  void SetProbe(std::function<bool()> probe) { probe_ = std::move(probe); }

  // Serves `handler` at `path` on the --http-listen port (beside /metrics);
  // ignored when no HTTP address is configured.
  void HandleHttp(std::string path, HttpServer::Handler handler) {
    http_handlers_.emplace_back(std::move(path), std::move(handler));
  }

  const std::vector<grpc::Service*>& services() const { return services_; }
  const std::function<bool()>& probe() const { return probe_; }
  const std::vector<std::pair<std::string, HttpServer::Handler>>&
  http_handlers() const {
    return http_handlers_;
  }

 private:
  const ServiceDefinition definition_;
  const ServiceConfig config_;
  MetricsRegistry* const metrics_;
  std::vector<std::shared_ptr<void>> kept_;
  // The executors the metrics callbacks report; shared with the callbacks,
  // which may outlive the environment (the registry is process-wide).
  struct Executors {
    absl::Mutex mu;
    std::vector<const BoundedExecutor*> list ABSL_GUARDED_BY(mu);
  };
  std::shared_ptr<Executors> executors_;
  std::vector<grpc::Service*> services_;
  std::function<bool()> probe_;
  std::vector<std::pair<std::string, HttpServer::Handler>> http_handlers_;
};

using ServiceSetup = std::function<absl::Status(ServiceEnvironment& env)>;

// See the file comment. Call from main, before any thread starts.
int RunService(const ServiceDefinition& definition, int argc, char** argv,
               const ServiceSetup& setup);

// Registers cables_db_pool_* gauges over every ConnectionPool in the process
// (ConnectionPool::AllStats). Idempotent.
void RegisterPoolMetrics(MetricsRegistry* registry);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_SERVICE_MAIN_H_
