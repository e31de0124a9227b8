// ListCableEvents (metadata_service.proto): PREMIS-style provenance events
// of a cable, or of every cable, oldest first, with AIP-158 paging.
//
// parent: "cables/{id}" (any form CanonicalIdFromName accepts) or
// "cables/-" for every cable. filter: conditions joined by AND, each
// `event_type = X` (FIXITY_CHECK or "fixity check"), `outcome = X`
// (SUCCESS/FAILURE) or `version = N`; anything else is kInvalidArgument
// with a BadRequest on "filter". page_size: 0 means 50, above 1000 is
// capped, negative is kInvalidArgument. page_token: opaque, bound to the
// parent and filter it came from (kInvalidArgument otherwise). An absent
// cable is kNotFound.
//
// Thread-safe (the repository is); blocking: call from a worker thread.
#ifndef CABLES_SERVICES_METADATA_CABLE_EVENTS_H_
#define CABLES_SERVICES_METADATA_CABLE_EVENTS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cables/v1/metadata_service.pb.h"
#include "storage/cable_repository.h"

namespace cables::metadata {

absl::StatusOr<cables::v1::ListCableEventsResponse> ListCableEvents(
    storage::CableRepository& repository,
    const cables::v1::ListCableEventsRequest& request);

// The filter's conditions applied to `out` (exposed for tests).
absl::Status ParseEventFilter(absl::string_view filter,
                              storage::ListEventsRequest* out);

// The proto form of a stored event.
cables::v1::CableEvent ToProtoEvent(const storage::CableEvent& event);

}  // namespace cables::metadata

#endif  // CABLES_SERVICES_METADATA_CABLE_EVENTS_H_
