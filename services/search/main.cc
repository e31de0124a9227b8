// cables-search: the search gRPC service.
//
// Searches use a local Xapian index (services/search/index/) that the
// service builds from PostgreSQL and keeps current by tailing the change
// log; until it has caught up (and whenever it fails) they go to
// PostgreSQL. --index_dir / CABLES_SEARCH_INDEX_DIR chooses its directory
// (default: $TMPDIR or /tmp, then cables-search-index/<hash of the database
// URL>); --search_index=false searches PostgreSQL only.
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "services/common/cache_metrics.h"
#include "services/common/lru_cache.h"
#include "services/common/service_main.h"
#include "services/common/status_macros.h"
#include "services/common/structured_log.h"
#include "services/search/fallback_search_repository.h"
#include "services/search/index/cable_index.h"
#include "services/search/index/index_search_repository.h"
#include "services/search/index/index_syncer.h"
#include "services/search/search_service.h"
#include "services/search/search_vector_fill_loop.h"
#include "services/search/searcher.h"
#include "storage/pg_cable_repository.h"
#include "storage/search/pg_index_source.h"
#include "storage/search/pg_search_repository.h"
#include "storage/search/pg_search_vector_filler.h"
#include "storage/search/search_planner.h"

ABSL_FLAG(absl::Duration, max_call_time, absl::Seconds(10),
          "Upper bound on one search call (a shorter client deadline wins)");
ABSL_FLAG(int64_t, exact_count_limit, 1000,
          "search index: totals up to this many matches are exact, larger "
          "ones estimated (env CABLES_EXACT_COUNT_LIMIT)");
ABSL_FLAG(int64_t, result_cache_mb, 64,
          "memory for cached search responses, kept until the index's next "
          "commit (0: no cache)");
ABSL_FLAG(bool, search_index, true,
          "Search a local index kept current from PostgreSQL (false: search "
          "PostgreSQL only)");
ABSL_FLAG(bool, fill_search_vectors, true,
          "Fill the PostgreSQL full-text vectors that bulk imports deferred "
          "(in the background, on the primary)");
ABSL_FLAG(std::string, index_dir, "",
          "Directory of the search index (env CABLES_SEARCH_INDEX_DIR; "
          "default $TMPDIR/cables-search-index/<hash of the database URL>)");

namespace {

std::string IndexDir(const std::string& database_url) {
  std::string dir = absl::GetFlag(FLAGS_index_dir);
  if (!dir.empty()) return dir;
  if (const char* env = std::getenv("CABLES_SEARCH_INDEX_DIR");
      env != nullptr && *env != '\0') {
    return env;
  }
  const char* tmp = std::getenv("TMPDIR");
  return absl::StrCat(
      tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/cables-search-index/",
      absl::StrFormat("%016x", cables::storage::Fingerprint64(database_url)));
}

cables::search::index::IndexSearchOptions IndexOptions() {
  cables::search::index::IndexSearchOptions options;
  options.exact_count_limit = absl::GetFlag(FLAGS_exact_count_limit);
  if (const char* env = std::getenv("CABLES_EXACT_COUNT_LIMIT")) {
    int64_t value = 0;
    if (absl::SimpleAtoi(env, &value) && value >= 0) {
      options.exact_count_limit = value;
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  using cables::search::index::CableIndex;
  return cables::RunService(
      {"cables-search", "127.0.0.1:50053"}, argc, argv,
      [](cables::ServiceEnvironment& env) -> absl::Status {
        CABLES_ASSIGN_OR_RETURN(
            auto opened,
            cables::storage::PgSearchRepository::Open(env.ReadPoolOptions()));
        auto* database = env.Keep(std::move(opened));
        cables::storage::SearchRepository* index_search = nullptr;
        CableIndex* index = nullptr;
        if (absl::GetFlag(FLAGS_search_index)) {
          const std::string dir = IndexDir(env.ReadPoolOptions().database_url);
          auto opened_index = CableIndex::Open(dir);
          if (!opened_index.ok()) {
            cables::Log(
                cables::LogLevel::kWarning,
                "search index unavailable; searching PostgreSQL only",
                {{"dir", dir}, {"error", opened_index.status().ToString()}});
          } else {
            index = env.Keep(*std::move(opened_index));
            // The indexer's own connections: the change log and bulk reads.
            auto options = env.ReadPoolOptions();
            options.max_connections = 2;
            options.application_name = "cables-search-indexer";
            CABLES_ASSIGN_OR_RETURN(
                auto changes,
                cables::storage::PgCableRepository::Open(options));
            auto* change_log = env.Keep(std::move(changes));
            CABLES_ASSIGN_OR_RETURN(
                auto source,
                cables::storage::PgIndexSource::Open(options, change_log));
            auto* index_source = env.Keep(std::move(source));
            index_search = env.Keep(
                std::make_unique<cables::search::index::IndexSearchRepository>(
                    index, IndexOptions()));
            auto* syncer =
                env.Keep(std::make_unique<cables::search::index::IndexSyncer>(
                    index, index_source));
            syncer->Start();
            cables::Log(cables::LogLevel::kInfo, "search index opened",
                        {{"dir", dir},
                         {"documents", index->document_count()},
                         {"position", index->state().position}});
          }
        }
        if (absl::GetFlag(FLAGS_fill_search_vectors)) {
          // One connection to the primary (it writes).
          auto options = env.PoolOptions();
          options.max_connections = 1;
          options.application_name = "cables-search-filler";
          CABLES_ASSIGN_OR_RETURN(
              auto filler,
              cables::storage::PgSearchVectorFiller::Open(options));
          env.Keep(std::make_unique<cables::search::SearchVectorFillLoop>(
                       env.Keep(std::move(filler))))
              ->Start();
        }
        auto* repository =
            env.Keep(std::make_unique<cables::search::FallbackSearchRepository>(
                index_search,
                [index] { return index != nullptr && index->ready(); },
                database));
        // Responses from the index are cached until its next commit.
        // Shared with the metrics callbacks, which may outlive `env`.
        auto shared_cache = std::make_shared<cables::LruCache>(
            static_cast<size_t>(
                std::max<int64_t>(0, absl::GetFlag(FLAGS_result_cache_mb)))
            << 20);
        auto* cache =
            env.Keep(std::make_unique<std::shared_ptr<cables::LruCache>>(
                         shared_cache))
                ->get();
        cables::ExportCacheMetrics(env.metrics(), "cables_search_cache",
                                   "Search responses", shared_cache);
        auto* searcher = env.Keep(std::make_unique<cables::search::Searcher>(
            repository, cache, [index]() -> uint64_t {
              return index != nullptr && index->ready() ? index->generation()
                                                        : 0;
            }));
        auto* executor = env.AddExecutor(/*queue_per_thread=*/16);
        env.AddService(
            env.Keep(std::make_unique<cables::search::SearchServiceImpl>(
                searcher, executor, absl::GetFlag(FLAGS_max_call_time))));
        env.SetProbe([database] { return database->Ping().ok(); });
        return absl::OkStatus();
      });
}
