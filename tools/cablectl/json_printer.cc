#include "tools/cablectl/json_printer.h"

#include "google/protobuf/util/json_util.h"

namespace cables::cablectl {

absl::StatusOr<std::string> ToJsonLine(
    const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = false;
  std::string out;
  const auto status =
      google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    return absl::InternalError("cannot print message as JSON: " +
                               std::string(status.message()));
  }
  return out;
}

}  // namespace cables::cablectl
