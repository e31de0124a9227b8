// cables-search: the search gRPC service.
#include <cstdio>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/time.h"
#include "services/common/bounded_executor.h"
#include "services/common/server_runner.h"
#include "services/common/service_config.h"
#include "services/search/search_service.h"
#include "services/search/searcher.h"
#include "storage/search/pg_search_repository.h"

ABSL_FLAG(absl::Duration, max_call_time, absl::Seconds(10),
          "Upper bound on one search call (a shorter client deadline wins)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  cables::ServerRunner::BlockStopSignals();
  auto config = cables::LoadServiceConfig("127.0.0.1:50053");
  if (!config.ok()) {
    std::fprintf(stderr, "cables-search: %s\n",
                 config.status().ToString().c_str());
    return 2;
  }
  cables::storage::ConnectionPoolOptions pool;
  pool.database_url = config->database_url;
  pool.max_connections = config->pool_size;
  pool.application_name = "cables-search";
  auto repository = cables::storage::PgSearchRepository::Open(pool);
  if (!repository.ok()) {
    std::fprintf(stderr, "cables-search: %s\n",
                 repository.status().ToString().c_str());
    return 1;
  }
  cables::search::Searcher searcher(repository->get());
  cables::BoundedExecutor executor(config->pool_size, 16 * config->pool_size);
  cables::search::SearchServiceImpl service(&searcher, &executor,
                                            absl::GetFlag(FLAGS_max_call_time));
  cables::ServerOptions options;
  options.listen = config->listen;
  options.max_receive_message_bytes = config->max_message_bytes;
  cables::ServerRunner runner(options);
  runner.AddService(&service);
  const auto status = runner.Run([&] { return (*repository)->Ping().ok(); });
  if (!status.ok())
    std::fprintf(stderr, "cables-search: %s\n", status.ToString().c_str());
  return status.ok() ? 0 : 1;
}
