// cables-metadata: the metadata gRPC service (get, list, browse, references,
// versions, export).
#include <cstdlib>
#include <memory>

#include "absl/flags/flag.h"
#include "services/common/cache_metrics.h"
#include "services/common/lru_cache.h"
#include "services/common/service_main.h"
#include "services/common/status_macros.h"
#include "services/metadata/cable_cache.h"
#include "services/metadata/cache_invalidator.h"
#include "services/metadata/metadata_catalog.h"
#include "services/metadata/metadata_service.h"
#include "services/oai/oai_pmh_handler.h"
#include "storage/metadata/pg_month_counts.h"
#include "storage/metadata/pg_record_store.h"
#include "storage/pg_cable_repository.h"

ABSL_FLAG(int64_t, cable_cache_mb, 128,
          "memory for current versions of recently read cables, invalidated "
          "from the change log within ~50 ms of a change (0: no cache)");

namespace {

// GetCable's cache and the thread that keeps it current from the change log
// of the database the catalog reads (the replica, when there is one).
absl::Status AddCableCache(cables::ServiceEnvironment& env,
                           cables::metadata::MetadataCatalog* catalog) {
  const int64_t mb = absl::GetFlag(FLAGS_cable_cache_mb);
  if (mb <= 0) return absl::OkStatus();
  auto store =
      std::make_shared<cables::LruCache>(static_cast<size_t>(mb) << 20);
  cables::ExportCacheMetrics(env.metrics(), "cables_metadata_cable_cache",
                             "Cables", store);
  auto* cache = env.Keep(std::make_unique<cables::metadata::CableCache>(
      env.Keep(std::make_unique<std::shared_ptr<cables::LruCache>>(store))
          ->get()));
  auto options = env.ReadPoolOptions();
  options.max_connections = 1;
  options.application_name = "cables-metadata-cache";
  CABLES_ASSIGN_OR_RETURN(auto changes,
                          cables::storage::PgCableRepository::Open(options));
  auto* invalidator =
      env.Keep(std::make_unique<cables::metadata::CacheInvalidator>(
          cache, env.Keep(std::move(changes))));
  invalidator->Start();
  catalog->set_cache(cache);
  return absl::OkStatus();
}

}  // namespace

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
        CABLES_RETURN_IF_ERROR(AddCableCache(env, catalog));
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
