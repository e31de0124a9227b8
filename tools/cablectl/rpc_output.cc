#include "tools/cablectl/rpc_output.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "cables/v1/error_details.pb.h"
#include "grpcpp/client_context.h"
#include "services/common/grpc_status.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/json_printer.h"

ABSL_FLAG(bool, json, false, "print protobuf JSON, one object per line");

namespace cables::cablectl {

bool JsonOutput() { return absl::GetFlag(FLAGS_json); }

bool PrintJson(const google::protobuf::Message& message) {
  const auto line = ToJsonLine(message);
  if (!line.ok()) {
    std::fprintf(stderr, "cablectl: %s\n",
                 std::string(line.status().message()).c_str());
    return false;
  }
  std::printf("%s\n", line->c_str());
  return true;
}

namespace {}  // namespace

int ReportRpcError(const char* command, const grpc::Status& status) {
  std::fprintf(stderr, "cablectl %s: %s: %s\n", command,
               cables::GrpcCodeConstantName(status.error_code()),
               status.error_message().c_str());
  cables::v1::RpcStatus details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      cables::v1::BadRequest bad;
      if (any.type_url().find("BadRequest") != std::string::npos &&
          bad.ParseFromString(any.value())) {
        for (const auto& v : bad.field_violations()) {
          std::fprintf(stderr, "  %s: %s\n", v.field().c_str(),
                       v.description().c_str());
        }
      }
    }
  }
  return kExitFailure;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S",
                          absl::FromUnixSeconds(timestamp.seconds()),
                          absl::UTCTimeZone());
}

bool UseColour() {
  return isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
}

void SetDeadline(grpc::ClientContext* context, int seconds) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(seconds));
}

}  // namespace cables::cablectl
