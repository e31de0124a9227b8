// cables-metadata: the metadata gRPC service (get, list, browse, references,
// versions, export).
#include <cstdio>
#include <memory>

#include "absl/flags/parse.h"
#include "services/common/bounded_executor.h"
#include "services/common/server_runner.h"
#include "services/common/service_config.h"
#include "services/metadata/metadata_catalog.h"
#include "services/metadata/metadata_service.h"
#include "storage/metadata/pg_month_counts.h"
#include "storage/pg_cable_repository.h"

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  cables::ServerRunner::BlockStopSignals();
  auto config = cables::LoadServiceConfig("127.0.0.1:50052");
  if (!config.ok()) {
    std::fprintf(stderr, "cables-metadata: %s\n",
                 config.status().ToString().c_str());
    return 2;
  }
  cables::storage::ConnectionPoolOptions pool;
  pool.database_url = config->database_url;
  pool.max_connections = config->pool_size;
  pool.application_name = "cables-metadata";
  auto repository = cables::storage::PgCableRepository::Open(pool);
  if (!repository.ok()) {
    std::fprintf(stderr, "cables-metadata: %s\n",
                 repository.status().ToString().c_str());
    return 1;
  }
  auto months = cables::storage::PgMonthCounts::Open(pool);
  if (!months.ok()) {
    std::fprintf(stderr, "cables-metadata: %s\n",
                 months.status().ToString().c_str());
    return 1;
  }
  cables::metadata::MetadataCatalog catalog(repository->get(), months->get());
  cables::BoundedExecutor executor(config->pool_size, 16 * config->pool_size);
  cables::metadata::MetadataServiceImpl service(&catalog, &executor);
  cables::ServerOptions options;
  options.listen = config->listen;
  options.max_receive_message_bytes = config->max_message_bytes;
  cables::ServerRunner runner(options);
  runner.AddService(&service);
  const auto status = runner.Run([&] { return (*repository)->Ping().ok(); });
  if (!status.ok())
    std::fprintf(stderr, "cables-metadata: %s\n", status.ToString().c_str());
  return status.ok() ? 0 : 1;
}
