#include "services/search/search_vector_fill_loop.h"

#include <algorithm>

#include "services/common/status_macros.h"
#include "services/common/structured_log.h"

namespace cables::search {

SearchVectorFillLoop::SearchVectorFillLoop(storage::SearchVectorFiller* filler,
                                           SearchVectorFillOptions options)
    : filler_(filler), options_(options) {}

SearchVectorFillLoop::~SearchVectorFillLoop() { Stop(); }

void SearchVectorFillLoop::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void SearchVectorFillLoop::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  cancellation_.Cancel();
  if (thread_.joinable()) thread_.join();
}

int64_t SearchVectorFillLoop::filled() const {
  absl::MutexLock lock(&mu_);
  return filled_;
}

bool SearchVectorFillLoop::stopped_for_good() const {
  absl::MutexLock lock(&mu_);
  return given_up_;
}

absl::Status SearchVectorFillLoop::RunRound() {
  CABLES_ASSIGN_OR_RETURN(const int64_t pending, filler_->CountPending());
  const absl::Time start = absl::Now();
  const bool growing = pending > last_pending_;
  last_pending_ = pending;
  if (!growing) {
    growing_since_ = absl::InfiniteFuture();
  } else if (growing_since_ == absl::InfiniteFuture()) {
    growing_since_ = start;
  }
  if (growing && start - growing_since_ < options_.max_settle_wait) {
    return absl::OkStatus();  // an import is running: fill after it
  }
  const bool bulk = pending >= options_.bulk_threshold;
  if (bulk) {
    Log(LogLevel::kInfo,
        "filling deferred search vectors; the full-text index is rebuilt "
        "afterwards",
        {{"cables", pending}});
    CABLES_RETURN_IF_ERROR(filler_->DeferIndex());
    restore_pending_ = true;
  }
  const int batch = bulk ? options_.bulk_batch : options_.batch;
  int64_t round_filled = 0;
  while (pending > 0 && !stopping()) {
    CABLES_ASSIGN_OR_RETURN(const int n, filler_->Fill(batch, &cancellation_));
    round_filled += n;
    {
      absl::MutexLock lock(&mu_);
      filled_ += n;
    }
    if (n < batch) break;  // done, or the rest is locked by others
  }
  last_pending_ = std::max<int64_t>(0, pending - round_filled);
  if (stopping()) return absl::OkStatus();
  if (restore_pending_) {
    CABLES_ASSIGN_OR_RETURN(const int rebuilt,
                            filler_->RestoreIndex(&cancellation_));
    restore_pending_ = false;
    if (rebuilt > 0) {
      Log(LogLevel::kInfo, "full-text index rebuilt", {{"indexes", rebuilt}});
    }
  }
  if (round_filled > 0) {
    Log(LogLevel::kInfo, "deferred search vectors filled",
        {{"cables", round_filled},
         {"seconds", absl::ToDoubleSeconds(absl::Now() - start)}});
  }
  return absl::OkStatus();
}

void SearchVectorFillLoop::Loop() {
  bool logged_error = false;
  while (!stopping()) {
    const absl::Status status = RunRound();
    if (stopping()) break;
    if (status.code() == absl::StatusCode::kFailedPrecondition) {
      Log(LogLevel::kWarning,
          "deferred search vectors are not filled here (read-only database); "
          "the primary's search service fills them",
          {{"error", status.ToString()}});
      absl::MutexLock lock(&mu_);
      given_up_ = true;
      return;
    }
    if (!status.ok() && !logged_error) {
      logged_error = true;  // once per failure streak
      Log(LogLevel::kWarning, "filling deferred search vectors failed",
          {{"error", status.ToString()}});
    }
    if (status.ok()) logged_error = false;
    stop_.WaitForNotificationWithTimeout(status.ok() ? options_.poll_interval
                                                     : options_.retry_interval);
  }
}

}  // namespace cables::search
