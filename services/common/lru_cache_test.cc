#include "services/common/lru_cache.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace cables {
namespace {

TEST(LruCacheTest, GetsWhatWasPutAndCounts) {
  LruCache cache(1000);
  EXPECT_FALSE(cache.Get("a").has_value());
  cache.Put("a", "alpha");
  ASSERT_TRUE(cache.Get("a").has_value());
  EXPECT_EQ(*cache.Get("a"), "alpha");
  cache.Put("a", "again");  // replaces
  EXPECT_EQ(*cache.Get("a"), "again");
  const LruCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.bytes, 6u);
  EXPECT_EQ(stats.hits, 3);
  EXPECT_EQ(stats.misses, 1);
}

TEST(LruCacheTest, EraseRemovesOneKeyAndItsBytes) {
  LruCache cache(1000);
  cache.Put("a", "alpha");
  cache.Put("b", "beta");
  EXPECT_TRUE(cache.Erase("a"));
  EXPECT_FALSE(cache.Erase("a"));
  EXPECT_FALSE(cache.Get("a").has_value());
  EXPECT_EQ(*cache.Get("b"), "beta");
  EXPECT_EQ(cache.stats().entries, 1u);
  EXPECT_EQ(cache.stats().bytes, 5u);
}

TEST(LruCacheTest, EvictsLeastRecentlyUsedWithinTheByteBound) {
  LruCache cache(30);  // three entries of 10 bytes
  cache.Put("k1", "12345678");
  cache.Put("k2", "12345678");
  cache.Put("k3", "12345678");
  EXPECT_TRUE(cache.Get("k1").has_value());  // k2 is now the oldest
  cache.Put("k4", "12345678");
  EXPECT_FALSE(cache.Get("k2").has_value());
  EXPECT_TRUE(cache.Get("k1").has_value());
  EXPECT_TRUE(cache.Get("k3").has_value());
  EXPECT_TRUE(cache.Get("k4").has_value());
  EXPECT_LE(cache.stats().bytes, 30u);
  EXPECT_EQ(cache.stats().evictions, 1);
  // Too large for the cache at all: not stored, nothing evicted.
  cache.Put("big", std::string(100, 'x'));
  EXPECT_FALSE(cache.Get("big").has_value());
  EXPECT_EQ(cache.stats().entries, 3u);
  cache.Clear();
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().bytes, 0u);
}

TEST(LruCacheTest, ZeroCapacityStoresNothing) {
  LruCache cache(0);
  cache.Put("a", "b");
  EXPECT_FALSE(cache.Get("a").has_value());
}

TEST(LruCacheTest, ManyThreads) {
  LruCache cache(2000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = absl::StrCat("k", (i * 7 + t) % 300);
        if (auto v = cache.Get(key); v.has_value()) {
          EXPECT_EQ(*v, key + "-value");
        } else {
          cache.Put(key, key + "-value");
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(cache.stats().bytes, 2000u);
}

}  // namespace
}  // namespace cables
