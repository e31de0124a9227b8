#include "services/search/index/index_syncer.h"

#include <malloc.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/metrics.h"
#include "services/common/status_macros.h"
#include "services/common/structured_log.h"

namespace cables::search::index {
namespace {

struct SyncMetrics {
  Gauge* position;
  Gauge* documents;
  Gauge* lag;
  Gauge* ready;
  Counter* applied;
};

const SyncMetrics& Metrics() {
  static const SyncMetrics metrics = [] {
    auto& r = MetricsRegistry::Default();
    return SyncMetrics{
        r.AddGauge("cables_search_index_position",
                   "Change log position the search index has applied.")
            .Get(),
        r.AddGauge("cables_search_index_documents",
                   "Cables in the search index.")
            .Get(),
        r.AddGauge("cables_search_index_lag",
                   "Change log entries the search index has yet to apply "
                   "(as of its last round).")
            .Get(),
        r.AddGauge("cables_search_index_ready",
                   "1 when searches use the index, 0 while they fall back "
                   "to PostgreSQL.")
            .Get(),
        r.AddCounter("cables_search_index_changes_total",
                     "Change log entries applied to the search index.")
            .Get(),
    };
  }();
  return metrics;
}

}  // namespace

IndexSyncer::IndexSyncer(CableIndex* index, storage::IndexSource* source,
                         IndexSyncerOptions options)
    : index_(index), source_(source), options_(options) {}

IndexSyncer::~IndexSyncer() { Stop(); }

void IndexSyncer::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void IndexSyncer::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

IndexSyncStats IndexSyncer::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void IndexSyncer::Loop() {
  bool logged_error = false;
  while (!stopping()) {
    const absl::Time start = absl::Now();
    const bool was_ready = index_->ready();
    const absl::Status status = CatchUp();
    if (status.ok()) {
      logged_error = false;
      if (!was_ready) {
        index_->set_ready(true);
        Metrics().ready->Set(1);
        Log(LogLevel::kInfo, "search index ready",
            {{"documents", index_->document_count()},
             {"position", index_->state().position},
             {"seconds", absl::ToDoubleSeconds(absl::Now() - start)},
             {"dir", index_->dir()}});
      }
    } else if (!stopping() && !logged_error) {
      // Once per failure streak; the next success resets it.
      logged_error = true;
      Log(LogLevel::kWarning, "search index sync failed; retrying",
          {{"error", status.ToString()}, {"ready", index_->ready()}});
    }
    stop_.WaitForNotificationWithTimeout(status.ok() ? options_.poll_interval
                                                     : options_.retry_interval);
  }
}

absl::Status IndexSyncer::CatchUp() {
  IndexState state = index_->state();
  if (identity_.empty()) {
    CABLES_ASSIGN_OR_RETURN(identity_, source_->Identity());
  }
  const std::string& identity = identity_;
  CABLES_ASSIGN_OR_RETURN(const int64_t head, source_->LastChangePosition());
  const bool foreign = !state.source.empty() && state.source != identity;
  if (foreign || state.position > head) {
    Log(LogLevel::kWarning,
        "search index belongs to another database; rebuilding",
        {{"index_source", state.source},
         {"database", identity},
         {"index_position", state.position},
         {"database_position", head}});
    index_->set_ready(false);
    Metrics().ready->Set(0);
    CABLES_RETURN_IF_ERROR(index_->Clear());
    state = IndexState();
    absl::MutexLock lock(&mu_);
    ++stats_.rebuilds;
  }
  if (!state.complete) {
    if (state.source.empty()) {
      // A fresh build: every change after `head` is applied afterwards.
      state.source = identity;
      state.position = head;
      state.build_cursor.clear();
    }
    CABLES_RETURN_IF_ERROR(FullBuild(state));
  }
  CABLES_RETURN_IF_ERROR(ApplyChanges(state));
  Metrics().position->Set(static_cast<double>(state.position));
  Metrics().lag->Set(
      static_cast<double>(std::max<int64_t>(0, head - state.position)));
  return absl::OkStatus();
}

absl::Status IndexSyncer::FullBuild(IndexState& state) {
  const absl::Time start = absl::Now();
  Log(LogLevel::kInfo, "search index: full build",
      {{"from_id", state.build_cursor}, {"position", state.position}});
  int uncommitted = 0;
  while (true) {
    if (stopping()) return absl::CancelledError("stopping");
    CABLES_ASSIGN_OR_RETURN(
        std::vector<cables::v1::Cable> cables,
        source_->ScanCables(state.build_cursor, options_.batch));
    if (cables.empty()) break;
    for (const cables::v1::Cable& cable : cables) {
      CABLES_RETURN_IF_ERROR(index_->Put(cable));
    }
    state.build_cursor = cables.back().canonical_id();
    uncommitted += static_cast<int>(cables.size());
    {
      absl::MutexLock lock(&mu_);
      stats_.built += static_cast<int64_t>(cables.size());
    }
    if (uncommitted >= options_.commit_every) {
      CABLES_RETURN_IF_ERROR(index_->Commit(state));
      Metrics().documents->Set(static_cast<double>(index_->document_count()));
      uncommitted = 0;
    }
  }
  state.build_cursor.clear();
  state.complete = true;
  CABLES_RETURN_IF_ERROR(index_->Commit(state));
  // The build's buffers are gone; give their pages back to the system.
  malloc_trim(0);
  Metrics().documents->Set(static_cast<double>(index_->document_count()));
  Log(LogLevel::kInfo, "search index: full build done",
      {{"documents", index_->document_count()},
       {"seconds", absl::ToDoubleSeconds(absl::Now() - start)},
       {"bytes", index_->SizeBytes()}});
  return absl::OkStatus();
}

absl::Status IndexSyncer::ApplyChanges(IndexState& state) {
  while (true) {
    if (stopping()) return absl::CancelledError("stopping");
    CABLES_ASSIGN_OR_RETURN(
        std::vector<storage::ChangeRecord> changes,
        source_->ListChanges(state.position, options_.batch));
    if (changes.empty()) break;
    std::vector<std::string> ids;
    absl::flat_hash_set<std::string> seen;
    for (const storage::ChangeRecord& change : changes) {
      if (seen.insert(change.canonical_id).second) {
        ids.push_back(change.canonical_id);
      }
    }
    CABLES_ASSIGN_OR_RETURN(std::vector<cables::v1::Cable> cables,
                            source_->ReadCables(ids));
    absl::flat_hash_set<std::string> present;
    for (const cables::v1::Cable& cable : cables) {
      CABLES_RETURN_IF_ERROR(index_->Put(cable));
      present.insert(cable.canonical_id());
    }
    for (const std::string& id : ids) {
      if (!present.contains(id)) CABLES_RETURN_IF_ERROR(index_->Delete(id));
    }
    state.position = changes.back().position;
    CABLES_RETURN_IF_ERROR(index_->Commit(state));
    Metrics().applied->Increment(static_cast<double>(changes.size()));
    Metrics().documents->Set(static_cast<double>(index_->document_count()));
    {
      absl::MutexLock lock(&mu_);
      stats_.applied += static_cast<int64_t>(changes.size());
    }
    if (static_cast<int>(changes.size()) < options_.batch) break;
  }
  return absl::OkStatus();
}

}  // namespace cables::search::index
