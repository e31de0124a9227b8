// ServiceConfig: what every service binary is configured with, from flags
// over environment variables over the defaults. No URL, password or token
// is compiled in.
//
//   flag                 environment                default
//   --listen             CABLES_LISTEN              per service
//   --database           DATABASE_URL               (required)
//   --database_read      DATABASE_READ_URL          off (reads go to
//                                                   DATABASE_URL)
//   --pool_size          CABLES_POOL_SIZE           8
//   --max_message_bytes  CABLES_MAX_MESSAGE_BYTES   64 MiB
//   --http_listen        CABLES_HTTP_LISTEN         off (/metrics)
//   --tls_cert           CABLES_TLS_CERT            off (plaintext)
//   --tls_key            CABLES_TLS_KEY
//   --tls_client_ca      CABLES_TLS_CLIENT_CA       off (no client certs)
//   --auth_tokens_file   CABLES_AUTH_TOKENS_FILE    off (no auth)
//   --rate_limit_qps     CABLES_RATE_LIMIT_QPS      0 (off)
//   --rate_limit_burst   CABLES_RATE_LIMIT_BURST    max(1, qps)
//   --log_level          CABLES_LOG_LEVEL           info
//   --drain_delay        CABLES_DRAIN_DELAY         0s (NOT_SERVING before
//                                                   the drain starts)
//
// Flags may be spelled with dashes or underscores (--http-listen or
// --http_listen): call NormalizeFlagNames before absl::ParseCommandLine.
#ifndef CABLES_SERVICES_COMMON_SERVICE_CONFIG_H_
#define CABLES_SERVICES_COMMON_SERVICE_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cables {

struct ServiceConfig {
  std::string listen;
  std::string database_url;
  // A read replica (hot standby) for read-only work; empty: none.
  std::string database_read_url;
  int pool_size = 8;
  int max_message_bytes = 64 << 20;
  std::string http_listen;  // empty: no HTTP endpoint
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  std::string auth_tokens_file;  // empty: authentication off
  double rate_limit_qps = 0;     // 0: no rate limit
  double rate_limit_burst = 0;   // 0: max(1, rate_limit_qps)
  std::string log_level = "info";
  absl::Duration drain_delay = absl::ZeroDuration();
};

// Reads the configuration; call after absl::ParseCommandLine.
// kInvalidArgument naming the setting when a value is malformed, and when
// no database URL is given.
absl::StatusOr<ServiceConfig> LoadServiceConfig(
    const std::string& default_listen);

// Rewrites, in place, every "--flag-name[=value]" argument before a bare
// "--" to "--flag_name[=value]" (only the name; values are untouched), so
// both spellings of multi-word flags reach absl's parser.
void NormalizeFlagNames(int argc, char** argv);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_SERVICE_CONFIG_H_
