// Helpers for gRPC methods registered as raw (grpc::ByteBuffer messages;
// see the generated WithRawCallbackMethod_* classes): such a method parses
// its requests and serializes its responses itself, so it can tell a
// malformed message apart (gRPC's typed callback API cannot, see
// malformed_request_interceptor.h) or send bytes it already holds without
// a parse and a serialization (MetadataService.GetCable from its cache).
//
// The names of the raw methods are listed here (IsRawMethod), so
// interceptors know not to cast their messages to protobuf messages.
//
// Thread-safe (no state).
#ifndef CABLES_SERVICES_COMMON_RAW_MESSAGE_H_
#define CABLES_SERVICES_COMMON_RAW_MESSAGE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"
#include "grpcpp/support/byte_buffer.h"

namespace cables {

// true for "/package.Service/Method" names registered as raw methods.
bool IsRawMethod(absl::string_view full_method_name);

// Parses `buffer` into `message`; false when it is not a valid message of
// that type (truncated, corrupt, invalid UTF-8 in a string field).
bool ParseRawMessage(const grpc::ByteBuffer& buffer,
                     google::protobuf::MessageLite* message);

// `message` serialized; INTERNAL only if protobuf cannot serialize it.
absl::Status SerializeRawMessage(const google::protobuf::MessageLite& message,
                                 grpc::ByteBuffer* buffer);

// A buffer holding `serialized` (bytes of a message), taken over without a
// copy.
grpc::ByteBuffer RawMessageFromBytes(std::string serialized);

// INVALID_ARGUMENT with ErrorInfo reason MALFORMED_REQUEST; `consequence`
// (may be empty) is appended to the message, e.g. what was kept.
absl::Status MalformedRequestError(absl::string_view what,
                                   absl::string_view consequence = "");

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_RAW_MESSAGE_H_
