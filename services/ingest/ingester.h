// Ingester: the ingest service's logic, apart from gRPC wiring. Parses
// documents, stores cables through a CableRepository, and makes requests
// idempotent.
//
// Errors: kInvalidArgument (with a BadRequest detail naming the field or
// row) for input that does not parse; the repository's kUnavailable /
// kAborted / kDeadlineExceeded pass through unchanged.
//
// Thread-safe when the repository is; blocking (runs database calls), so
// call it from a worker thread, never from a gRPC reactor.
#ifndef CABLES_SERVICES_INGEST_INGESTER_H_
#define CABLES_SERVICES_INGEST_INGESTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cables/v1/ingest_service.pb.h"
#include "services/ingest/bag_importer.h"
#include "services/ingest/fixity_checker.h"
#include "storage/cable_repository.h"

namespace cables::ingest {

class Ingester final {
 public:
  // `repository` must outlive the Ingester.
  explicit Ingester(storage::CableRepository* repository,
                    BagImportOptions bag_options = {});

  // Parses and stores one cable. A request_id seen before returns the
  // response recorded for it without storing anything.
  absl::StatusOr<cables::v1::IngestCableResponse> IngestCable(
      const cables::v1::IngestCableRequest& request);

  // Parses the documents and stores every good cable in one atomic batch.
  // Rejected items are reported, not stored; on a storage error nothing of
  // the batch is stored and the error is returned. The response's
  // acknowledged_position is the highest position of `documents`.
  // `defer_search_vectors`: see WriteProvenance.
  absl::StatusOr<cables::v1::ImportCablesResponse> ImportBatch(
      const std::vector<cables::v1::ImportCablesRequest::Document>& documents,
      bool defer_search_vectors = false);

  // BagIt import (bag_importer.h) and fixity checks (fixity_checker.h),
  // recording events as IngestAgent().
  const BagImporter& bags() const { return bags_; }
  const FixityChecker& fixity() const { return fixity_; }

 private:
  storage::CableRepository* const repository_;
  const storage::WriteProvenance provenance_;
  const BagImporter bags_;
  const FixityChecker fixity_;
};

// "cables-ingest <project version>": the agent of this service's events.
std::string IngestAgent();

// The IngestOutcome of a repository outcome.
cables::v1::IngestOutcome ToIngestOutcome(storage::UpsertOutcome outcome);

}  // namespace cables::ingest

#endif  // CABLES_SERVICES_INGEST_INGESTER_H_
