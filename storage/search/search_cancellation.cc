#include "storage/search/search_cancellation.h"

#include <utility>

namespace cables::storage {

void SearchCancellation::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  if (handler_) handler_();
}

bool SearchCancellation::cancelled() const {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

bool SearchCancellation::SetHandler(std::function<void()> handler) {
  absl::MutexLock lock(&mu_);
  if (cancelled_) return false;
  handler_ = std::move(handler);
  return true;
}

void SearchCancellation::ClearHandler() {
  absl::MutexLock lock(&mu_);
  handler_ = nullptr;
}

}  // namespace cables::storage
