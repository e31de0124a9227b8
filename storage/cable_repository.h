// CableRepository: what the services store and read about cables.
//
// An abstract interface so services can be tested with fakes; the
// PostgreSQL implementation is PgCableRepository (pg_cable_repository.h).
// Results are our own structs and cables.v1 messages, never database types.
//
// Versions: a cable's content is identified by Cable.content_sha256 (set by
// the parser). Writing content the archive already holds for that canonical
// id -- in any of its versions -- changes nothing and reports kUnchanged;
// writing new content appends version current+1 and makes it current. Nothing
// is ever overwritten: every version stays readable.
//
// Implementations are thread-safe.
#ifndef CABLES_STORAGE_CABLE_REPOSITORY_H_
#define CABLES_STORAGE_CABLE_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "cables/v1/cable.pb.h"
#include "storage/cable_filter.h"

namespace cables::storage {

enum class UpsertOutcome { kCreated, kNewVersion, kUnchanged };

// "created", "new_version", "unchanged".
absl::string_view UpsertOutcomeName(UpsertOutcome outcome);

struct UpsertResult {
  std::string canonical_id;
  UpsertOutcome outcome = UpsertOutcome::kUnchanged;
  // The version holding this content (for kUnchanged: the existing one).
  int version = 0;
};

enum class SortOrder { kNewestFirst, kOldestFirst };

// What ListCables orders by (then by canonical id, in the same direction).
// Cables without the date sort before all dated ones in ascending order.
enum class SortKey { kCreated, kReleased, kId };

struct ListCablesRequest {
  CableFilter filter;
  SortOrder order = SortOrder::kNewestFirst;
  SortKey sort_key = SortKey::kCreated;
  // 1..1000; 0 means 50.
  int page_size = 0;
  // Empty for the first page, else a ListCablesResponse.next_page_token of the
  // same filter and order.
  std::string page_token;
};

struct ListCablesResponse {
  // Current versions WITHOUT header, body and paragraphs (every other field
  // set, version included).
  std::vector<cables::v1::Cable> cables;
  // Empty on the last page.
  std::string next_page_token;
};

struct FacetValue {
  std::string value;
  int64_t count = 0;
};

struct FacetCounts {
  int64_t total = 0;  // cables matching the filter
  // Each sorted by count (descending), then value; at most `limit` entries.
  std::vector<FacetValue> origins;
  std::vector<FacetValue> classifications;
  std::vector<FacetValue> caveats;
  std::vector<FacetValue> tags;
  // Years of `created` ("2005"), sorted by year ascending, never truncated.
  std::vector<FacetValue> years;
};

// One REF entry of a cable, with the cited cable's headline when the archive
// holds it.
struct ReferenceInfo {
  cables::v1::Reference reference;
  bool in_archive = false;
  std::string cited_subject;
  std::optional<absl::Time> cited_created;
};

// A cable whose current version cites a given cable.
struct CitingCable {
  std::string canonical_id;
  std::string subject;
  std::optional<absl::Time> created;
  std::string letter;  // the REF letter under which it cites
};

// One page of the cables citing a cable.
struct CitedByPage {
  std::vector<CitingCable> cables;
  // Empty on the last page, else the page_token of the next one.
  std::string next_page_token;
  int64_t total = 0;  // every citing cable, over all pages
};

struct VersionInfo {
  int version = 0;
  std::string content_sha256;
  std::string source;
  cables::v1::SourceFormat source_format =
      cables::v1::SOURCE_FORMAT_UNSPECIFIED;
  absl::Time ingested_at;
  bool current = false;
};

// One entry of the change log (migration 0004).
enum class ChangeKind { kCreated = 1, kNewVersion = 2, kDeleted = 3 };
struct ChangeRecord {
  int64_t position = 0;
  std::string canonical_id;
  int version = 0;
  ChangeKind kind = ChangeKind::kCreated;
  std::string content_sha256;
  absl::Time changed_at;
};

// --- Provenance (PREMIS events, migration 0006) -----------------------------

// PREMIS event types (LoC vocabulary).
enum class EventType {
  kIngestion = 1,
  kMessageDigestCalculation = 2,
  kFixityCheck = 3,
  kValidation = 4,
  kMetadataModification = 5,
  kDeletion = 6,
};

// The PREMIS name as stored: "ingestion", "message digest calculation",
// "fixity check", "validation", "metadata modification", "deletion".
inline absl::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kIngestion:
      return "ingestion";
    case EventType::kMessageDigestCalculation:
      return "message digest calculation";
    case EventType::kFixityCheck:
      return "fixity check";
    case EventType::kValidation:
      return "validation";
    case EventType::kMetadataModification:
      return "metadata modification";
    case EventType::kDeletion:
      return "deletion";
  }
  return "";
}

