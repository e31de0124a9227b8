// CableIndex: the search replica's local Xapian index of the archive
// (layout: cable_document.h) in one directory -- one writer, any number of
// concurrent readers.
//
// The writer side (Put, Delete, Clear, Commit) belongs to ONE thread at a
// time (the IndexSyncer's). Commit() stores an IndexState in the index's
// metadata atomically with the documents, so after a crash the index
// resumes from what it committed. (Xapian also commits pending documents
// when the index is closed, with the state of the last Commit: the writer
// must apply changes so that replaying them from that state is harmless,
// as the IndexSyncer does.) Each commit bumps a generation; readers handed
// out afterwards see it.
//
// The reader side: Acquire() lends a Xapian::Database from a pool (Xapian
// objects are not thread-safe: one per thread at a time), reopened to the
// latest commit when the generation moved on. A reader that meets
// Xapian::DatabaseModifiedError (the writer committed twice under it)
// calls Reader::Reopen() and retries.
//
// Errors: Xapian exceptions become kUnavailable (opening, locking),
// kDataLoss (corruption) or kInternal.
//
// Thread-safe as described. The directory is created when missing.
#ifndef CABLES_SERVICES_SEARCH_INDEX_CABLE_INDEX_H_
#define CABLES_SERVICES_SEARCH_INDEX_CABLE_INDEX_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "cables/v1/cable.pb.h"
#include "services/search/index/text_analyzer.h"
#include "xapian.h"

namespace cables::search::index {

// Bumped when cable_document.h's layout changes: an index of another
// layout is rebuilt.
inline constexpr char kIndexLayout[] = "cables-index-3";

// What the index holds, committed with the documents.
struct IndexState {
  // The change log position every change up to which is applied.
  int64_t position = 0;
  // IndexSource::Identity() of the database the index was built from.
  std::string source;
  // A full build in progress: the last canonical id stored ("" before the
  // first batch).
  std::string build_cursor;
  // A full build finished (then tailing the change log keeps it current).
  bool complete = false;
};

// Maps the exception being handled (call inside a catch block) to a status.
absl::Status XapianErrorStatus(absl::string_view what, const Xapian::Error& e);

class CableIndex final {
 public:
  // Opens (creating when missing) the index in `dir`. kUnavailable when it
  // cannot be opened for writing (e.g. another process holds its lock).
  static absl::StatusOr<std::unique_ptr<CableIndex>> Open(
      const std::string& dir);
  ~CableIndex();
  CableIndex(const CableIndex&) = delete;
  CableIndex& operator=(const CableIndex&) = delete;

  const std::string& dir() const { return dir_; }

  // --- Writer side (one thread) ---------------------------------------------

  // The state as of the last commit (or as opened).
  IndexState state() const;
  // Adds or replaces the document of cable.canonical_id().
  absl::Status Put(const cables::v1::Cable& cable);
  absl::Status Delete(absl::string_view canonical_id);
  // Removes every document and the state (committed at once). Readers
  // handed out before keep working on what they see.
  absl::Status Clear();
  // Commits the pending changes with `state`.
  absl::Status Commit(const IndexState& state);

  // --- Reader side (any thread) ---------------------------------------------

  class Reader final {
   public:
    Reader(Reader&& other) noexcept;
    Reader& operator=(Reader&&) = delete;
    ~Reader();
    Xapian::Database& db() { return *db_; }
    // Reopens at the latest commit (after DatabaseModifiedError).
    void Reopen() { db_->reopen(); }

   private:
    friend class CableIndex;
    Reader(CableIndex* index, std::unique_ptr<Xapian::Database> db,
           uint64_t generation)
        : index_(index), db_(std::move(db)), generation_(generation) {}
    CableIndex* index_;
    std::unique_ptr<Xapian::Database> db_;
    uint64_t generation_;
  };
  absl::StatusOr<Reader> Acquire();

  // Serving: set by the syncer once the index has caught up; searches use
  // the index only while this is true.
  bool ready() const { return ready_.load(std::memory_order_acquire); }
  // Bumped by every Commit and Clear: what readers see changed.
  uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }
  void set_ready(bool ready) { ready_.store(ready, std::memory_order_release); }

  // Documents as of the last commit.
  int64_t document_count() const {
    return documents_.load(std::memory_order_relaxed);
  }
  // On-disk size of the index directory, bytes.
  int64_t SizeBytes() const;

 private:
  CableIndex(std::string dir, std::unique_ptr<Xapian::WritableDatabase> db);
  void Release(std::unique_ptr<Xapian::Database> db, uint64_t generation);
  void ReadState();

  const std::string dir_;
  std::unique_ptr<Xapian::WritableDatabase> writer_;
  TextAnalyzer analyzer_;  // the writer's
  mutable absl::Mutex mu_;
  IndexState state_ ABSL_GUARDED_BY(mu_);
  struct Pooled {
    std::unique_ptr<Xapian::Database> db;
    uint64_t generation;
  };
  std::vector<Pooled> pool_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> generation_{1};
  std::atomic<bool> ready_{false};
  std::atomic<int64_t> documents_{0};
};

}  // namespace cables::search::index

#endif  // CABLES_SERVICES_SEARCH_INDEX_CABLE_INDEX_H_
