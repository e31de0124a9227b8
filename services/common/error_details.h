// Error details on absl::Status: every layer attaches them as status
// payloads keyed by the google.rpc type URL; ToGrpcStatus (grpc_status.h)
// turns them into `grpc-status-details-bin`. Thread-safe (pure functions).
#ifndef CABLES_SERVICES_COMMON_ERROR_DETAILS_H_
#define CABLES_SERVICES_COMMON_ERROR_DETAILS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cables/v1/error_details.pb.h"

namespace cables {

inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kErrorInfoTypeUrl =
    "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr absl::string_view kRetryInfoTypeUrl =
    "type.googleapis.com/google.rpc.RetryInfo";
inline constexpr absl::string_view kErrorDomain = "cables.v1";

// InvalidArgumentError("<field>: <description>") carrying a BadRequest
// detail with that one field violation.
absl::Status InvalidField(absl::string_view field,
                          absl::string_view description);

// Adds a field violation to `status`'s BadRequest detail (creating it).
void AddFieldViolation(absl::Status* status, absl::string_view field,
                       absl::string_view description);

// Sets the ErrorInfo detail (reason in UPPER_SNAKE, domain cables.v1).
void SetErrorReason(absl::Status* status, absl::string_view reason);

// Sets the RetryInfo detail.
void SetRetryDelay(absl::Status* status, absl::Duration delay);

// Reads a detail back (for tests and clients); false when absent.
bool GetBadRequest(const absl::Status& status, cables::v1::BadRequest* out);
bool GetErrorInfo(const absl::Status& status, cables::v1::ErrorInfo* out);
bool GetRetryInfo(const absl::Status& status, cables::v1::RetryInfo* out);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_ERROR_DETAILS_H_
