// cables-ingest: the ingest gRPC service.
#include <memory>

#include "services/common/server_runner.h"
#include "services/common/service_main.h"
#include "services/common/status_macros.h"
#include "services/ingest/ingest_service.h"
#include "services/ingest/ingester.h"
#include "storage/pg_cable_repository.h"

int main(int argc, char** argv) {
  return cables::RunService(
      {"cables-ingest", "127.0.0.1:50051"}, argc, argv,
      [](cables::ServiceEnvironment& env) -> absl::Status {
        CABLES_ASSIGN_OR_RETURN(
            auto opened,
            cables::storage::PgCableRepository::Open(env.PoolOptions()));
        auto* repository = env.Keep(std::move(opened));
        auto* ingester =
            env.Keep(std::make_unique<cables::ingest::Ingester>(repository));
        auto* executor = env.AddExecutor(/*queue_per_thread=*/4);
        cables::ingest::ImportOptions import_options;
        import_options.shutting_down = &cables::ServerRunner::ShuttingDown;
        env.AddService(
            env.Keep(std::make_unique<cables::ingest::IngestServiceImpl>(
                ingester, executor, import_options)));
        env.SetProbe([repository] { return repository->Ping().ok(); });
        return absl::OkStatus();
      });
}
