#include "storage/pg_encoding.h"

#include <cstdio>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace cables::storage {

std::string TextArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (const char c : values[i]) {
      if (c == '\0') continue;
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

std::string IntArrayLiteral(const std::vector<int>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    absl::StrAppend(&out, values[i]);
  }
  out.push_back('}');
  return out;
}

absl::StatusOr<std::vector<std::string>> ParseTextArray(absl::string_view t) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed text[] value: ", t.substr(0, 80)));
  };
  std::vector<std::string> out;
  if (t.size() < 2 || t.front() != '{' || t.back() != '}') return bad();
  size_t i = 1;
  const size_t end = t.size() - 1;
  if (i == end) return out;
  while (true) {
    std::string value;
    if (t[i] == '"') {
      ++i;
      while (i < end && t[i] != '"') {
        if (t[i] == '\\' && i + 1 < end) ++i;
        value.push_back(t[i]);
        ++i;
      }
      if (i >= end) return bad();
      ++i;  // closing quote
    } else {
      const size_t start = i;
      while (i < end && t[i] != ',') ++i;
      value = std::string(t.substr(start, i - start));
      if (value == "NULL") value.clear();
    }
    out.push_back(std::move(value));
    if (i == end) break;
    if (t[i] != ',') return bad();
    ++i;
  }
  return out;
}

std::string ByteaHex(absl::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 + bytes.size() * 2);
  out += "\\x";
  for (const unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

int64_t TimestampToMicros(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

google::protobuf::Timestamp TimestampFromMicros(int64_t micros) {
  google::protobuf::Timestamp ts;
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rest * 1000));
  return ts;
}

std::string TimestampLiteral(const google::protobuf::Timestamp& ts) {
  const absl::Time t = absl::FromUnixMicros(TimestampToMicros(ts));
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", t, absl::UTCTimeZone());
}

std::string WithoutNul(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c != '\0') out.push_back(c);
  }
  return out;
}

// Token layout before base64: "c1|<micros or ->|<fingerprint hex>|<id>".
std::string EncodePageCursor(const PageCursor& cursor) {
  const std::string raw = absl::StrCat(
      "c1|",
      cursor.sort_micros.has_value() ? absl::StrCat(*cursor.sort_micros) : "-",
      "|", absl::Hex(cursor.query_fingerprint), "|", cursor.canonical_id);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<PageCursor> DecodePageCursor(absl::string_view token) {
  const auto bad = [] {
    return absl::InvalidArgumentError("invalid page token");
  };
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return bad();
  std::vector<absl::string_view> parts =
      absl::StrSplit(raw, absl::MaxSplits('|', 3));
  if (parts.size() != 4 || parts[0] != "c1" || parts[3].empty()) return bad();
  PageCursor cursor;
  if (parts[1] != "-") {
    int64_t micros = 0;
    if (!absl::SimpleAtoi(parts[1], &micros)) return bad();
    cursor.sort_micros = micros;
  }
  if (!absl::SimpleHexAtoi(parts[2], &cursor.query_fingerprint)) return bad();
  cursor.canonical_id = std::string(parts[3]);
  return cursor;
}

}  // namespace cables::storage
