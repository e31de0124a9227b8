#include "services/common/ingest_metrics.h"

#include <string>

#include "absl/strings/ascii.h"
#include "services/common/metrics.h"

namespace cables {
namespace {

struct IngestCounters {
  MetricFamily<Counter>& outcomes = MetricsRegistry::Default().AddCounter(
      "cables_ingested_total", "Cables ingested, by outcome.", {"outcome"});
  Counter* bytes = MetricsRegistry::Default()
                       .AddCounter("cables_ingested_bytes_total",
                                   "Bytes of documents received for ingest.")
                       .Get();
  Counter* created = outcomes.Labels({"created"});
  Counter* new_version = outcomes.Labels({"new_version"});
  Counter* unchanged = outcomes.Labels({"unchanged"});
  Counter* rejected = outcomes.Labels({"rejected"});

  Counter* For(cables::v1::IngestOutcome outcome) {
    switch (outcome) {
      case cables::v1::CREATED:
        return created;
      case cables::v1::NEW_VERSION:
        return new_version;
      case cables::v1::UNCHANGED:
        return unchanged;
      case cables::v1::REJECTED:
        return rejected;
      default:
        return outcomes.Labels(
            {absl::AsciiStrToLower(cables::v1::IngestOutcome_Name(outcome))});
    }
  }
};

IngestCounters& Counters() {
  static IngestCounters counters;  // the registry is process-wide too
  return counters;
}

}  // namespace

void CountIngestCable(
    const cables::v1::IngestCableRequest& request,
    const absl::StatusOr<cables::v1::IngestCableResponse>& result) {
  IngestCounters& counters = Counters();
  counters.bytes->Increment(static_cast<double>(request.content().size()));
  if (result.ok()) {
    counters.For(result->outcome())->Increment();
  } else if (absl::IsInvalidArgument(result.status())) {
    counters.rejected->Increment();
  }
}

void CountImportBatch(
    const std::vector<cables::v1::ImportCablesRequest::Document>& batch,
    const cables::v1::ImportCablesResponse& response) {
  IngestCounters& counters = Counters();
  double bytes = 0;
  for (const auto& document : batch) bytes += document.content().size();
  counters.bytes->Increment(bytes);
  for (const auto& item : response.results()) {
    counters.For(item.outcome())->Increment();
  }
}

}  // namespace cables
