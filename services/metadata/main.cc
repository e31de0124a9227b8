// cables-metadata: the metadata gRPC service (get, list, browse, references,
// versions, export).
#include <cstdlib>
#include <memory>

#include "services/common/service_main.h"
#include "services/common/status_macros.h"
#include "services/metadata/metadata_catalog.h"
#include "services/metadata/metadata_service.h"
#include "services/oai/oai_pmh_handler.h"
#include "storage/metadata/pg_record_store.h"
#include "storage/metadata/pg_month_counts.h"
#include "storage/pg_cable_repository.h"

int main(int argc, char** argv) {
  return cables::RunService(
      {"cables-metadata", "127.0.0.1:50052"}, argc, argv,
      [](cables::ServiceEnvironment& env) -> absl::Status {
        CABLES_ASSIGN_OR_RETURN(
            auto opened,
            cables::storage::PgCableRepository::Open(env.ReadPoolOptions()));
        auto* repository = env.Keep(std::move(opened));
        CABLES_ASSIGN_OR_RETURN(
            auto months,
            cables::storage::PgMonthCounts::Open(env.ReadPoolOptions()));
        auto* catalog =
            env.Keep(std::make_unique<cables::metadata::MetadataCatalog>(
                repository, env.Keep(std::move(months))));
        // With a read replica, reads go to it and deletions to the primary.
        cables::storage::PgCableRepository* writer = repository;
        if (env.has_read_replica()) {
          auto options = env.PoolOptions();
          options.max_connections = 2;
          CABLES_ASSIGN_OR_RETURN(
              auto primary, cables::storage::PgCableRepository::Open(options));
          writer = env.Keep(std::move(primary));
          catalog->set_writer(writer);
        }
        auto* executor = env.AddExecutor(/*queue_per_thread=*/16);
        env.AddService(
            env.Keep(std::make_unique<cables::metadata::MetadataServiceImpl>(
                catalog, executor)));
        // OAI-PMH 2.0 at /oai on --http-listen; the public base URL from
        // CABLES_OAI_BASE_URL.
        CABLES_ASSIGN_OR_RETURN(
            auto records,
            cables::storage::PgRecordStore::Open(env.ReadPoolOptions()));
        cables::oai::OaiPmhOptions oai;
        if (const char* url = std::getenv("CABLES_OAI_BASE_URL")) {
          oai.base_url = url;
        } else if (!env.config().http_listen.empty()) {
          oai.base_url = "http://" + env.config().http_listen + "/oai";
        }
        auto* oai_handler =
            env.Keep(std::make_unique<cables::oai::OaiPmhHandler>(
                env.Keep(std::move(records)), oai));
        env.HandleHttp("/oai", [oai_handler](const cables::HttpRequest& r) {
          return oai_handler->Handle(r);
        });
        env.SetProbe([repository, writer] {
          return repository->Ping().ok() && writer->Ping().ok();
        });
        return absl::OkStatus();
      });
}
