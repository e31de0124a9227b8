#include "services/common/service_config.h"

#include <cstdlib>
#include <cstring>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, listen, "",
          "gRPC address HOST:PORT (env CABLES_LISTEN)");
ABSL_FLAG(std::string, database, "",
          "libpq URL of the database (env DATABASE_URL)");
ABSL_FLAG(std::string, database_read, "",
          "libpq URL of a read replica for the reads of search and metadata "
          "(env DATABASE_READ_URL; default: the database itself)");
ABSL_FLAG(int, pool_size, 0,
          "database connections and worker threads (env CABLES_POOL_SIZE, "
          "default 8)");
ABSL_FLAG(int, max_message_bytes, 0,
          "largest request message accepted (env CABLES_MAX_MESSAGE_BYTES, "
          "default 64 MiB)");
ABSL_FLAG(std::string, http_listen, "",
          "HTTP address for /metrics (env CABLES_HTTP_LISTEN; empty: off)");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM server certificate chain; with --tls_key enables TLS (env "
          "CABLES_TLS_CERT)");
ABSL_FLAG(std::string, tls_key, "",
          "PEM server private key (env CABLES_TLS_KEY)");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle; set: clients must present a certificate it signed "
          "(mTLS) (env CABLES_TLS_CLIENT_CA)");
ABSL_FLAG(std::string, auth_tokens_file, "",
          "file of '<sha256 hex> <scope>[,<scope>] <name>' lines; set: "
          "bearer tokens required (env CABLES_AUTH_TOKENS_FILE)");
ABSL_FLAG(std::string, rate_limit_qps, "",
          "calls per second per client, 0 = off (env CABLES_RATE_LIMIT_QPS)");
ABSL_FLAG(std::string, rate_limit_burst, "",
          "rate limit bucket size (env CABLES_RATE_LIMIT_BURST, default "
          "max(1, qps))");
ABSL_FLAG(std::string, log_level, "",
          "debug, info, warning or error (env CABLES_LOG_LEVEL, default info)");
ABSL_FLAG(std::string, drain_delay, "",
          "on SIGTERM, time between NOT_SERVING and the start of the drain, "
          "e.g. 5s (env CABLES_DRAIN_DELAY, default 0s)");

namespace cables {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string FirstNonEmpty(const std::string& a, const std::string& b,
                          const std::string& c) {
  if (!a.empty()) return a;
  if (!b.empty()) return b;
  return c;
}

absl::Status ReadInt(const char* env, int flag_value, int* out) {
  if (flag_value != 0) {
    *out = flag_value;
  } else if (const std::string text = Env(env); !text.empty()) {
    if (!absl::SimpleAtoi(text, out)) {
      return absl::InvalidArgumentError(
          absl::StrCat(env, ": not a number: '", text, "'"));
    }
  }
  if (*out <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(env, " must be positive"));
  }
  return absl::OkStatus();
}

// A non-negative number from the flag text, else the environment.
absl::Status ReadRate(const char* env, const std::string& flag_text,
                      double* out) {
  const std::string text = FirstNonEmpty(flag_text, Env(env), "");
  if (text.empty()) return absl::OkStatus();
  if (!absl::SimpleAtod(text, out) || !(*out >= 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(env, ": not a non-negative number: '", text, "'"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServiceConfig> LoadServiceConfig(
    const std::string& default_listen) {
  ServiceConfig config;
  config.listen = FirstNonEmpty(absl::GetFlag(FLAGS_listen),
                                Env("CABLES_LISTEN"), default_listen);
  config.database_url =
      FirstNonEmpty(absl::GetFlag(FLAGS_database), Env("DATABASE_URL"), "");
  config.database_read_url = FirstNonEmpty(absl::GetFlag(FLAGS_database_read),
                                          Env("DATABASE_READ_URL"), "");
  config.http_listen = FirstNonEmpty(absl::GetFlag(FLAGS_http_listen),
                                     Env("CABLES_HTTP_LISTEN"), "");
  config.tls_cert_file =
      FirstNonEmpty(absl::GetFlag(FLAGS_tls_cert), Env("CABLES_TLS_CERT"), "");
  config.tls_key_file =
      FirstNonEmpty(absl::GetFlag(FLAGS_tls_key), Env("CABLES_TLS_KEY"), "");
  config.tls_client_ca_file = FirstNonEmpty(absl::GetFlag(FLAGS_tls_client_ca),
                                            Env("CABLES_TLS_CLIENT_CA"), "");
  config.auth_tokens_file = FirstNonEmpty(absl::GetFlag(FLAGS_auth_tokens_file),
                                          Env("CABLES_AUTH_TOKENS_FILE"), "");
  config.log_level = FirstNonEmpty(absl::GetFlag(FLAGS_log_level),
                                   Env("CABLES_LOG_LEVEL"), "info");
  if (config.database_url.empty()) {
    return absl::InvalidArgumentError(
        "no database: set DATABASE_URL or pass --database URL");
  }
  if (auto s = ReadInt("CABLES_POOL_SIZE", absl::GetFlag(FLAGS_pool_size),
                       &config.pool_size);
      !s.ok()) {
    return s;
  }
  if (auto s = ReadInt("CABLES_MAX_MESSAGE_BYTES",
                       absl::GetFlag(FLAGS_max_message_bytes),
                       &config.max_message_bytes);
      !s.ok()) {
    return s;
  }
  if (auto s =
          ReadRate("CABLES_RATE_LIMIT_QPS", absl::GetFlag(FLAGS_rate_limit_qps),
                   &config.rate_limit_qps);
      !s.ok()) {
    return s;
  }
  if (auto s = ReadRate("CABLES_RATE_LIMIT_BURST",
                        absl::GetFlag(FLAGS_rate_limit_burst),
                        &config.rate_limit_burst);
      !s.ok()) {
    return s;
  }
  if (const std::string text = FirstNonEmpty(absl::GetFlag(FLAGS_drain_delay),
                                             Env("CABLES_DRAIN_DELAY"), "");
      !text.empty() && (!absl::ParseDuration(text, &config.drain_delay) ||
                        config.drain_delay < absl::ZeroDuration())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CABLES_DRAIN_DELAY: not a duration such as 5s: '", text, "'"));
  }
  return config;
}

void NormalizeFlagNames(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    char* arg = argv[i];
    if (std::strcmp(arg, "--") == 0) return;  // positional arguments follow
    if (arg[0] != '-') continue;
    char* name = arg + (arg[1] == '-' ? 2 : 1);
    for (char* p = name; *p != '\0' && *p != '='; ++p) {
      if (*p == '-' && p != name) *p = '_';
    }
  }
}

}  // namespace cables