// EventTypeName's inverse; nullopt for an unknown name.
inline std::optional<EventType> EventTypeFromName(absl::string_view name) {
  for (int t = 1; t <= 6; ++t) {
    if (EventTypeName(static_cast<EventType>(t)) == name) {
      return static_cast<EventType>(t);
    }
  }
  return std::nullopt;
}

// One recorded event of a cable version.
struct CableEvent {
  int64_t event_id = 0;  // archive-wide, increasing (set by the database)
  std::string canonical_id;
  int version = 0;
  EventType type = EventType::kIngestion;
  absl::Time time;  // set by the database (the recording transaction's time)
  bool success = true;
  std::string detail;  // PREMIS eventOutcomeDetail
  std::string agent;   // software and version, e.g. "cables-ingest 0.1.0"
};

// Provenance of a write. Every cable a write stores (created or new
// version) gets an "ingestion" and a "message digest calculation" event (a
// new version also "metadata modification"), with `agent`; every cable of
// the write, stored or unchanged, also gets each of `extra_events`, linked
// to the version holding its content, with the cable's source appended to
// the detail. All in the write's transaction.
struct WriteProvenance {
  // "" means the repository's default (PgCableRepository: the connection
  // pool's application_name).
  std::string agent;
  struct Event {
    EventType type = EventType::kValidation;
    bool success = true;
    std::string detail;
  };
  std::vector<Event> extra_events;
  // When not empty: one source per cable of the write (same length as the
  // cables), recorded instead of the write's `source` argument.
  std::vector<std::string> sources;
  // Store the cables without their PostgreSQL full-text vector (migration
  // 0007): several times faster for bulk imports. They are retrievable at
  // once; the PostgreSQL full-text search finds them after
  // the search service has filled them (storage/search/
  // pg_search_vector_filler.h).
  bool defer_search_vectors = false;
};

struct ListEventsRequest {
  // A cable (anything ResolveId understands); "" for every cable.
  std::string canonical_id;
  std::optional<EventType> type;  // only this type
  std::optional<bool> success;    // only this outcome
  int version = 0;                // only this version (0: any)
  int64_t after_event_id = 0;     // keyset: events with larger ids
  int limit = 50;                 // 1..10000
};

// One stored version as a fixity check reads it.
struct StoredVersion {
  std::string canonical_id;
  int version = 0;
  std::string content_sha256;
  std::string content_sha512;  // "" when not recorded (NULL)
  // The stored content (header, body and the serialized rest, without
  // paragraphs); `content_status` is kDataLoss when the serialized rest does
  // not parse (then `cable` holds only id, version, header and body).
  cables::v1::Cable cable;
  absl::Status content_status;
};

// A missing SHA-512 to fill in: applied only when the stored SHA-256 still
// equals `content_sha256` and no SHA-512 is stored.
struct Sha512Repair {
  std::string canonical_id;
  int version = 0;
  std::string content_sha256;
  std::string content_sha512;
};

// A deletion (migration 0005).
struct Tombstone {
  std::string canonical_id;
  int version = 0;  // the version current when deleted
  std::string content_sha256;
  std::string reason;
  absl::Time deleted_at;
  int64_t position = 0;  // the deletion's change-log position
};

class CableRepository {
 public:
  virtual ~CableRepository() = default;

  // --- Writes -------------------------------------------------------------

