// cablectl delete ID... --reason R: deletes cables (DeleteCable). They leave
// every listing and search; their versions stay stored and a tombstone
// records the time and reason. Ingesting a cable again revives it.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/rpc_output.h"
#include "tools/cablectl/service_addresses.h"

ABSL_FLAG(std::string, reason, "", "delete: why (kept in the tombstone)");

namespace cables::cablectl {

int RunDelete(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr,
                 "usage: cablectl delete ID... [--reason R] [--json]\n");
    return kExitUsage;
  }
  auto stub =
      cables::v1::MetadataService::NewStub(MakeChannel(MetadataAddress()));
  int status = kExitOk;
  for (const auto& id : args) {
    grpc::ClientContext context;
    SetDeadline(&context);
    cables::v1::DeleteCableRequest request;
    request.set_name(id);
    request.set_reason(absl::GetFlag(FLAGS_reason));
    cables::v1::CableTombstone tombstone;
    const grpc::Status rpc = stub->DeleteCable(&context, request, &tombstone);
    if (!rpc.ok()) {
      status = ReportRpcError("delete", rpc);
      continue;
    }
    if (JsonOutput()) {
      if (!PrintJson(tombstone)) status = kExitFailure;
    } else {
      std::printf("deleted %s (version %d) at %s, change %lld\n",
                  tombstone.name().c_str(), tombstone.version(),
                  FormatTimestamp(tombstone.delete_time()).c_str(),
                  static_cast<long long>(tombstone.change_position()));
    }
  }
  return status;
}

}  // namespace cables::cablectl
