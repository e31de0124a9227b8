#include "services/common/bounded_executor.h"

#include <utility>

namespace cables {

BoundedExecutor::BoundedExecutor(int threads, size_t max_queued)
    : max_queued_(max_queued) {
  workers_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

BoundedExecutor::~BoundedExecutor() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& worker : workers_) worker.join();
}

bool BoundedExecutor::TrySubmit(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || queue_.size() >= max_queued_) {
    ++refused_;
    return false;
  }
  queue_.push_back(std::move(task));
  return true;
}

size_t BoundedExecutor::Pending() const {
  absl::MutexLock lock(&mu_);
  return queue_.size() + running_;
}

size_t BoundedExecutor::Queued() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

uint64_t BoundedExecutor::Refused() const {
  absl::MutexLock lock(&mu_);
  return refused_;
}

void BoundedExecutor::WorkerLoop() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](BoundedExecutor* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ || !self->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    task();
    absl::MutexLock lock(&mu_);
    --running_;
  }
}

}  // namespace cables
