#include "services/ingest/ingester.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/error_details.h"
#include "services/common/status_macros.h"
#include "services/ingest/document_items.h"

namespace cables::ingest {
namespace {

constexpr absl::string_view kUnparseable = "UNPARSEABLE_CABLE";

parser::ParseOptions OptionsFor(cables::v1::InputFormat format,
                                const std::string& id_hint, int year_hint) {
  parser::ParseOptions options;
  options.format = ToParserFormat(format);
  options.id_hint = id_hint;
  options.year_hint = year_hint;
  return options;
}

// The item's problem as a BadRequest-carrying INVALID_ARGUMENT.
absl::Status Rejection(absl::string_view field, const absl::Status& cause) {
  absl::Status status = InvalidField(field, cause.message());
  SetErrorReason(&status, kUnparseable);
  return status;
}

}  // namespace

std::string IngestAgent() { return "cables-ingest " CABLES_VERSION; }

Ingester::Ingester(storage::CableRepository* repository,
                   BagImportOptions bag_options)
    : repository_(repository),
      provenance_{IngestAgent(), {}, {}},
      bags_(repository, IngestAgent(), std::move(bag_options)),
      fixity_(repository, IngestAgent()) {}

cables::v1::IngestOutcome ToIngestOutcome(storage::UpsertOutcome outcome) {
  switch (outcome) {
    case storage::UpsertOutcome::kCreated:
      return cables::v1::CREATED;
    case storage::UpsertOutcome::kNewVersion:
      return cables::v1::NEW_VERSION;
    case storage::UpsertOutcome::kUnchanged:
      return cables::v1::UNCHANGED;
  }
  return cables::v1::INGEST_OUTCOME_UNSPECIFIED;
}

absl::StatusOr<cables::v1::IngestCableResponse> Ingester::IngestCable(
    const cables::v1::IngestCableRequest& request) {
  if (!request.request_id().empty()) {
    CABLES_ASSIGN_OR_RETURN(
        auto recorded, repository_->LookupIngestRequest(request.request_id()));
    if (recorded.has_value()) {
      cables::v1::IngestCableResponse response;
      if (response.ParseFromString(*recorded)) return response;
    }
  }
  std::vector<DocumentItem> items = ParseDocumentItems(
      request.content(),
      OptionsFor(request.format(), request.id_hint(), request.year_hint()));
  if (items.size() != 1) {
    return InvalidField("content",
                        absl::StrCat("holds ", items.size(),
                                     " cables; IngestCable takes one (use "
                                     "ImportCables for cables.csv files)"));
  }
  DocumentItem& item = items.front();
  if (!item.status.ok()) return Rejection("content", item.status);
  if (item.cable.canonical_id().empty()) {
    return Rejection("content", absl::InvalidArgumentError(
                                    "no cable id found (give id_hint)"));
  }
  const std::string source =
      request.source().empty() ? request.request_id() : request.source();
  CABLES_ASSIGN_OR_RETURN(
      auto stored_batch,
      repository_->BulkUpsertWithProvenance(absl::MakeConstSpan(&item.cable, 1),
                                            source, provenance_));
  const storage::UpsertResult& stored = stored_batch.front();
  cables::v1::IngestCableResponse response;
  *response.mutable_cable() = std::move(item.cable);
  response.mutable_cable()->set_version(stored.version);
  response.mutable_cable()->set_name("cables/" + stored.canonical_id);
  response.set_outcome(ToIngestOutcome(stored.outcome));
  response.set_version(stored.version);
  if (!request.request_id().empty()) {
    const absl::Status recorded = repository_->RecordIngestRequest(
        request.request_id(), response.SerializeAsString());
    // A concurrent retry recorded first: its response is equivalent.
    if (!recorded.ok() && !absl::IsAlreadyExists(recorded)) return recorded;
  }
  return response;
}

absl::StatusOr<cables::v1::ImportCablesResponse> Ingester::ImportBatch(
    const std::vector<cables::v1::ImportCablesRequest::Document>& documents,
    bool defer_search_vectors) {
  cables::v1::ImportCablesResponse response;
  std::vector<cables::v1::Cable> good;
  std::vector<int> good_result_index;
  int64_t acknowledged = 0;
  for (const auto& document : documents) {
    acknowledged = std::max(acknowledged, document.position());
    std::vector<DocumentItem> items = ParseDocumentItems(
        document.content(), OptionsFor(document.format(), "", 0));
    for (DocumentItem& item : items) {
      cables::v1::ImportItemResult* result = response.add_results();
      result->set_position(document.position());
      result->set_row(item.row);
      result->set_source(document.source());
      if (item.status.ok() && item.cable.canonical_id().empty()) {
        item.status = absl::InvalidArgumentError("no cable id found");
      }
      if (!item.status.ok()) {
        result->set_outcome(cables::v1::REJECTED);
        result->set_reason(std::string(item.status.message()));
        continue;
      }
      result->set_canonical_id(item.cable.canonical_id());
      good_result_index.push_back(response.results_size() - 1);
      good.push_back(std::move(item.cable));
    }
  }
  response.set_acknowledged_position(acknowledged);
  if (good.empty()) return response;
  const std::string source =
      documents.size() == 1 ? documents.front().source() : "import";
  storage::WriteProvenance provenance = provenance_;
  provenance.defer_search_vectors = defer_search_vectors;
  CABLES_ASSIGN_OR_RETURN(auto stored, repository_->BulkUpsertWithProvenance(
                                           good, source, provenance));
  for (size_t i = 0; i < stored.size() && i < good_result_index.size(); ++i) {
    auto* result = response.mutable_results(good_result_index[i]);
    result->set_outcome(ToIngestOutcome(stored[i].outcome));
    result->set_version(stored[i].version);
    result->set_canonical_id(stored[i].canonical_id);
  }
  return response;
}

}  // namespace cables::ingest
