#include "services/metadata/cable_cache.h"

#include "gtest/gtest.h"
#include "services/common/lru_cache.h"

namespace cables::metadata {
namespace {

cables::v1::Cable CableWith(const std::string& id, int version) {
  cables::v1::Cable cable;
  cable.set_canonical_id(id);
  cable.set_version(version);
  cable.set_body("text of " + id);
  return cable;
}

class CableCacheTest : public ::testing::Test {
 protected:
  LruCache store_{1 << 20};
  CableCache cache_{&store_};
};

TEST_F(CableCacheTest, BypassedUntilSynced) {
  cache_.Insert(CableWith("05ALMATY1595", 1), cache_.ReadTicket());
  EXPECT_FALSE(cache_.Lookup("05ALMATY1595").has_value());
  cache_.SetSynced(true);
  cache_.Insert(CableWith("05ALMATY1595", 1), cache_.ReadTicket());
  auto hit = cache_.Lookup("05ALMATY1595");
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->version(), 1);
  EXPECT_EQ(hit->body(), "text of 05ALMATY1595");
}

TEST_F(CableCacheTest, InvalidateDropsTheChangedCablesOnly) {
  cache_.SetSynced(true);
  cache_.Insert(CableWith("A", 1), cache_.ReadTicket());
  cache_.Insert(CableWith("B", 1), cache_.ReadTicket());
  cache_.Invalidate({"A"}, 2);
  EXPECT_FALSE(cache_.Lookup("A").has_value());
  EXPECT_TRUE(cache_.Lookup("B").has_value());
}

TEST_F(CableCacheTest, AReadThatRacedAnInvalidationIsNotStored) {
  cache_.SetSynced(true);
  // A reader takes its ticket and reads version 1 from the database...
  const uint64_t ticket = cache_.ReadTicket();
  // ...version 2 commits and is invalidated before the reader stores...
  cache_.Invalidate({"A"}, 2);
  // ...so the stale version 1 must not be cached.
  cache_.Insert(CableWith("A", 1), ticket);
  EXPECT_FALSE(cache_.Lookup("A").has_value());
  // A read that started after the invalidation is stored.
  cache_.Insert(CableWith("A", 2), cache_.ReadTicket());
  ASSERT_TRUE(cache_.Lookup("A").has_value());
  EXPECT_EQ(cache_.Lookup("A")->version(), 2);
}

TEST_F(CableCacheTest, LosingSyncEmptiesTheCacheAndStopsFills) {
  cache_.SetSynced(true);
  cache_.Insert(CableWith("A", 1), cache_.ReadTicket());
  const uint64_t ticket = cache_.ReadTicket();
  cache_.SetSynced(false);
  EXPECT_EQ(store_.stats().entries, 0u);
  cache_.Insert(CableWith("B", 1), ticket);
  EXPECT_FALSE(cache_.Lookup("A").has_value());
  cache_.SetSynced(true);
  // The ticket taken before the loss of sync is void.
  cache_.Insert(CableWith("B", 1), ticket);
  EXPECT_FALSE(cache_.Lookup("B").has_value());
}

TEST_F(CableCacheTest, SnapshotsAreKeyedByTheChangeLogPosition) {
  EXPECT_FALSE(cache_.SnapshotKey("browse/x").has_value());  // not synced
  cache_.SetSynced(true, 7);
  const std::optional<std::string> key = cache_.SnapshotKey("browse/x");
  ASSERT_TRUE(key.has_value());
  cache_.PutSnapshot(*key, "counts");
  EXPECT_EQ(cache_.GetSnapshot(*cache_.SnapshotKey("browse/x")), "counts");
  // Any change moves the position: the old snapshot is unreachable.
  cache_.Invalidate({"A"}, 8);
  EXPECT_FALSE(cache_.GetSnapshot(*cache_.SnapshotKey("browse/x")).has_value());
  cache_.SetSynced(false);
  EXPECT_FALSE(cache_.GetSnapshot(*key).has_value());
}

}  // namespace
}  // namespace cables::metadata