  // Stores one parsed cable in one transaction. `source` says where it came
  // from (file name, request id). Errors: kInvalidArgument when canonical_id
  // is empty or content_sha256 is not 64 lower-case hex digits;
  // kUnavailable/kAborted when retries are exhausted. Safe to call
  // concurrently for the same cable: exactly one row, no lost version.
  virtual absl::StatusOr<UpsertResult> UpsertCable(
      const cables::v1::Cable& cable, absl::string_view source) = 0;

  // Stores a batch atomically: either every cable is stored (results in
  // input order) or none is. A cable may occur several times in a batch;
  // occurrences are applied in order.
  virtual absl::StatusOr<std::vector<UpsertResult>> BulkUpsert(
      absl::Span<const cables::v1::Cable> cables, absl::string_view source) = 0;

  // --- Reads --------------------------------------------------------------

  // The canonical id that `id` names: itself when stored, else a recorded
  // alias (reference id as written), else its canonical form (cable_id.h)
  // when that is stored. kNotFound otherwise.
  virtual absl::StatusOr<std::string> ResolveId(absl::string_view id) = 0;

  // The current version, complete (header, body, paragraphs; `version` set),
  // looked up through ResolveId. kNotFound when absent.
  virtual absl::StatusOr<cables::v1::Cable> GetCable(absl::string_view id) = 0;

  // Complete current versions of `ids` (resolved as in GetCable), in request
  // order; nullopt for the ones not found. At most 1000 ids.
  virtual absl::StatusOr<std::vector<std::optional<cables::v1::Cable>>>
  BatchGetCables(absl::Span<const std::string> ids) = 0;

  // A page of cables matching the filter, ordered by created date (then
  // canonical id), with keyset pagination. kInvalidArgument for a bad page
  // size or a token from another query.
  virtual absl::StatusOr<ListCablesResponse> ListCables(
      const ListCablesRequest& request) = 0;

  // Counts of cables matching `filter` per origin, classification, caveat,
  // tag (top `limit` of each) and year.
  virtual absl::StatusOr<FacetCounts> GetFacetCounts(const CableFilter& filter,
                                                     int limit) = 0;

  // The REF entries of the cable's current version in order. kNotFound when
  // the cable is absent.
  virtual absl::StatusOr<std::vector<ReferenceInfo>> GetReferences(
      absl::string_view id) = 0;

  // Cables citing `id` (canonical id, or anything ResolveId understands),
  // newest first (then by id, descending), at most `limit` per page, after
  // `page_token` (empty: the first page; else a next_page_token of an earlier
  // call for the same cable, otherwise kInvalidArgument). Keyset-paged, so
  // stable while cables are added. Works whether or not `id` itself is in
  // the archive; empty when nothing cites it.
  virtual absl::StatusOr<CitedByPage> GetCitedBy(
      absl::string_view id, int limit, absl::string_view page_token) = 0;

  // All versions, oldest first. kNotFound when the cable is absent.
  virtual absl::StatusOr<std::vector<VersionInfo>> ListVersions(
      absl::string_view id) = 0;

  // One version's complete content. kNotFound when absent.
  virtual absl::StatusOr<cables::v1::Cable> GetVersion(absl::string_view id,
                                                       int version) = 0;

  // --- The change log ------------------------------------------------------

  // Changes with position > `after`, in commit order, at most `limit`
  // (1..10000, else kInvalidArgument). Positions only grow; gaps are normal.
  // A reader that saw position p never later finds a new change <= p, so
  // polling with the last position seen misses nothing and repeats nothing.
  virtual absl::StatusOr<std::vector<ChangeRecord>> ListChanges(int64_t after,
                                                                int limit) = 0;

  // The largest position in the change log (0 when empty).
  virtual absl::StatusOr<int64_t> LastChangePosition() = 0;

  // --- Deletions (migration 0005) -------------------------------------------
  // The defaults (for fakes) are kUnimplemented and "no tombstone".

  // Deletes the cable `id` names (as GetCable resolves it): it leaves every
  // listing, facet count and search, its versions stay stored, a tombstone
  // records `reason` and the time, and a kDeleted change is appended in the
  // same transaction. Writing the cable again later revives it (kCreated,
  // with the version already holding that content, else a new one).
  // kNotFound when no live cable has that name (for a deleted one the
  // message says so; GetTombstone tells).
  virtual absl::StatusOr<Tombstone> DeleteCable(absl::string_view id,
                                                absl::string_view reason) {
    (void)id, (void)reason;
    return absl::UnimplementedError("DeleteCable");
  }

