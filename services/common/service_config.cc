#include "services/common/service_config.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, listen, "", "gRPC address HOST:PORT (env CABLES_LISTEN)");
ABSL_FLAG(std::string, database, "",
          "libpq URL of the database (env DATABASE_URL)");
ABSL_FLAG(int, pool_size, 0,
          "database connections and worker threads (env CABLES_POOL_SIZE, "
          "default 8)");
ABSL_FLAG(int, max_message_bytes, 0,
          "largest request message accepted (env CABLES_MAX_MESSAGE_BYTES, "
          "default 64 MiB)");
ABSL_FLAG(std::string, http_listen, "",
          "HTTP address for /metrics (env CABLES_HTTP_LISTEN; empty: off)");

namespace cables {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
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

std::string FirstNonEmpty(const std::string& a, const std::string& b,
                          const std::string& c) {
  if (!a.empty()) return a;
  if (!b.empty()) return b;
  return c;
}

}  // namespace

absl::StatusOr<ServiceConfig> LoadServiceConfig(
    const std::string& default_listen) {
  ServiceConfig config;
  config.listen = FirstNonEmpty(absl::GetFlag(FLAGS_listen),
                                Env("CABLES_LISTEN"), default_listen);
  config.database_url =
      FirstNonEmpty(absl::GetFlag(FLAGS_database), Env("DATABASE_URL"), "");
  config.http_listen = FirstNonEmpty(absl::GetFlag(FLAGS_http_listen),
                                     Env("CABLES_HTTP_LISTEN"), "");
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
  return config;
}

}  // namespace cables
