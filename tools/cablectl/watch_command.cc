// cablectl watch [--after N] [--from_now] [--kinds created,new_version,deleted]
// [--json]: follows the change feed (WatchCables) and prints one line per
// change as it commits, until interrupted. A broken connection is resumed
// after the last position printed, so nothing is missed or repeated.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/rpc_output.h"
#include "tools/cablectl/service_addresses.h"

ABSL_FLAG(int64_t, after, 0, "watch: stream the changes after this position");
ABSL_FLAG(bool, from_now, false, "watch: only changes from now on");
ABSL_FLAG(std::string, kinds, "",
          "watch: only these kinds (created,new_version,deleted)");

namespace cables::cablectl {
namespace {

const char* KindName(cables::v1::ChangeKind kind) {
  switch (kind) {
    case cables::v1::CHANGE_KIND_CREATED:
      return "created";
    case cables::v1::CHANGE_KIND_NEW_VERSION:
      return "new_version";
    case cables::v1::CHANGE_KIND_DELETED:
      return "deleted";
    default:
      return "unknown";
  }
}

bool ParseKinds(const std::string& text,
                cables::v1::WatchCablesRequest* request) {
  for (absl::string_view k : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    if (k == "created") {
      request->add_kinds(cables::v1::CHANGE_KIND_CREATED);
    } else if (k == "new_version") {
      request->add_kinds(cables::v1::CHANGE_KIND_NEW_VERSION);
    } else if (k == "deleted") {
      request->add_kinds(cables::v1::CHANGE_KIND_DELETED);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

int RunWatch(const std::vector<std::string>& args) {
  cables::v1::WatchCablesRequest request;
  if (!args.empty() || !ParseKinds(absl::GetFlag(FLAGS_kinds), &request)) {
    std::fprintf(stderr,
                 "usage: cablectl watch [--after N] [--from_now] "
                 "[--kinds created,new_version,deleted] [--json]\n");
    return kExitUsage;
  }
  request.set_after_position(absl::GetFlag(FLAGS_after));
  request.set_start_from_now(absl::GetFlag(FLAGS_from_now));
  auto stub =
      cables::v1::MetadataService::NewStub(MakeChannel(MetadataAddress()));
  absl::Duration backoff = absl::Milliseconds(200);
  for (;;) {
    grpc::ClientContext context;
    auto reader = stub->WatchCables(&context, request);
    cables::v1::ChangeEvent event;
    while (reader->Read(&event)) {
      backoff = absl::Milliseconds(200);
      if (JsonOutput()) {
        if (!PrintJson(event)) return kExitFailure;
      } else {
        std::printf("%lld\t%s\t%s\tv%d\t%s\t%s\n",
                    static_cast<long long>(event.position()),
                    KindName(event.kind()), event.name().c_str(),
                    event.version(),
                    FormatTimestamp(event.change_time()).c_str(),
                    event.content_sha256().c_str());
      }
      std::fflush(stdout);
      // Resume after what was printed.
      request.set_start_from_now(false);
      request.set_after_position(event.position());
    }
    const grpc::Status status = reader->Finish();
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) {
      return ReportRpcError("watch", status);
    }
    std::fprintf(stderr,
                 "cablectl watch: %s; reconnecting after position %lld\n",
                 status.error_message().c_str(),
                 static_cast<long long>(request.after_position()));
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(10));
  }
}

}  // namespace cables::cablectl
