// CableCache: the current versions of recently read cables, so GetCable and
// BatchGetCables can answer without the database. Kept current by
// CacheInvalidator, which tails the change log and Invalidate()s every
// changed id (new version, deletion) once the change has committed.
//
// Consistency: a cached cable is at most one invalidation round stale
// (CacheInvalidator's poll interval, 50 ms by default) -- the same kind of
// lag as a read replica's. A fill can never resurrect an older version:
// readers take a ticket (ReadTicket) BEFORE reading the database, and
// Insert drops the value when any invalidation happened since, so a read
// that raced a change is never stored after that change's invalidation.
// While the invalidator cannot read the change log (SetSynced(false)), the
// cache is empty and bypassed.
//
// Keys are canonical ids; callers store only cables read by their
// canonical id (never through an alias), so a key always names the cable
// stored under it.
//
// Snapshots: answers computed from many cables (browse counts, list totals)
// are cached under the change log position the invalidator has reached, so
// any change makes them unreachable (they age out of the LRU). Same
// staleness bound as cables.
//
// Thread-safe. The LruCache (the byte-bounded store) must outlive this.
#ifndef CABLES_SERVICES_METADATA_CABLE_CACHE_H_
#define CABLES_SERVICES_METADATA_CABLE_CACHE_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "cables/v1/cable.pb.h"
#include "services/common/lru_cache.h"

namespace cables::metadata {

class CableCache final {
 public:
  explicit CableCache(LruCache* store) : store_(store) {}
  CableCache(const CableCache&) = delete;
  CableCache& operator=(const CableCache&) = delete;

  // The cached current version of `canonical_id`, or nullopt (also while
  // not synced).
  std::optional<cables::v1::Cable> Lookup(absl::string_view canonical_id);
  // The same, serialized (a cables.v1.Cable message): what GetCable sends
  // without a parse or a serialization.
  std::optional<std::string> LookupBytes(absl::string_view canonical_id);

  // Take before reading a cable from the database; pass to Insert.
  uint64_t ReadTicket() const;
  // Stores `cable` (the current version of cable.canonical_id() as GetCable
  // answers it without a read mask -- its name set -- read after `ticket`
  // was taken) unless an invalidation happened since `ticket` or
  // the cache is not synced.
  void Insert(const cables::v1::Cable& cable, uint64_t ticket);

  // Drops the cached versions of `canonical_ids` (they changed); the change
  // log has been applied up to `position`.
  void Invalidate(const std::vector<std::string>& canonical_ids,
                  int64_t position);

  // false: empties the cache and bypasses it until set true again (the
  // change log cannot be followed, so nothing cached can be trusted). true:
  // the change log is followed from `position` on.
  void SetSynced(bool synced, int64_t position = 0);
  bool synced() const { return synced_.load(std::memory_order_acquire); }

  // The snapshot key of `request_key` ("browse/<serialized request>") at the
  // current position; nullopt while not synced (compute, do not cache).
  // Take it before reading the database.
  std::optional<std::string> SnapshotKey(absl::string_view request_key) const;
  std::optional<std::string> GetSnapshot(absl::string_view key);
  void PutSnapshot(std::string key, std::string value);

 private:
  LruCache* const store_;
  std::atomic<bool> synced_{false};
  std::atomic<int64_t> position_{0};
  mutable absl::Mutex mu_;
  // Bumped by every invalidation; tickets are epochs.
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace cables::metadata

#endif  // CABLES_SERVICES_METADATA_CABLE_CACHE_H_
