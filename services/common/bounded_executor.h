// BoundedExecutor: a fixed set of worker threads with a bounded queue, where
// blocking work (database calls) runs so it never blocks gRPC's callback
// threads. When the queue is full, TrySubmit refuses instead of queueing
// without bound: callers push back (RESOURCE_EXHAUSTED or flow control).
//
// Thread-safe. The destructor stops accepting work, runs what is queued and
// joins the workers.
#ifndef CABLES_SERVICES_COMMON_BOUNDED_EXECUTOR_H_
#define CABLES_SERVICES_COMMON_BOUNDED_EXECUTOR_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace cables {

class BoundedExecutor final {
 public:
  // REQUIRES: threads >= 1.
  BoundedExecutor(int threads, size_t max_queued);
  ~BoundedExecutor();

  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Queues `task`; false (task not taken) when the queue is full or the
  // executor is shutting down.
  bool TrySubmit(std::function<void()> task);

  // Tasks queued or running.
  size_t Pending() const;
  // Tasks queued, not yet running (the queue depth).
  size_t Queued() const;
  // Tasks refused by TrySubmit since construction.
  uint64_t Refused() const;
  size_t max_queued() const { return max_queued_; }
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  void WorkerLoop();

  const size_t max_queued_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  size_t running_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t refused_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_BOUNDED_EXECUTOR_H_
