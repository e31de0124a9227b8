#include "services/metadata/cache_invalidator.h"

#include <string>
#include <vector>

#include "services/common/status_macros.h"
#include "services/common/structured_log.h"

namespace cables::metadata {

CacheInvalidator::~CacheInvalidator() { Stop(); }

void CacheInvalidator::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void CacheInvalidator::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void CacheInvalidator::Loop() {
  bool logged_error = false;
  while (!stop_.HasBeenNotified()) {
    const absl::Status status = CatchUp();
    if (status.ok()) {
      logged_error = false;
    } else if (!logged_error) {
      logged_error = true;  // once per failure streak
      Log(LogLevel::kWarning,
          "cable cache: cannot follow the change log; cache bypassed",
          {{"error", status.ToString()}});
    }
    stop_.WaitForNotificationWithTimeout(status.ok() ? options_.poll_interval
                                                     : options_.retry_interval);
  }
}

absl::Status CacheInvalidator::CatchUp() {
  const absl::Status status = Apply();
  if (!status.ok()) {
    cache_->SetSynced(false);
    started_ = false;
  }
  return status;
}

absl::Status CacheInvalidator::Apply() {
  CABLES_ASSIGN_OR_RETURN(const int64_t head, changes_->LastChangePosition());
  if (!started_ || head < position_) {
    // (Re)start: nothing cached can be older than what is read from now on,
    // as long as the cache is emptied first.
    cache_->SetSynced(false);
    position_ = head;
    started_ = true;
    cache_->SetSynced(true, head);
    return absl::OkStatus();
  }
  while (position_ < head) {
    CABLES_ASSIGN_OR_RETURN(const std::vector<storage::ChangeRecord> changes,
                            changes_->ListChanges(position_, options_.batch));
    if (changes.empty()) break;
    std::vector<std::string> ids;
    ids.reserve(changes.size());
    for (const storage::ChangeRecord& change : changes) {
      ids.push_back(change.canonical_id);
    }
    position_ = changes.back().position;
    cache_->Invalidate(ids, position_);
  }
  return absl::OkStatus();
}

}  // namespace cables::metadata
