// Reading a whole input for cablectl: a file path or "-" for stdin.
#ifndef CABLES_TOOLS_CABLECTL_FILE_INPUT_H_
#define CABLES_TOOLS_CABLECTL_FILE_INPUT_H_

#include <string>

#include "absl/status/statusor.h"

namespace cables::cablectl {

// Reads `path` ("-" = standard input) into memory. NotFoundError when it
// does not exist, FailedPreconditionError for a directory, UnavailableError
// for a read error; the message names the path.
absl::StatusOr<std::string> ReadWholeInput(const std::string& path);

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_FILE_INPUT_H_
