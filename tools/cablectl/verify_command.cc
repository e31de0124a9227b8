// cablectl verify [--repair]: the archive-wide fixity check
// (IngestService.VerifyFixity). Prints every mismatch as it is found
// ("MISMATCH <id> v<version> <algorithm>: stored ..., computed ..."), then a
// summary; with --json, one JSON object per progress message. Exits 1 when
// any mismatch was found (or the call failed), 0 otherwise.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/progress_bar.h"
#include "tools/cablectl/rpc_output.h"
#include "tools/cablectl/service_addresses.h"

ABSL_FLAG(bool, repair, false,
          "verify: fill in missing SHA-512 digests (versions stored before "
          "migration 0006) whose SHA-256 matches");

namespace cables::cablectl {

int RunVerify(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(
        stderr, "usage: cablectl verify [--ingest ADDR] [--repair] [--json]\n");
    return kExitUsage;
  }
  auto stub = cables::v1::IngestService::NewStub(MakeChannel(IngestAddress()));
  grpc::ClientContext context;  // no deadline: the whole archive is read
  cables::v1::VerifyFixityRequest request;
  request.set_repair_missing(absl::GetFlag(FLAGS_repair));
  auto reader = stub->VerifyFixity(&context, request);
  cables::v1::VerifyFixityResponse response, last;
  ProgressBar progress(0);
  while (reader->Read(&response)) {
    if (JsonOutput()) {
      PrintJson(response);
    } else {
      for (const auto& m : response.mismatches()) {
        progress.Done();
        std::printf(
            "MISMATCH %s v%d %s: stored %s, computed %s (%s)\n",
            m.canonical_id().c_str(), m.version(), m.algorithm().c_str(),
            m.stored_digest().empty() ? "-" : m.stored_digest().c_str(),
            m.computed_digest().empty() ? "-" : m.computed_digest().c_str(),
            m.detail().c_str());
      }
      progress.Update(response.versions_checked(), 0);
    }
    last = response;
  }
  const grpc::Status status = reader->Finish();
  progress.Done();
  if (!status.ok()) return ReportRpcError("verify", status);
  if (!JsonOutput()) {
    std::printf(
        "checked %lld of %lld versions: %lld mismatches, %lld without SHA-512, "
        "%lld SHA-512 filled in\n",
        static_cast<long long>(last.versions_checked()),
        static_cast<long long>(last.versions_total()),
        static_cast<long long>(last.mismatches_total()),
        static_cast<long long>(last.missing_sha512()),
        static_cast<long long>(last.repaired()));
    if (last.missing_sha512() > 0) {
      std::printf(
          "run `cablectl verify --repair` to fill in the missing digests\n");
    }
  }
  return last.mismatches_total() > 0 ? kExitFailure : kExitOk;
}

}  // namespace cables::cablectl
