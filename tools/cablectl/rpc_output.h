// Shared output helpers of the RPC subcommands: --json printing, RPC error
// reporting (message and details on stderr), timestamps, colour.
#ifndef CABLES_TOOLS_CABLECTL_RPC_OUTPUT_H_
#define CABLES_TOOLS_CABLECTL_RPC_OUTPUT_H_

#include <string>

#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace cables::cablectl {

// True when --json was given.
bool JsonOutput();

// Prints `message` as one JSON line on stdout; false (message on stderr)
// when it cannot be printed.
bool PrintJson(const google::protobuf::Message& message);

// Reports a failed call on stderr ("cablectl CMD: CODE: message", then each
// BadRequest field violation) and returns kExitFailure.
int ReportRpcError(const char* command, const grpc::Status& status);

// "2005-04-22 01:33:00" (UTC), or "" when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// Whether to colour stdout (a terminal and NO_COLOR unset).
bool UseColour();

// A client deadline for one call.
void SetDeadline(grpc::ClientContext* context, int seconds = 30);

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_RPC_OUTPUT_H_