  // The latest tombstone of the cable `id` names (canonical id, recorded
  // alias or canonical form) when that cable is deleted now; nullopt when it
  // is live or was never stored.
  virtual absl::StatusOr<std::optional<Tombstone>> GetTombstone(
      absl::string_view id) {
    (void)id;
    return std::optional<Tombstone>();
  }

  // --- Bulk imports ---------------------------------------------------------

  // Large imports call BeginBulkLoad() before their first batch and
  // EndBulkLoad() after the last. In between, the expensive full-text index
  // is not maintained per batch; EndBulkLoad() rebuilds it in one pass and
  // refreshes planner statistics. Data written in between is complete and
  // readable at once (full-text queries fall back to scanning), and every
  // batch stays atomic. Both are idempotent and crash-safe: the deferred
  // index's definition is kept in the database, and EndBulkLoad() after a
  // crashed import restores it. Writers block while the index is rebuilt.
  // The defaults (for fakes) do nothing.
  virtual absl::Status BeginBulkLoad() { return absl::OkStatus(); }
  virtual absl::Status EndBulkLoad() { return absl::OkStatus(); }

  // OK when the database answers (health checks).
  virtual absl::Status Ping() { return absl::OkStatus(); }

  // --- Idempotent ingest requests -----------------------------------------

  // The response recorded for `request_id`, nullopt when none is.
  virtual absl::StatusOr<std::optional<std::string>> LookupIngestRequest(
      absl::string_view request_id) = 0;

  // Records the response of `request_id`. kAlreadyExists when one is
  // already recorded (the first one wins).
  virtual absl::Status RecordIngestRequest(absl::string_view request_id,
                                           absl::string_view response) = 0;

  // --- Fixity and provenance (migration 0006) ------------------------------
  // The defaults (for fakes) are kUnimplemented, except
  // BulkUpsertWithProvenance, which ignores the provenance.

  // BulkUpsert that records `provenance` (see WriteProvenance) in the same
  // transaction. BulkUpsert records the default provenance.
  virtual absl::StatusOr<std::vector<UpsertResult>> BulkUpsertWithProvenance(
      absl::Span<const cables::v1::Cable> cables, absl::string_view source,
      const WriteProvenance& provenance) {
    (void)provenance;
    return BulkUpsert(cables, source);
  }

  // Events matching `request`, by event id ascending. kNotFound when
  // request.canonical_id names no stored cable; kInvalidArgument for a
  // limit outside 1..10000.
  virtual absl::StatusOr<std::vector<CableEvent>> ListEvents(
      const ListEventsRequest& request) {
    (void)request;
    return absl::UnimplementedError("ListEvents");
  }

  // Appends events (event_id and time are assigned) in one transaction.
  // kInvalidArgument when one has no canonical id or agent.
  virtual absl::Status RecordEvents(absl::Span<const CableEvent> events) {
    (void)events;
    return absl::UnimplementedError("RecordEvents");
  }

  // Up to `limit` (1..5000) stored versions after (after_id, after_version)
  // in (canonical_id, version) order; ("", 0) starts at the beginning.
  virtual absl::StatusOr<std::vector<StoredVersion>> ScanVersions(
      absl::string_view after_id, int after_version, int limit) {
    (void)after_id, (void)after_version, (void)limit;
    return absl::UnimplementedError("ScanVersions");
  }

  // Number of stored versions.
  virtual absl::StatusOr<int64_t> CountVersions() {
    return absl::UnimplementedError("CountVersions");
  }

  // Fills in missing SHA-512 digests (see Sha512Repair) and records a
  // "message digest calculation" event by `agent` for each, in one
  // transaction. Returns how many were filled in.
  virtual absl::StatusOr<int64_t> RepairContentSha512(
      absl::Span<const Sha512Repair> repairs, absl::string_view agent) {
    (void)repairs, (void)agent;
    return absl::UnimplementedError("RepairContentSha512");
  }
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_CABLE_REPOSITORY_H_
