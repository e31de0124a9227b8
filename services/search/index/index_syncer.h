// IndexSyncer: builds the CableIndex from the source of truth and keeps it
// current by tailing the change log, on its own thread.
//
// CatchUp() (one round; the thread repeats it every poll_interval):
//  1. An index built from another database (IndexSource::Identity), or
//     claiming a change log position the database has not reached (the
//     database was recreated), is cleared.
//  2. An incomplete index gets a full build: the change log position P is
//     read FIRST, then every current cable is streamed (ScanCables, in id
//     order) into the index, committing every commit_every cables with the
//     last id stored, so a restart resumes the build where it stopped.
//     Then the state becomes complete at position P.
//  3. The change log after the committed position is applied in batches:
//     each changed id gets the cable's current version (ReadCables), or is
//     deleted when the archive no longer has it (kind 3, or gone by now);
//     every batch is committed with its last position. Applying the
//     current version makes replays harmless: changes that the full build
//     already saw are simply applied again.
// After the first round that reaches the end of the change log the index is
// marked ready (CableIndex::set_ready) and stays so; errors (database
// unreachable) are logged and retried, searches keep using what the index
// has.
//
// Thread-safe: Start/Stop from one owner thread; CatchUp() must not run
// concurrently with the thread (tests call it without Start()). The index
// and the source must outlive the syncer.
#ifndef CABLES_SERVICES_SEARCH_INDEX_INDEX_SYNCER_H_
#define CABLES_SERVICES_SEARCH_INDEX_INDEX_SYNCER_H_

#include <cstdint>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/search/index/cable_index.h"
#include "storage/search/index_source.h"

namespace cables::search::index {

struct IndexSyncerOptions {
  absl::Duration poll_interval = absl::Milliseconds(200);
  // After a failed round.
  absl::Duration retry_interval = absl::Seconds(2);
  // Cables per ScanCables / changes per ListChanges.
  int batch = 500;
  // Full build: commit every this many cables (the writer buffers them:
  // ~50 KB each).
  int commit_every = 5000;
};

struct IndexSyncStats {
  int64_t built = 0;    // cables stored by full builds
  int64_t applied = 0;  // changes applied from the log
  int64_t rebuilds = 0;
};

class IndexSyncer final {
 public:
  IndexSyncer(CableIndex* index, storage::IndexSource* source,
              IndexSyncerOptions options = {});
  ~IndexSyncer();  // Stop()s
  IndexSyncer(const IndexSyncer&) = delete;
  IndexSyncer& operator=(const IndexSyncer&) = delete;

  void Start();
  // Stops the thread at the next batch boundary and joins it. Idempotent.
  void Stop();

  // One round (see the file comment). OK when the index has reached the
  // end of the change log as it was when the round started.
  absl::Status CatchUp();

  IndexSyncStats stats() const;

 private:
  void Loop();
  absl::Status FullBuild(IndexState& state);
  absl::Status ApplyChanges(IndexState& state);
  bool stopping() const { return stop_.HasBeenNotified(); }

  CableIndex* const index_;
  storage::IndexSource* const source_;
  const IndexSyncerOptions options_;
  absl::Notification stop_;
  std::thread thread_;
  // The source's identity, read once.
  std::string identity_;
  mutable absl::Mutex mu_;
  IndexSyncStats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cables::search::index

#endif  // CABLES_SERVICES_SEARCH_INDEX_INDEX_SYNCER_H_
