// RecordStore: the archive as a set of harvestable records (OAI-PMH,
// services/oai/): every cable ever stored, live or deleted, with its
// datestamp -- the time of its latest change (create, new version,
// deletion) in the change log -- and its set membership (origin, created
// year, TAGS). Backed by migration 0005's cable_records; PgRecordStore is
// the PostgreSQL implementation (pg_record_store.h).
//
// Listing order is (datestamp, position): a keyset that stays stable while
// the archive is unchanged, and a changed record moves to the end.
//
// Implementations are thread-safe; every method blocks on the database.
#ifndef CABLES_STORAGE_METADATA_RECORD_STORE_H_
#define CABLES_STORAGE_METADATA_RECORD_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cables/v1/cable.pb.h"

namespace cables::storage {

struct RecordHeader {
  std::string canonical_id;
  int64_t position = 0;  // change-log position of the latest change
  absl::Time datestamp;  // its time
  bool deleted = false;
  // Set membership: of the current version, or of the deleted one.
  std::string origin;
  std::optional<absl::Time> created;
  std::vector<std::string> tags;
  // With metadata and not deleted: the current version WITHOUT header, body
  // and paragraphs (canonical_id and version set).
  std::optional<cables::v1::Cable> cable;
};

// Which set a query is restricted to.
struct RecordSet {
  enum class Kind {
    kAll,
    kAnyOrigin,  // origin is not empty
    kOrigins,    // origin is one of `values`
    kAnyYear,    // created is known
    kYear,       // created (UTC) in `year`
    kAnyTag,     // at least one tag
    kTags,       // at least one of `values` among the tags
  };
  Kind kind = Kind::kAll;
  std::vector<std::string> values;
  int year = 0;
};

struct RecordQuery {
  std::optional<absl::Time> from;   // datestamp >= from
  std::optional<absl::Time> until;  // datestamp < until
  RecordSet set;
  // Keyset: records after (after_datestamp, after_position).
  bool has_cursor = false;
  absl::Time after_datestamp;
  int64_t after_position = 0;
  int limit = 100;  // 1..1000
  bool with_metadata = false;
};

// The values sets are made of, each distinct and sorted.
struct RecordSetValues {
  std::vector<std::string> origins;
  std::vector<int> years;
  std::vector<std::string> tags;
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // Records matching `query` in (datestamp, position) order, at most
  // query.limit. kInvalidArgument for a limit outside 1..1000.
  virtual absl::StatusOr<std::vector<RecordHeader>> ListRecords(
      const RecordQuery& query) = 0;

  // How many records match `query` (its cursor and limit ignored).
  virtual absl::StatusOr<int64_t> CountRecords(const RecordQuery& query) = 0;

  // The record of `canonical_id` (exact), nullopt when never stored.
  virtual absl::StatusOr<std::optional<RecordHeader>> GetRecord(
      absl::string_view canonical_id, bool with_metadata) = 0;

  // The smallest datestamp, nullopt when there are no records.
  virtual absl::StatusOr<std::optional<absl::Time>> EarliestDatestamp() = 0;

  virtual absl::StatusOr<RecordSetValues> ListSetValues() = 0;

  // A time T such that every change stamped before T has committed and is
  // visible to reads that start after this call returns (changes committing
  // later are stamped after T). A harvest that reports T as its
  // responseDate can resume "from T" without missing anything.
  virtual absl::StatusOr<absl::Time> CommittedBefore() = 0;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_METADATA_RECORD_STORE_H_
