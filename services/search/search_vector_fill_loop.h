// SearchVectorFillLoop: the search service's background thread that fills
// the full-text vectors bulk imports deferred (migration 0007), so that the
// PostgreSQL full-text search -- the fallback while the search index is not
// ready -- covers every cable again soon after an import.
//
// Each round (every poll_interval): counts the deferred vectors. While that
// count still grows from one round to the next an import is running: the
// loop leaves it the machine and waits (at most max_settle_wait). Then a
// backlog of at least bulk_threshold first defers the RUM index (it would cost
// ten times the vectors themselves), then everything pending is filled in
// batches, and a deferred index is rebuilt in one pass. The first round
// also rebuilds an index that a stopped filler or bulk load left deferred.
//
// Errors are logged once per failure streak and retried after
// retry_interval. kFailedPrecondition (a read-only database: the service
// was pointed at a standby) stops the loop for good, with a warning: the
// primary's own fillers do the work.
//
// Thread-safe: Start/Stop from one owner thread. Stop() cancels the
// statement running (a rebuild left unfinished is redone by the next
// filler). `filler` must outlive the loop.
#ifndef CABLES_SERVICES_SEARCH_SEARCH_VECTOR_FILL_LOOP_H_
#define CABLES_SERVICES_SEARCH_SEARCH_VECTOR_FILL_LOOP_H_

#include <cstdint>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "storage/search/search_cancellation.h"
#include "storage/search/search_vector_filler.h"

namespace cables::search {

struct SearchVectorFillOptions {
  // Cables per fill transaction with the index in place / deferred.
  int batch = 100;
  int bulk_batch = 2000;
  // A backlog this large defers the index while it is filled.
  int64_t bulk_threshold = 5000;
  absl::Duration poll_interval = absl::Seconds(2);
  // Fill at the latest this long after the backlog started growing.
  absl::Duration max_settle_wait = absl::Minutes(10);
  absl::Duration retry_interval = absl::Seconds(5);
};

class SearchVectorFillLoop final {
 public:
  explicit SearchVectorFillLoop(storage::SearchVectorFiller* filler,
                                SearchVectorFillOptions options = {});
  ~SearchVectorFillLoop();  // Stop()s
  SearchVectorFillLoop(const SearchVectorFillLoop&) = delete;
  SearchVectorFillLoop& operator=(const SearchVectorFillLoop&) = delete;

  void Start();
  // Idempotent.
  void Stop();

  // One round (see the file comment); tests call it without Start().
  absl::Status RunRound();

  // Vectors filled since construction.
  int64_t filled() const;
  // True once the loop gave up (read-only database).
  bool stopped_for_good() const;

 private:
  void Loop();
  bool stopping() const { return stop_.HasBeenNotified(); }

  storage::SearchVectorFiller* const filler_;
  const SearchVectorFillOptions options_;
  absl::Notification stop_;
  storage::SearchCancellation cancellation_;
  std::thread thread_;
  // Only the loop's thread: rebuild a deferred index at the end of the next
  // round; the previous round's count, and since when it grows.
  bool restore_pending_ = true;
  int64_t last_pending_ = 0;
  absl::Time growing_since_ = absl::InfiniteFuture();
  mutable absl::Mutex mu_;
  int64_t filled_ ABSL_GUARDED_BY(mu_) = 0;
  bool given_up_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace cables::search

#endif  // CABLES_SERVICES_SEARCH_SEARCH_VECTOR_FILL_LOOP_H_
