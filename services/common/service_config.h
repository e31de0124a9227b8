// ServiceConfig: what every service binary is configured with, from flags
// (--listen, --database, --pool-size, --max-message-bytes, --http-listen)
// over environment variables (CABLES_LISTEN, DATABASE_URL,
// CABLES_POOL_SIZE, CABLES_MAX_MESSAGE_BYTES, CABLES_HTTP_LISTEN) over the
// defaults. No URL or password is compiled in.
#ifndef CABLES_SERVICES_COMMON_SERVICE_CONFIG_H_
#define CABLES_SERVICES_COMMON_SERVICE_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"

namespace cables {

struct ServiceConfig {
  std::string listen;
  std::string database_url;
  int pool_size = 8;
  int max_message_bytes = 64 << 20;
  std::string http_listen;  // empty: no HTTP endpoint
};

// Reads the configuration; call after absl::ParseCommandLine.
// kInvalidArgument naming the setting when a value is malformed, and when
// no database URL is given.
absl::StatusOr<ServiceConfig> LoadServiceConfig(const std::string& default_listen);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_SERVICE_CONFIG_H_
