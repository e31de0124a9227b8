// JSON output of protobuf messages: one object per line, original (proto)
// field names, as every `cablectl --json` output and `cablectl parse` print.
#ifndef CABLES_TOOLS_CABLECTL_JSON_PRINTER_H_
#define CABLES_TOOLS_CABLECTL_JSON_PRINTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace cables::cablectl {

// The message as one line of JSON (no trailing newline).
absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& message);

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_JSON_PRINTER_H_
