// MetadataCatalog: the metadata service's logic (proto/cables/v1/
// metadata_service.proto) over a CableRepository, free of gRPC.
//
// Names: "cables/{id}" or a bare id, in any form CanonicalizeCableId
// understands; responses carry "cables/{canonical_id}". A name that cannot
// be a cable id is kInvalidArgument with a BadRequest on the request field;
// a cable that is absent is kNotFound naming the canonical id.
//
// read_mask: fields not in the mask are cleared; `name` is always set.
// Limits: BatchGetCables takes at most 100 names (kInvalidArgument beyond);
// list page sizes: 0 means 50, values above 1000 are capped, negatives are
// kInvalidArgument. ListCables orders by "created desc" (default) or
// "created"; "released" and "id" are kInvalidArgument "not supported yet".
// BrowseCables fills `months` only when given a MonthCounts.
//
// Thread-safe (the repository is). Every method blocks on the database: call
// it from a worker thread, never a gRPC reactor. The repository must outlive
// the catalog.
#ifndef CABLES_SERVICES_METADATA_METADATA_CATALOG_H_
#define CABLES_SERVICES_METADATA_METADATA_CATALOG_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cables/v1/metadata_service.pb.h"
#include "services/metadata/cable_cache.h"
#include "storage/cable_repository.h"
#include "storage/metadata/month_counts.h"

namespace cables::metadata {

inline constexpr int kMaxBatchGet = 100;
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;
// Export pages carrying cables' text.
inline constexpr int kExportTextPageSize = 100;

// One page of the change feed (WatchCables).
struct ChangePage {
  // The changes of the requested kinds, in commit order.
  std::vector<cables::v1::ChangeEvent> events;
  // The position to continue after: the last change read (of any kind);
  // the request's position when nothing was read.
  int64_t next_after = 0;
  // True when the log may hold more changes right now (read again at once
  // rather than after the poll interval).
  bool more = false;
};

// One page of an export.
struct ExportPage {
  std::vector<cables::v1::Cable> cables;
  std::string next_page_token;  // empty on the last page
};

class MetadataCatalog {
 public:
  // `months` may be null (BrowseCables then leaves months empty); both must
  // outlive the catalog.
  explicit MetadataCatalog(storage::CableRepository* repository,
                           storage::MonthCounts* months = nullptr)
      : repository_(repository), writer_(repository), months_(months) {}

  // Where writes (DeleteCable) go when `repository` reads from a read
  // replica; not owned. Call before serving.
  void set_writer(storage::CableRepository* writer) { writer_ = writer; }

  // GetCable and BatchGetCables answer current versions asked for by their
  // canonical id from `cache` (not owned; see cable_cache.h for its
  // staleness bound) and fill it on misses. Call before serving.
  void set_cache(CableCache* cache) { cache_ = cache; }

  absl::StatusOr<cables::v1::Cable> GetCable(
      const cables::v1::GetCableRequest& request) const;
  // GetCable's answer, serialized (a cables.v1.Cable message), when the
  // cable cache holds it (a valid request for the current version by
  // canonical id); nullopt otherwise -- then call ReadCable. Without a read
  // mask these are the cached bytes themselves (no parse, no
  // serialization). Never touches the database, so it may run on a gRPC
  // reactor.
  std::optional<std::string> GetCachedCableBytes(
      const cables::v1::GetCableRequest& request) const;
  // GetCable without asking the cache (call it after GetCachedCableBytes
  // missed); still fills the cache.
  absl::StatusOr<cables::v1::Cable> ReadCable(
      const cables::v1::GetCableRequest& request) const;
  absl::StatusOr<cables::v1::BatchGetCablesResponse> BatchGetCables(
      const cables::v1::BatchGetCablesRequest& request) const;
  absl::StatusOr<cables::v1::ListCablesResponse> ListCables(
      const cables::v1::ListCablesRequest& request) const;
  absl::StatusOr<cables::v1::BrowseCablesResponse> BrowseCables(
      const cables::v1::BrowseCablesRequest& request) const;
  absl::StatusOr<cables::v1::ListCableReferencesResponse> ListCableReferences(
      const cables::v1::ListCableReferencesRequest& request) const;
  absl::StatusOr<cables::v1::ListCitingCablesResponse> ListCitingCables(
      const cables::v1::ListCitingCablesRequest& request) const;
  absl::StatusOr<cables::v1::ListCableVersionsResponse> ListCableVersions(
      const cables::v1::ListCableVersionsRequest& request) const;
  absl::StatusOr<cables::v1::DiffCableVersionsResponse> DiffCableVersions(
      const cables::v1::DiffCableVersionsRequest& request) const;
  absl::StatusOr<cables::v1::CableParagraph> GetParagraph(
      const cables::v1::GetParagraphRequest& request) const;
  // PREMIS-style provenance events (cable_events.h).
  absl::StatusOr<cables::v1::ListCableEventsResponse> ListCableEvents(
      const cables::v1::ListCableEventsRequest& request) const;

  // DeleteCable (see metadata_service.proto). A name that cannot be a cable
  // id is kInvalidArgument; an absent cable kNotFound (ErrorInfo reason
  // CABLE_DELETED when it is deleted).
  absl::StatusOr<cables::v1::CableTombstone> DeleteCable(
      const cables::v1::DeleteCableRequest& request) const;

  // WatchCables: validates `request` (kInvalidArgument with a BadRequest)
  // and returns the position to stream after (the latest one for
  // start_from_now).
  absl::StatusOr<int64_t> WatchStart(
      const cables::v1::WatchCablesRequest& request) const;
  // The next page (at most `limit` changes read, 1..10000) of the feed after
  // `after`, filtered by the request's kinds.
  absl::StatusOr<ChangePage> WatchPage(
      const cables::v1::WatchCablesRequest& request, int64_t after,
      int limit) const;

  // One page (up to kExportTextPageSize complete cables, or kMaxPageSize when
  // the read_mask leaves out the text; read_mask applied) of an
  // export; pass the previous page's next_page_token, "" to start.
  absl::StatusOr<ExportPage> Export(
      const cables::v1::ExportCablesRequest& request,
      const std::string& page_token) const;

 private:
  // The canonical id under which `request` may be answered from the cache
  // (a valid request for the current version, named by its canonical id);
  // nullopt when it may not.
  std::optional<std::string> CachedId(
      const cables::v1::GetCableRequest& request) const;

  // The number of cables matching `filter` (parsed from `filter_text`),
  // cached until the next change.
  absl::StatusOr<int64_t> CountMatching(
      absl::string_view filter_text, const storage::CableFilter& filter) const;

  storage::CableRepository* const repository_;
  storage::CableRepository* writer_;
  storage::MonthCounts* const months_;
  CableCache* cache_ = nullptr;
};

// "cables/{id}" or a bare id -> the canonical id. kInvalidArgument with a
// BadRequest on `field` when it cannot be a cable id. Pure.
absl::StatusOr<std::string> CanonicalIdFromName(absl::string_view name,
                                                absl::string_view field);

}  // namespace cables::metadata

#endif  // CABLES_SERVICES_METADATA_METADATA_CATALOG_H_
