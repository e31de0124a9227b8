// ReadFileToString: a whole small file (certificates, keys, token lists)
// into memory. Thread-safe.
#ifndef CABLES_SERVICES_COMMON_READ_FILE_H_
#define CABLES_SERVICES_COMMON_READ_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace cables {

// The contents of `path`. NotFoundError / PermissionDeniedError naming the
// path and the system's reason when it cannot be read.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_READ_FILE_H_
