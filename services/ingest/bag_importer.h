// BagImporter: IngestService.ImportBag's logic. Reads a bag's archive
// (bagit/archive_reader.h), verifies the whole bag (bagit/bag_verifier.h),
// parses every payload file into cables -- and only when all of that
// succeeds stores every cable in ONE repository write (one transaction:
// all or nothing) with source "<bag name>/<payload path>" and, per cable,
// a "validation" event naming the bag and the manifests verified.
//
// Errors: kInvalidArgument (BadRequest: one field violation per failing
// file, field = its path in the bag) for an unreadable archive, an invalid
// bag or a payload file that does not parse as cables (reason
// INVALID_BAG / UNPARSEABLE_CABLE); kResourceExhausted when the archive
// or the bag exceeds the limits; the repository's errors pass through.
// Nothing is stored on any error.
//
// Thread-safe (the repository is); blocking: call from a worker thread.
#ifndef CABLES_SERVICES_INGEST_BAG_IMPORTER_H_
#define CABLES_SERVICES_INGEST_BAG_IMPORTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cables/v1/ingest_service.pb.h"
#include "services/ingest/bagit/archive_reader.h"
#include "storage/cable_repository.h"

namespace cables::ingest {

struct BagImportOptions {
  // Bounds on what an archive may unpack to (held in memory while the bag
  // is verified and parsed).
  bagit::ReadLimits limits = {uint64_t{64} << 20, uint64_t{512} << 20, 200000};
  // Cables one bag may hold (they are stored in one transaction).
  int max_cables = 50000;
};

class BagImporter final {
 public:
  // `repository` must outlive the importer; `agent` names the software in
  // the events.
  BagImporter(storage::CableRepository* repository, std::string agent,
              BagImportOptions options = {})
      : repository_(repository),
        agent_(std::move(agent)),
        options_(std::move(options)) {}

  // `archive`: a tar, tar.gz or zip of the bag. `bag_name` is used when the
  // bag is not inside a top-level directory ("" means "bag").
  absl::StatusOr<cables::v1::ImportBagResponse> ImportArchive(
      absl::string_view archive, absl::string_view bag_name) const;

  // The same for a container already read (e.g. a directory).
  absl::StatusOr<cables::v1::ImportBagResponse> ImportEntries(
      std::vector<bagit::ArchiveEntry> entries,
      absl::string_view bag_name) const;

  const BagImportOptions& options() const { return options_; }

 private:
  storage::CableRepository* const repository_;
  const std::string agent_;
  const BagImportOptions options_;
};

}  // namespace cables::ingest

#endif  // CABLES_SERVICES_INGEST_BAG_IMPORTER_H_
