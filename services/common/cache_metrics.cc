#include "services/common/cache_metrics.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace cables {

void ExportCacheMetrics(MetricsRegistry& registry, absl::string_view prefix,
                        absl::string_view what,
                        std::shared_ptr<const LruCache> cache) {
  using Samples = std::vector<MetricsRegistry::Sample>;
  registry.AddCallback(
      absl::StrCat(prefix, "_requests_total"),
      absl::StrCat(what, " asked of the cache, by outcome."),
      MetricType::kCounter, [cache] {
        const LruCache::Stats stats = cache->stats();
        return Samples{
            {{{"outcome", "hit"}}, static_cast<double>(stats.hits)},
            {{{"outcome", "miss"}}, static_cast<double>(stats.misses)}};
      });
  registry.AddCallback(
      absl::StrCat(prefix, "_bytes"),
      absl::StrCat("Bytes held by the cache of ", what, "."),
      MetricType::kGauge, [cache] {
        return Samples{{{}, static_cast<double>(cache->stats().bytes)}};
      });
  registry.AddCallback(
      absl::StrCat(prefix, "_evictions_total"),
      absl::StrCat(what, " evicted from the cache to stay within its bound."),
      MetricType::kCounter, [cache] {
        return Samples{{{}, static_cast<double>(cache->stats().evictions)}};
      });
}

}  // namespace cables
