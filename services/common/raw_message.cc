#include "services/common/raw_message.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/slice.h"
#include "services/common/error_details.h"

namespace cables {

bool IsRawMethod(absl::string_view full_method_name) {
  return full_method_name == "/cables.v1.IngestService/ImportCables" ||
         full_method_name == "/cables.v1.IngestService/ImportBag" ||
         full_method_name == "/cables.v1.MetadataService/GetCable";
}

bool ParseRawMessage(const grpc::ByteBuffer& buffer,
                     google::protobuf::MessageLite* message) {
  // Deserialize consumes its buffer; the copy shares the slices.
  grpc::ByteBuffer copy(buffer);
  return grpc::GenericDeserialize<grpc::ProtoBufferReader,
                                  google::protobuf::MessageLite>(&copy, message)
      .ok();
}

absl::Status SerializeRawMessage(const google::protobuf::MessageLite& message,
                                 grpc::ByteBuffer* buffer) {
  bool own_buffer = false;
  buffer->Clear();
  const grpc::Status status =
      grpc::GenericSerialize<grpc::ProtoBufferWriter,
                             google::protobuf::MessageLite>(message, buffer,
                                                            &own_buffer);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot serialize the response: ",
                                            status.error_message()));
  }
  return absl::OkStatus();
}

grpc::ByteBuffer RawMessageFromBytes(std::string serialized) {
  // The slice owns the string and deletes it when gRPC is done with it.
  auto* owned = new std::string(std::move(serialized));
  grpc::Slice slice(
      owned->data(), owned->size(),
      [](void* user_data) { delete static_cast<std::string*>(user_data); },
      owned);
  return grpc::ByteBuffer(&slice, 1);
}

absl::Status MalformedRequestError(absl::string_view what,
                                   absl::string_view consequence) {
  absl::Status status = absl::InvalidArgumentError(absl::StrCat(
      what,
      " is not a valid protobuf message of this method's request type "
      "(truncated, corrupt, or invalid UTF-8 in a string field)",
      consequence.empty() ? "" : "; ", consequence));
  SetErrorReason(&status, "MALFORMED_REQUEST");
  return status;
}

}  // namespace cables
