#include "services/ingest/parser/input_text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "services/ingest/parser/byte_scan.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

// How many leading bytes the control-character test samples.
constexpr size_t kControlSample = 64 * 1024;
// Share of control characters above which input counts as binary.
constexpr double kMaxControlShare = 0.10;

// Code points of bytes 0x80..0x9F in Windows-1252 (0: undefined).
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

bool IsControl(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
          c != '\v') ||
         c == 0x7F;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Length of a well-formed UTF-8 sequence at s[i] (>= 2), or 0.
size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len;
  uint32_t cp;
  uint32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// IsValidUtf8 with an ASCII fast path: runs of ASCII are skipped sixteen
// (or eight) bytes at a time, each multi-byte sequence is checked on its own.
bool IsValidUtf8Fast(absl::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  while (true) {
    i += byte_scan::FindNonAscii(s.data() + i, n - i);
    if (i >= n) return true;
    const size_t len = Utf8SequenceLength(s, i);
    if (len == 0) return false;
    i += len;
  }
}

}  // namespace

absl::Status CheckTextInput(absl::string_view input) {
  if (Trim(input).empty()) return absl::InvalidArgumentError("input is empty");
  const void* nul = std::memchr(input.data(), '\0', input.size());
  if (nul != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrFormat("input is binary (NUL byte at offset %d)",
                        static_cast<const char*>(nul) - input.data()));
  }
  const size_t n = std::min(input.size(), kControlSample);
  size_t controls = 0;
  for (size_t i = 0; i < n; ++i) {
    if (IsControl(static_cast<unsigned char>(input[i]))) ++controls;
  }
  if (controls > 0 && static_cast<double>(controls) > kMaxControlShare * n) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "input is binary (%d%% of the first %d bytes are control characters)",
        static_cast<int>(100.0 * controls / n), n));
  }
  return absl::OkStatus();
}

std::optional<std::string> DecodeUtf16WithBom(absl::string_view input) {
  if (input.size() < 2) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(input[0]);
  const auto b1 = static_cast<unsigned char>(input[1]);
  bool little_endian;
  if (b0 == 0xFF && b1 == 0xFE) {
    little_endian = true;
  } else if (b0 == 0xFE && b1 == 0xFF) {
    little_endian = false;
  } else {
    return std::nullopt;
  }
  const auto unit = [&](size_t i) -> uint32_t {
    const auto lo =
        static_cast<unsigned char>(input[little_endian ? i : i + 1]);
    const auto hi =
        static_cast<unsigned char>(input[little_endian ? i + 1 : i]);
    return (static_cast<uint32_t>(hi) << 8) | lo;
  };
  constexpr uint32_t kReplacement = 0xFFFD;
  std::string out;
  out.reserve(input.size() / 2 + 16);
  size_t i = 2;
  for (; i + 1 < input.size(); i += 2) {
    const uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < input.size()) {
      const uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), &out);
        i += 2;
        continue;
      }
    }
    AppendUtf8(u >= 0xD800 && u <= 0xDFFF ? kReplacement : u, &out);
  }
  if (i < input.size()) AppendUtf8(kReplacement, &out);  // odd byte left
  return out;
}

std::string DecodeWindows1252(absl::string_view input) {
  std::string out;
  out.reserve(input.size() + input.size() / 8);
  for (char ch : input) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else if (c < 0xA0) {
      const uint16_t cp = kCp1252High[c - 0x80];
      AppendUtf8(cp == 0 ? 0xFFFD : cp, &out);
    } else {
      AppendUtf8(c, &out);
    }
  }
  return out;
}

TextEncoding RepairEncoding(absl::string_view input, std::string* fixed) {
  if (IsValidUtf8Fast(input)) return TextEncoding::kUtf8;
  size_t valid_sequences = 0;
  size_t stray_bytes = 0;
  for (size_t i = 0; i < input.size();) {
    if (static_cast<unsigned char>(input[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t len = Utf8SequenceLength(input, i);
    if (len == 0) {
      ++stray_bytes;
      ++i;
    } else {
      ++valid_sequences;
      i += len;
    }
  }
  if (stray_bytes > valid_sequences) {
    *fixed = DecodeWindows1252(input);
    return TextEncoding::kWindows1252;
  }
  *fixed = SanitizeUtf8(input);
  return TextEncoding::kUtf8Repaired;
}

void MakeValidUtf8(std::string* s) {
  std::string fixed;
  if (RepairEncoding(*s, &fixed) != TextEncoding::kUtf8) *s = std::move(fixed);
}

void NormalizeNewlines(std::string* s) {
  if (s->find('\r') == std::string::npos) return;
  size_t w = 0;
  const size_t n = s->size();
  for (size_t r = 0; r < n; ++r) {
    const char c = (*s)[r];
    if (c == '\r') {
      (*s)[w++] = '\n';
      if (r + 1 < n && (*s)[r + 1] == '\n') ++r;
    } else {
      (*s)[w++] = c;
    }
  }
  s->resize(w);
}

}  // namespace cables::parser
