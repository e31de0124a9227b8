// cablectl events ID|- [--filter F] [--page_size N] [--all] [--json]: the
// PREMIS-style provenance events of a cable (MetadataService
// .ListCableEvents), oldest first, one per line:
//   2024-01-01 10:00:00  v1  fixity check  success  cables-ingest 0.1.0  detail
// "-" lists the events of every cable (one page unless --all); for one
// cable every page is followed.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/rpc_output.h"
#include "tools/cablectl/service_addresses.h"

// Defined in metadata_commands.cc.
ABSL_DECLARE_FLAG(std::string, filter);
ABSL_DECLARE_FLAG(int, page_size);
ABSL_DECLARE_FLAG(bool, all);

namespace cables::cablectl {
namespace {

// FIXITY_CHECK -> "fixity check".
std::string TypeText(cables::v1::CableEvent::EventType type) {
  return absl::AsciiStrToLower(absl::StrReplaceAll(
      cables::v1::CableEvent::EventType_Name(type), {{"_", " "}}));
}

}  // namespace

int RunEvents(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr,
                 "usage: cablectl events ID|- [--filter F] [--all] [--json]\n");
    return kExitUsage;
  }
  const bool every_cable = args[0] == "-";
  auto stub =
      cables::v1::MetadataService::NewStub(MakeChannel(MetadataAddress()));
  cables::v1::ListCableEventsRequest request;
  request.set_parent(every_cable                        ? "cables/-"
                     : args[0].rfind("cables/", 0) == 0 ? args[0]
                                                        : "cables/" + args[0]);
  request.set_filter(absl::GetFlag(FLAGS_filter));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  for (;;) {
    grpc::ClientContext context;
    SetDeadline(&context);
    cables::v1::ListCableEventsResponse response;
    const grpc::Status s = stub->ListCableEvents(&context, request, &response);
    if (!s.ok()) return ReportRpcError("events", s);
    for (const auto& e : response.events()) {
      if (JsonOutput()) {
        PrintJson(e);
        continue;
      }
      std::printf("%s  %s%sv%d  %s  %s  %s  %s\n",
                  FormatTimestamp(e.event_time()).c_str(),
                  every_cable ? e.canonical_id().c_str() : "",
                  every_cable ? " " : "", e.version(),
                  TypeText(e.event_type()).c_str(),
                  e.outcome() == cables::v1::CableEvent::SUCCESS ? "success"
                                                                 : "FAILURE",
                  e.agent().c_str(), e.outcome_detail().c_str());
    }
    if (response.next_page_token().empty() ||
        (every_cable && !absl::GetFlag(FLAGS_all))) {
      if (!response.next_page_token().empty()) {
        std::fprintf(stderr, "(more events: --all)\n");
      }
      return kExitOk;
    }
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace cables::cablectl
