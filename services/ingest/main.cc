// cables-ingest: the ingest gRPC service.
#include <cstdio>
#include <memory>

#include "absl/flags/parse.h"
#include "services/common/bounded_executor.h"
#include "services/common/server_runner.h"
#include "services/common/service_config.h"
#include "services/ingest/ingest_service.h"
#include "services/ingest/ingester.h"
#include "storage/pg_cable_repository.h"

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  cables::ServerRunner::BlockStopSignals();
  auto config = cables::LoadServiceConfig("127.0.0.1:50051");
  if (!config.ok()) {
    std::fprintf(stderr, "cables-ingest: %s\n", config.status().ToString().c_str());
    return 2;
  }
  cables::storage::ConnectionPoolOptions pool;
  pool.database_url = config->database_url;
  pool.max_connections = config->pool_size;
  pool.application_name = "cables-ingest";
  auto repository = cables::storage::PgCableRepository::Open(pool);
  if (!repository.ok()) {
    std::fprintf(stderr, "cables-ingest: %s\n", repository.status().ToString().c_str());
    return 1;
  }
  cables::ingest::Ingester ingester(repository->get());
  cables::BoundedExecutor executor(config->pool_size, 4 * config->pool_size);
  cables::ingest::IngestServiceImpl service(&ingester, &executor);
  cables::ServerOptions options;
  options.listen = config->listen;
  options.max_receive_message_bytes = config->max_message_bytes;
  cables::ServerRunner runner(options);
  runner.AddService(&service);
  const auto status = runner.Run([&] { return (*repository)->Ping().ok(); });
  if (!status.ok()) std::fprintf(stderr, "cables-ingest: %s\n", status.ToString().c_str());
  return status.ok() ? 0 : 1;
}
