// CacheInvalidator: keeps a CableCache current by tailing the change log
// (CableRepository::ListChanges) on its own thread.
//
// The first round reads the log's head position and marks the cache
// synced; every later round (each poll_interval) invalidates the ids of
// the changes after the last position applied. When the log cannot be read
// (database unreachable) the cache is marked not synced -- emptied and
// bypassed -- and the next successful round re-syncs it; a change log
// whose head went backwards (the database was restored or recreated) also
// empties the cache. Changes are durable and positions only grow, so
// resuming from the last position applied misses nothing.
//
// Thread-safe: Start/Stop from one owner thread; CatchUp() must not run
// concurrently with the thread (tests call it without Start()). The cache
// and the repository must outlive the invalidator.
#ifndef CABLES_SERVICES_METADATA_CACHE_INVALIDATOR_H_
#define CABLES_SERVICES_METADATA_CACHE_INVALIDATOR_H_

#include <cstdint>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/metadata/cable_cache.h"
#include "storage/cable_repository.h"

namespace cables::metadata {

struct CacheInvalidatorOptions {
  // The staleness bound of the cache.
  absl::Duration poll_interval = absl::Milliseconds(50);
  // After a failed round.
  absl::Duration retry_interval = absl::Seconds(1);
  // Changes per ListChanges.
  int batch = 1000;
};

class CacheInvalidator final {
 public:
  CacheInvalidator(CableCache* cache, storage::CableRepository* changes,
                   CacheInvalidatorOptions options = {})
      : cache_(cache), changes_(changes), options_(options) {}
  ~CacheInvalidator();  // Stop()s
  CacheInvalidator(const CacheInvalidator&) = delete;
  CacheInvalidator& operator=(const CacheInvalidator&) = delete;

  void Start();
  // Stops and joins the thread. Idempotent.
  void Stop();

  // One round (see the file comment); on failure the cache is left not
  // synced and the error returned.
  absl::Status CatchUp();

  // The last change log position applied (0 before the first round).
  int64_t position() const { return position_; }

 private:
  void Loop();
  absl::Status Apply();

  CableCache* const cache_;
  storage::CableRepository* const changes_;
  const CacheInvalidatorOptions options_;
  int64_t position_ = 0;  // only the loop (or a test) touches it
  bool started_ = false;  // a round has succeeded since the last failure
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace cables::metadata

#endif  // CABLES_SERVICES_METADATA_CACHE_INVALIDATOR_H_
