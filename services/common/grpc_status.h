// The one mapping from absl::Status to grpc::Status (and back, for
// clients). Codes map one-to-one; payloads registered in error_details.h
// become google.rpc.Status details in `grpc-status-details-bin`.
#ifndef CABLES_SERVICES_COMMON_GRPC_STATUS_H_
#define CABLES_SERVICES_COMMON_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace cables {

grpc::Status ToGrpcStatus(const absl::Status& status);

// Inverse of ToGrpcStatus: details found in error_details() become payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

// The code's name as in the gRPC spec: "OK", "INVALID_ARGUMENT", ...
// ("UNKNOWN" for values outside it). For messages to people; metrics and
// access logs use GrpcCodeName's Go-style names.
const char* GrpcCodeConstantName(grpc::StatusCode code);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_GRPC_STATUS_H_
