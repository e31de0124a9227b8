#include "services/common/structured_log.h"

#include <openssl/sha.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <new>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/support/log.h"

namespace cables {
namespace {

struct LogState {
  absl::Mutex mu;
  std::string service ABSL_GUARDED_BY(mu) = "cables";
  std::function<void(absl::string_view)> sink ABSL_GUARDED_BY(mu);
  std::atomic<int> level{static_cast<int>(LogLevel::kInfo)};
};

LogState& State() {
  // Never destroyed: gRPC's threads may still log while the process exits.
  alignas(LogState) static unsigned char storage[sizeof(LogState)];
  static LogState* const state = ::new (storage) LogState();
  return *state;
}

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// Length of the valid UTF-8 sequence starting at s[i], 0 when invalid.
size_t Utf8Length(absl::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t min;
  if (b < 0x80) return 1;
  if ((b & 0xE0) == 0xC0) {
    n = 2;
    min = 0x80;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3;
    min = 0x800;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  uint32_t cp = b & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

void AppendJsonString(std::string* out, absl::string_view s) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const size_t n = Utf8Length(s, i);
      if (n == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD
        ++i;
      } else {
        out->append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (u < 0x20 || u == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", u);
          out->append(buf);
        } else {
          out->push_back(c);
        }
    }
    ++i;
  }
  out->push_back('"');
}

LogField::LogField(absl::string_view key, absl::string_view value) : key_(key) {
  AppendJsonString(&json_, value);
}
LogField::LogField(absl::string_view key, const char* value)
    : LogField(key, absl::string_view(value == nullptr ? "" : value)) {}
LogField::LogField(absl::string_view key, const std::string& value)
    : LogField(key, absl::string_view(value)) {}
LogField::LogField(absl::string_view key, int value)
    : key_(key), json_(absl::StrCat(value)) {}
LogField::LogField(absl::string_view key, int64_t value)
    : key_(key), json_(absl::StrCat(value)) {}
LogField::LogField(absl::string_view key, uint64_t value)
    : key_(key), json_(absl::StrCat(value)) {}
LogField::LogField(absl::string_view key, double value) : key_(key) {
  if (std::isfinite(value)) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6g", value);
    json_ = buf;
  } else {
    json_ = "null";  // JSON has no Inf/NaN
  }
}
LogField::LogField(absl::string_view key, bool value)
    : key_(key), json_(value ? "true" : "false") {}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= State().level.load();
}

void Log(LogLevel level, absl::string_view msg,
         std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  LogState& state = State();
  std::string line = "{\"ts\":";
  AppendJsonString(&line, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                           absl::UTCTimeZone()));
  absl::StrAppend(&line, ",\"level\":\"", LevelName(level), "\"");
  absl::MutexLock lock(&state.mu);
  line += ",\"service\":";
  AppendJsonString(&line, state.service);
  line += ",\"msg\":";
  AppendJsonString(&line, msg);
  for (const LogField& field : fields) {
    line.push_back(',');
    AppendJsonString(&line, field.key());
    line.push_back(':');
    line += field.json();
  }
  line.push_back('}');
  if (state.sink) {
    state.sink(line);
    return;
  }
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

void SetLogService(absl::string_view service) {
  absl::MutexLock lock(&State().mu);
  State().service = std::string(service);
}

void SetLogLevel(LogLevel level) {
  State().level.store(static_cast<int>(level));
}

absl::Status SetLogLevelByName(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "debug") {
    SetLogLevel(LogLevel::kDebug);
  } else if (lower == "info") {
    SetLogLevel(LogLevel::kInfo);
  } else if (lower == "warning" || lower == "warn") {
    SetLogLevel(LogLevel::kWarning);
  } else if (lower == "error") {
    SetLogLevel(LogLevel::kError);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "log level: want debug, info, warning or error, got '", name, "'"));
  }
  return absl::OkStatus();
}

void SetLogSink(std::function<void(absl::string_view)> sink) {
  absl::MutexLock lock(&State().mu);
  State().sink = std::move(sink);
}

void RouteGrpcLogsToJson() {
  gpr_set_log_function([](gpr_log_func_args* args) {
    const LogLevel level =
        args->severity == GPR_LOG_SEVERITY_ERROR  ? LogLevel::kError
        : args->severity == GPR_LOG_SEVERITY_INFO ? LogLevel::kInfo
                                                  : LogLevel::kDebug;
    // gRPC's errors are mostly a peer's doing (failed handshakes): warn.
    Log(level == LogLevel::kError ? LogLevel::kWarning : level, "grpc",
        {{"grpc_log", args->message == nullptr ? "" : args->message},
         {"file", args->file == nullptr ? "" : args->file},
         {"line", args->line}});
  });
}

std::string RedactDatabaseUrl(absl::string_view url) {
  std::string out(url);
  // URL form: scheme://user:password@host...
  if (const size_t scheme = out.find("://"); scheme != std::string::npos) {
    const size_t authority = scheme + 3;
    size_t end = out.find_first_of("/?#", authority);
    if (end == std::string::npos) end = out.size();
    const size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= authority) {
      const size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // password=... as a key=value pair or a URL query parameter.
  for (size_t pos = 0; (pos = absl::AsciiStrToLower(out).find(
                            "password", pos)) != std::string::npos;) {
    size_t i = pos + 8;
    while (i < out.size() && out[i] == ' ') ++i;
    if (i >= out.size() || out[i] != '=') {
      pos = i;
      continue;
    }
    ++i;
    while (i < out.size() && out[i] == ' ') ++i;
    size_t end = i;
    if (end < out.size() && out[end] == '\'') {
      // Quoted: up to the closing quote, honouring backslash escapes.
      ++end;
      while (end < out.size() && out[end] != '\'') {
        end += out[end] == '\\' ? 2 : 1;
      }
      end = std::min(end + 1, out.size());
    } else {
      while (end < out.size() && out[end] != ' ' && out[end] != '&') ++end;
    }
    out.replace(i, end - i, "***");
    pos = i + 3;
  }
  return out;
}

std::string HashForLog(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), 8));
}

}  // namespace cables
