// ExportCacheMetrics: publishes an LruCache's counters as
//   {prefix}_requests_total{outcome="hit"|"miss"}  (counter)
//   {prefix}_bytes                                   (gauge)
//   {prefix}_evictions_total                         (counter)
// read from LruCache::stats() at scrape time. `what` completes the help
// text ("Search responses", "Cables"). The registry keeps `cache` alive.
//
// Call once per prefix, before serving.
#ifndef CABLES_SERVICES_COMMON_CACHE_METRICS_H_
#define CABLES_SERVICES_COMMON_CACHE_METRICS_H_

#include <memory>

#include "absl/strings/string_view.h"
#include "services/common/lru_cache.h"
#include "services/common/metrics.h"

namespace cables {

void ExportCacheMetrics(MetricsRegistry& registry, absl::string_view prefix,
                        absl::string_view what,
                        std::shared_ptr<const LruCache> cache);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_CACHE_METRICS_H_
