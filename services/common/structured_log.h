// Structured logs: one JSON object per line on stdout, e.g.
//   {"ts":"2024-05-01T12:00:00.123Z","level":"info","service":"cables-ingest",
//    "msg":"rpc","grpc_method":"IngestCable","grpc_code":"OK",...}
// Every line has `ts` (RFC 3339 UTC, milliseconds), `level`, `service` and
// `msg`, then the caller's fields in order. Field names follow
// /work/shared/guides/conventions.md §4 (grpc_method, grpc_code,
// duration_ms, request_id, trace_id).
//
// What must never be logged: cable text, query text (log HashForLog of it),
// tokens, and database passwords (log RedactDatabaseUrl of the URL).
//
// Thread-safe: lines are written whole, one at a time.
#ifndef CABLES_SERVICES_COMMON_STRUCTURED_LOG_H_
#define CABLES_SERVICES_COMMON_STRUCTURED_LOG_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cables {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// One `"key":value` member of a log line.
class LogField final {
 public:
  LogField(absl::string_view key, absl::string_view value);
  LogField(absl::string_view key, const char* value);
  LogField(absl::string_view key, const std::string& value);
  LogField(absl::string_view key, int value);
  LogField(absl::string_view key, int64_t value);
  LogField(absl::string_view key, uint64_t value);
  LogField(absl::string_view key, double value);
  LogField(absl::string_view key, bool value);

  absl::string_view key() const { return key_; }
  // The value as JSON text (quoted and escaped for strings).
  const std::string& json() const { return json_; }

 private:
  std::string key_;
  std::string json_;
};

// Writes one line when `level` is at or above the configured level.
void Log(LogLevel level, absl::string_view msg,
         std::initializer_list<LogField> fields = {});

// Process-wide settings; call at startup before other threads log.
// `service` goes into every line (default "cables").
void SetLogService(absl::string_view service);
void SetLogLevel(LogLevel level);
// Parses "debug", "info", "warning"/"warn", "error" (case-insensitive).
// InvalidArgumentError otherwise.
absl::Status SetLogLevelByName(absl::string_view name);
bool LogEnabled(LogLevel level);
// Where lines go (each without its trailing newline); empty: stdout. Tests.
void SetLogSink(std::function<void(absl::string_view line)> sink);

// Sends gRPC's own log messages (gpr_log: handshake failures, traces) to
// Log as {"msg":"grpc","grpc_log":...,"file":...,"line":...}, so stdout
// and stderr carry JSON only. Call once at startup.
void RouteGrpcLogsToJson();

// Appends `s` as a JSON string literal (quoted; control characters, '"',
// '\\' escaped; invalid UTF-8 bytes replaced with U+FFFD).
void AppendJsonString(std::string* out, absl::string_view s);

// The URL with any password replaced by "***", for URL form
// (postgresql://user:secret@host/db) and key=value form (password=secret).
std::string RedactDatabaseUrl(absl::string_view url);

// A short stable fingerprint of text that must not be logged (first 16 hex
// digits of its SHA-256).
std::string HashForLog(absl::string_view text);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_STRUCTURED_LOG_H_
