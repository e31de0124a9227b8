#include "services/ingest/bag_importer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/error_details.h"
#include "services/common/status_macros.h"
#include "services/ingest/bagit/bag_verifier.h"
#include "services/ingest/document_items.h"
#include "services/ingest/ingester.h"
#include "services/ingest/parser/cable_id.h"

namespace cables::ingest {
namespace {

constexpr size_t kMaxViolations = 100;

// The payload file's name without directory and extension, when it is a
// cable id ("data/2008/06/08DAMASCUS427.html" -> "08DAMASCUS427"): context
// for text fragments that do not state their id.
std::string IdHintFromPath(absl::string_view path) {
  const size_t slash = path.rfind('/');
  absl::string_view stem =
      slash == absl::string_view::npos ? path : path.substr(slash + 1);
  stem = stem.substr(0, stem.find('.'));
  return parser::CanonicalizeCableId(stem).ok() ? std::string(stem) : "";
}

// "BagIt bag "x" (BagIt-Version 1.0) complete and valid: ...".
std::string ValidationDetail(const bagit::VerifiedBag& bag) {
  std::vector<std::string> manifests;
  for (const bagit::Algorithm a : bag.payload_manifests) {
    manifests.push_back(
        absl::StrCat("manifest-", bagit::AlgorithmName(a), ".txt"));
  }
  for (const bagit::Algorithm a : bag.tag_manifests) {
    manifests.push_back(
        absl::StrCat("tagmanifest-", bagit::AlgorithmName(a), ".txt"));
  }
  return absl::StrCat(
      "BagIt bag \"", bag.name, "\" (BagIt-Version ", bag.declaration.version,
      ") complete and valid: ", bag.payload.size(), " payload files, ",
      bag.payload_bytes, " bytes; every checksum verified (",
      absl::StrJoin(manifests, ", "), "; strongest ",
      bagit::AlgorithmName(bag.algorithm), ")");
}

}  // namespace

absl::StatusOr<cables::v1::ImportBagResponse> BagImporter::ImportArchive(
    absl::string_view archive, absl::string_view bag_name) const {
  CABLES_ASSIGN_OR_RETURN(std::vector<bagit::ArchiveEntry> entries,
                          bagit::ReadArchive(archive, options_.limits));
  return ImportEntries(std::move(entries), bag_name);
}

absl::StatusOr<cables::v1::ImportBagResponse> BagImporter::ImportEntries(
    std::vector<bagit::ArchiveEntry> entries,
    absl::string_view bag_name) const {
  bagit::VerifyOptions verify;
  verify.name = std::string(bag_name);
  verify.max_violations = kMaxViolations;
  CABLES_ASSIGN_OR_RETURN(bagit::VerifiedBag bag,
                          bagit::VerifyBag(std::move(entries), verify));

  // Every payload file must parse before anything is stored.
  cables::v1::ImportBagResponse response;
  std::vector<cables::v1::Cable> cables;
  storage::WriteProvenance provenance;
  provenance.agent = agent_;
  absl::Status problems = absl::OkStatus();
  size_t problem_count = 0;
  for (size_t i = 0; i < bag.payload.size(); ++i) {
    const bagit::PayloadFile& file = bag.payload[i];
    parser::ParseOptions options;
    options.id_hint = IdHintFromPath(file.path);
    for (DocumentItem& item : ParseDocumentItems(file.data, options)) {
      if (item.status.ok() && item.cable.canonical_id().empty()) {
        item.status = absl::InvalidArgumentError("no cable id found");
      }
      if (!item.status.ok()) {
        const std::string where =
            item.row > 0 ? absl::StrCat("row ", item.row, ": ") : "";
        if (problem_count++ == 0) {
          problems = absl::InvalidArgumentError(absl::StrCat(
              "bag \"", bag.name, "\": payload file ", file.path,
              " does not parse as a cable: ", where, item.status.message()));
          SetErrorReason(&problems, "UNPARSEABLE_CABLE");
        }
        if (problem_count <= kMaxViolations) {
          AddFieldViolation(&problems, file.path,
                            absl::StrCat(where, item.status.message()));
        }
        continue;
      }
      auto* result = response.add_results();
      result->set_position(static_cast<int64_t>(i) + 1);
      result->set_row(item.row);
      result->set_source(absl::StrCat(bag.name, "/", file.path));
      result->set_canonical_id(item.cable.canonical_id());
      provenance.sources.push_back(result->source());
      cables.push_back(std::move(item.cable));
    }
  }
  if (!problems.ok()) return problems;
  if (static_cast<int>(cables.size()) > options_.max_cables) {
    return absl::ResourceExhaustedError(
        absl::StrCat("bag \"", bag.name, "\" holds ", cables.size(),
                     " cables; at most ", options_.max_cables, " per bag"));
  }

  provenance.extra_events.push_back(
      {storage::EventType::kValidation, true, ValidationDetail(bag)});
  CABLES_ASSIGN_OR_RETURN(
      std::vector<storage::UpsertResult> stored,
      repository_->BulkUpsertWithProvenance(cables, bag.name, provenance));
  for (size_t i = 0; i < stored.size(); ++i) {
    auto* result = response.mutable_results(static_cast<int>(i));
    result->set_canonical_id(stored[i].canonical_id);
    result->set_outcome(ToIngestOutcome(stored[i].outcome));
    result->set_version(stored[i].version);
  }
  response.set_bag_name(bag.name);
  response.set_checksum_algorithm(
      std::string(bagit::AlgorithmName(bag.algorithm)));
  response.set_payload_files(static_cast<int64_t>(bag.payload.size()));
  response.set_payload_bytes(static_cast<int64_t>(bag.payload_bytes));
  return response;
}

}  // namespace cables::ingest
