#include "services/common/service_main.h"

#include <optional>

#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/call_guard.h"
#include "services/common/http_server.h"
#include "services/common/process_metrics.h"
#include "services/common/server_runner.h"
#include "services/common/structured_log.h"
#include "services/common/tls_credentials.h"
#include "services/common/token_authenticator.h"
#include "storage/connection_pool.h"

namespace cables {
namespace {

using Samples = std::vector<MetricsRegistry::Sample>;

constexpr int kExitFailure = 1;
constexpr int kExitBadConfig = 2;

int Fail(absl::string_view what, const absl::Status& status, int code) {
  Log(LogLevel::kError, what,
      {{"error", status.ToString()}, {"exit_code", code}});
  return code;
}

// The HTTP side: /metrics, plus /healthz (the process runs) and /readyz
// (the probe answers) for probes that speak HTTP only.
std::unique_ptr<HttpServer> MakeHttpServer(MetricsRegistry* registry,
                                           std::function<bool()> probe) {
  auto http = std::make_unique<HttpServer>(HttpServer::Options{});
  http->Handle("/metrics", [registry](const HttpRequest&) {
    HttpResponse response;
    response.content_type = std::string(MetricsRegistry::kContentType);
    response.body = registry->Expose();
    return response;
  });
  http->Handle("/healthz", [](const HttpRequest&) {
    HttpResponse response;
    response.body = "ok\n";
    return response;
  });
  http->Handle("/readyz", [probe](const HttpRequest&) {
    HttpResponse response;
    const bool ready = !probe || probe();
    response.status = ready ? 200 : 503;
    response.body = ready ? "ok\n" : "database unreachable\n";
    return response;
  });
  return http;
}

}  // namespace

ServiceEnvironment::ServiceEnvironment(ServiceDefinition definition,
                                       ServiceConfig config,
                                       MetricsRegistry* metrics)
    : definition_(std::move(definition)),
      config_(std::move(config)),
      metrics_(metrics),
      executors_(std::make_shared<Executors>()) {}

ServiceEnvironment::~ServiceEnvironment() {
  {
    // The executors go away with kept_: stop reporting them first.
    absl::MutexLock lock(&executors_->mu);
    executors_->list.clear();
  }
  while (!kept_.empty()) kept_.pop_back();  // reverse order of creation
}

storage::ConnectionPoolOptions ServiceEnvironment::PoolOptions() const {
  storage::ConnectionPoolOptions pool;
  pool.database_url = config_.database_url;
  pool.max_connections = config_.pool_size;
  pool.application_name = definition_.name;
  return pool;
}

storage::ConnectionPoolOptions ServiceEnvironment::ReadPoolOptions() const {
  storage::ConnectionPoolOptions pool = PoolOptions();
  if (has_read_replica()) {
    pool.database_url = config_.database_read_url;
    pool.read_only = true;
    pool.application_name = absl::StrCat(definition_.name, "-read");
  }
  return pool;
}

BoundedExecutor* ServiceEnvironment::AddExecutor(size_t queue_per_thread) {
  BoundedExecutor* executor = Keep(std::make_unique<BoundedExecutor>(
      config_.pool_size, queue_per_thread * config_.pool_size));
  {
    absl::MutexLock lock(&executors_->mu);
    executors_->list.push_back(executor);
  }
  const auto each = [executors = executors_,
                     name = definition_.name](auto value) {
    return [executors, name, value] {
      Samples samples;
      absl::MutexLock lock(&executors->mu);
      for (size_t i = 0; i < executors->list.size(); ++i) {
        samples.push_back(
            {{{"executor", i == 0 ? name : absl::StrCat(name, "-", i)}},
             static_cast<double>(value(*executors->list[i]))});
      }
      return samples;
    };
  };
  metrics_->AddCallback(
      "cables_executor_queued_tasks",
      "Tasks waiting in the database worker queue.", MetricType::kGauge,
      each([](const BoundedExecutor& e) { return e.Queued(); }));
  metrics_->AddCallback(
      "cables_executor_pending_tasks",
      "Tasks queued or running on the database workers.", MetricType::kGauge,
      each([](const BoundedExecutor& e) { return e.Pending(); }));
  metrics_->AddCallback(
      "cables_executor_max_queued_tasks",
      "Capacity of the database worker queue.", MetricType::kGauge,
      each([](const BoundedExecutor& e) { return e.max_queued(); }));
  metrics_->AddCallback(
      "cables_executor_threads", "Database worker threads.", MetricType::kGauge,
      each([](const BoundedExecutor& e) { return e.threads(); }));
  metrics_->AddCallback(
      "cables_executor_refused_total",
      "Tasks refused because the worker queue was full (calls answered "
      "RESOURCE_EXHAUSTED).",
      MetricType::kCounter,
      each([](const BoundedExecutor& e) { return e.Refused(); }));
  return executor;
}

void RegisterPoolMetrics(MetricsRegistry* registry) {
  using Stats = storage::ConnectionPool::Stats;
  const auto each = [](auto value) {
    return [value] {
      Samples samples;
      const std::vector<Stats> all = storage::ConnectionPool::AllStats();
      for (size_t i = 0; i < all.size(); ++i) {
        for (auto& sample : value(all[i])) {
          sample.labels.insert(sample.labels.begin(),
                               {"pool", absl::StrCat(i)});
          samples.push_back(std::move(sample));
        }
      }
      return samples;
    };
  };
  const auto single = [](double v) { return Samples{{{}, v}}; };
  registry->AddCallback(
      "cables_db_pool_connections",
      "Open database connections by state (in_use, idle).", MetricType::kGauge,
      each([](const Stats& s) {
        return Samples{{{{"state", "idle"}}, static_cast<double>(s.idle)},
                       {{{"state", "in_use"}}, static_cast<double>(s.in_use)}};
      }));
  registry->AddCallback(
      "cables_db_pool_max_connections", "Upper bound on open connections.",
      MetricType::kGauge,
      each([single](const Stats& s) { return single(s.max_connections); }));
  registry->AddCallback(
      "cables_db_pool_waiters",
      "Threads waiting for a free database connection.", MetricType::kGauge,
      each([single](const Stats& s) { return single(s.waiters); }));
  registry->AddCallback("cables_db_pool_connections_opened_total",
                        "Database connections opened (replacements included).",
                        MetricType::kCounter, each([single](const Stats& s) {
                          return single(static_cast<double>(s.opened_total));
                        }));
  registry->AddCallback(
      "cables_db_pool_acquire_timeouts_total",
      "Acquire calls that found every connection busy until their timeout.",
      MetricType::kCounter, each([single](const Stats& s) {
        return single(static_cast<double>(s.acquire_timeouts_total));
      }));
}

int RunService(const ServiceDefinition& definition, int argc, char** argv,
               const ServiceSetup& setup) {
  NormalizeFlagNames(argc, argv);
  absl::ParseCommandLine(argc, argv);
#ifdef NDEBUG
  // Debian's Abseil is built without NDEBUG, so every Mutex::Lock feeds its
  // lock-order graph (a global lock) by default: measurable in a busy
  // server. Debug and sanitizer builds (tests) keep the check.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  ServerRunner::BlockStopSignals();
  SetLogService(definition.name);
  RouteGrpcLogsToJson();

  absl::StatusOr<ServiceConfig> config =
      LoadServiceConfig(definition.default_listen);
  if (!config.ok())
    return Fail("bad configuration", config.status(), kExitBadConfig);
  if (absl::Status s = SetLogLevelByName(config->log_level); !s.ok()) {
    return Fail("bad configuration", s, kExitBadConfig);
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials({config->tls_cert_file, config->tls_key_file,
                             config->tls_client_ca_file});
  if (!credentials.ok()) {
    return Fail("bad TLS configuration", credentials.status(), kExitBadConfig);
  }
  CallGuard::Options guard;
  if (!config->auth_tokens_file.empty()) {
    absl::StatusOr<TokenAuthenticator> tokens =
        TokenAuthenticator::FromFile(config->auth_tokens_file);
    if (!tokens.ok()) {
      return Fail("bad tokens file", tokens.status(), kExitBadConfig);
    }
    guard.tokens = *std::move(tokens);
  }
  guard.rate_limit_qps = config->rate_limit_qps;
  guard.rate_limit_burst = config->rate_limit_burst;
  MetricsRegistry* registry = &MetricsRegistry::Default();
  auto call_guard = std::make_shared<CallGuard>(std::move(guard), registry);
  Log(LogLevel::kInfo, "starting",
      {{"listen", config->listen},
       {"http_listen", config->http_listen},
       {"database", RedactDatabaseUrl(config->database_url)},
       {"pool_size", config->pool_size},
       {"max_message_bytes", config->max_message_bytes},
       {"tls", !config->tls_cert_file.empty()},
       {"mtls", !config->tls_client_ca_file.empty()},
       {"auth", call_guard->auth_enabled()},
       {"rate_limit_qps", config->rate_limit_qps}});
  if (!call_guard->auth_enabled()) {
    Log(LogLevel::kWarning,
        "authentication is off: no tokens file (CABLES_AUTH_TOKENS_FILE); "
        "every caller may read and write");
  }
  CallGuard::SetGlobal(call_guard);
  RegisterProcessMetrics(registry);
  RegisterPoolMetrics(registry);

  int exit_code = 0;
  {
    ServiceEnvironment env(definition, *config, registry);
    if (absl::Status s = setup(env); !s.ok()) {
      return Fail("startup failed", s,
                  s.code() == absl::StatusCode::kInvalidArgument
                      ? kExitBadConfig
                      : kExitFailure);
    }
    std::unique_ptr<HttpServer> http;
    if (!config->http_listen.empty()) {
      http = MakeHttpServer(registry, env.probe());
      for (const auto& [path, handler] : env.http_handlers()) {
        http->Handle(path, handler);
      }
      if (absl::Status s = http->Start(config->http_listen); !s.ok()) {
        return Fail("cannot serve HTTP", s, kExitFailure);
      }
      Log(LogLevel::kInfo, "http listening",
          {{"address", config->http_listen}, {"port", http->port()}});
    }
    ServerOptions options;
    options.listen = config->listen;
    if (!config->tls_cert_file.empty()) options.credentials = *credentials;
    options.max_receive_message_bytes = config->max_message_bytes;
    options.drain_delay = config->drain_delay;
    options.metrics = registry;
    ServerRunner runner(options);
    for (grpc::Service* service : env.services()) runner.AddService(service);
    const absl::Status status = runner.Run(env.probe());
    if (http != nullptr) http->Stop();
    if (!status.ok()) exit_code = Fail("server failed", status, kExitFailure);
  }
  CallGuard::SetGlobal(nullptr);
  Log(LogLevel::kInfo, "exiting", {{"exit_code", exit_code}});
  return exit_code;
}

}  // namespace cables
