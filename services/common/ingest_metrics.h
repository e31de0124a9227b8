// Ingest counters on the process-wide metrics registry:
//   cables_ingested_total{outcome="created|new_version|unchanged|rejected"}
//   cables_ingested_bytes_total   (document bytes received for ingest)
// Called by the ingest service's gRPC adapter after each IngestCable and
// each committed ImportCables batch. Thread-safe.
#ifndef CABLES_SERVICES_COMMON_INGEST_METRICS_H_
#define CABLES_SERVICES_COMMON_INGEST_METRICS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "cables/v1/ingest_service.pb.h"

namespace cables {

// One IngestCable call: its outcome, or "rejected" when the document was
// refused as invalid (INVALID_ARGUMENT). Other failures (database) count
// nothing.
void CountIngestCable(
    const cables::v1::IngestCableRequest& request,
    const absl::StatusOr<cables::v1::IngestCableResponse>& result);

// One committed ImportCables batch: each item's outcome.
void CountImportBatch(
    const std::vector<cables::v1::ImportCablesRequest::Document>& batch,
    const cables::v1::ImportCablesResponse& response);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_INGEST_METRICS_H_
