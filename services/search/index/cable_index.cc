#include "services/search/index/cable_index.h"

#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/search/index/cable_document.h"

namespace cables::search::index {
namespace {

constexpr char kKeyLayout[] = "cables.layout";
constexpr char kKeyPosition[] = "cables.position";
constexpr char kKeySource[] = "cables.source";
constexpr char kKeyCursor[] = "cables.build_cursor";
constexpr char kKeyComplete[] = "cables.complete";

}  // namespace

absl::Status XapianErrorStatus(absl::string_view what, const Xapian::Error& e) {
  const std::string message = absl::StrCat("search index: ", what, ": ",
                                           e.get_type(), ": ", e.get_msg());
  const std::string type = e.get_type();
  if (type == "DatabaseCorruptError" || type == "DatabaseVersionError") {
    return absl::DataLossError(message);
  }
  if (type == "DatabaseOpeningError" || type == "DatabaseLockError" ||
      type == "DatabaseNotFoundError") {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

CableIndex::Reader::Reader(Reader&& other) noexcept
    : index_(other.index_),
      db_(std::move(other.db_)),
      generation_(other.generation_) {
  other.index_ = nullptr;
}

CableIndex::Reader::~Reader() {
  if (index_ != nullptr && db_ != nullptr) {
    index_->Release(std::move(db_), generation_);
  }
}

CableIndex::CableIndex(std::string dir,
                       std::unique_ptr<Xapian::WritableDatabase> db)
    : dir_(std::move(dir)), writer_(std::move(db)) {
  ReadState();
}

CableIndex::~CableIndex() {
  try {
    writer_->close();
  } catch (const Xapian::Error&) {
    // Uncommitted changes are lost; the state says what was committed.
  }
}

absl::StatusOr<std::unique_ptr<CableIndex>> CableIndex::Open(
    const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("search index: cannot create ", dir, ": ", ec.message()));
  }
  try {
    auto db = std::make_unique<Xapian::WritableDatabase>(
        dir, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    if (db->get_metadata(kKeyLayout) != kIndexLayout) {
      // A new index, or one of another layout: start afresh.
      if (db->get_doccount() > 0 || !db->get_metadata(kKeyLayout).empty()) {
        db->close();
        db = std::make_unique<Xapian::WritableDatabase>(
            dir, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
      }
      db->set_metadata(kKeyLayout, kIndexLayout);
      db->commit();
    }
    return std::unique_ptr<CableIndex>(new CableIndex(dir, std::move(db)));
  } catch (const Xapian::Error& e) {
    return XapianErrorStatus(absl::StrCat("opening ", dir), e);
  }
}

void CableIndex::ReadState() {
  IndexState state;
  int64_t position = 0;
  if (absl::SimpleAtoi(writer_->get_metadata(kKeyPosition), &position)) {
    state.position = position;
  }
  state.source = writer_->get_metadata(kKeySource);
  state.build_cursor = writer_->get_metadata(kKeyCursor);
  state.complete = writer_->get_metadata(kKeyComplete) == "1";
  documents_.store(writer_->get_doccount(), std::memory_order_relaxed);
  absl::MutexLock lock(&mu_);
  state_ = std::move(state);
}

IndexState CableIndex::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

absl::Status CableIndex::Put(const cables::v1::Cable& cable) {
  if (cable.canonical_id().empty()) {
    return absl::InvalidArgumentError("search index: cable without an id");
  }
  try {
    writer_->replace_document(IdTerm(cable.canonical_id()),
                              CableDocument(cable, analyzer_));
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianErrorStatus(absl::StrCat("storing ", cable.canonical_id()), e);
  }
}

absl::Status CableIndex::Delete(absl::string_view canonical_id) {
  try {
    writer_->delete_document(IdTerm(canonical_id));
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianErrorStatus(absl::StrCat("deleting ", canonical_id), e);
  }
}

absl::Status CableIndex::Clear() {
  try {
    writer_->close();
    writer_ = std::make_unique<Xapian::WritableDatabase>(
        dir_, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    writer_->set_metadata(kKeyLayout, kIndexLayout);
    writer_->commit();
  } catch (const Xapian::Error& e) {
    return XapianErrorStatus("clearing", e);
  }
  ReadState();
  {
    // Pooled readers refer to the replaced database: drop them.
    absl::MutexLock lock(&mu_);
    pool_.clear();
  }
  generation_.fetch_add(1, std::memory_order_acq_rel);
  return absl::OkStatus();
}

absl::Status CableIndex::Commit(const IndexState& state) {
  try {
    writer_->set_metadata(kKeyPosition, absl::StrCat(state.position));
    writer_->set_metadata(kKeySource, state.source);
    writer_->set_metadata(kKeyCursor, state.build_cursor);
    writer_->set_metadata(kKeyComplete, state.complete ? "1" : "0");
    writer_->commit();
    documents_.store(writer_->get_doccount(), std::memory_order_relaxed);
  } catch (const Xapian::Error& e) {
    return XapianErrorStatus("committing", e);
  }
  {
    absl::MutexLock lock(&mu_);
    state_ = state;
  }
  generation_.fetch_add(1, std::memory_order_acq_rel);
  return absl::OkStatus();
}

absl::StatusOr<CableIndex::Reader> CableIndex::Acquire() {
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  std::unique_ptr<Xapian::Database> db;
  uint64_t seen = 0;
  {
    absl::MutexLock lock(&mu_);
    if (!pool_.empty()) {
      db = std::move(pool_.back().db);
      seen = pool_.back().generation;
      pool_.pop_back();
    }
  }
  try {
    if (db == nullptr) {
      db = std::make_unique<Xapian::Database>(dir_, Xapian::DB_BACKEND_GLASS);
    } else if (seen != generation) {
      db->reopen();
    }
  } catch (const Xapian::Error& e) {
    return XapianErrorStatus("opening a reader", e);
  }
  return Reader(this, std::move(db), generation);
}

void CableIndex::Release(std::unique_ptr<Xapian::Database> db,
                         uint64_t generation) {
  absl::MutexLock lock(&mu_);
  pool_.push_back({std::move(db), generation});
}

int64_t CableIndex::SizeBytes() const {
  int64_t total = 0;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir_, ec)) {
    if (entry.is_regular_file(ec)) {
      total += static_cast<int64_t>(entry.file_size(ec));
    }
  }
  return total;
}

}  // namespace cables::search::index
