#include "services/ingest/parser/text_util.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"

namespace cables::parser {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
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

struct NamedEntity {
  absl::string_view name;
  uint32_t code_point;
};

constexpr NamedEntity kNamedEntities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},    {"copy", 0xA9},    {"reg", 0xAE},
    {"para", 0xB6},     {"sect", 0xA7},    {"deg", 0xB0},     {"middot", 0xB7},
    {"laquo", 0xAB},    {"raquo", 0xBB},   {"ndash", 0x2013}, {"mdash", 0x2014},
    {"lsquo", 0x2018},  {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"hellip", 0x2026}, {"eacute", 0xE9},  {"egrave", 0xE8},  {"aacute", 0xE1},
    {"oacute", 0xF3},   {"iacute", 0xED},  {"uacute", 0xFA},  {"ntilde", 0xF1},
    {"ccedil", 0xE7},   {"uuml", 0xFC},    {"ouml", 0xF6},    {"auml", 0xE4},
    {"szlig", 0xDF},    {"Eacute", 0xC9},
};

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t ValidSequenceLength(absl::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t len;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  uint32_t cp = b0 & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

absl::string_view Trim(absl::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string FoldWhitespace(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char c : s) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c);
    }
  }
  return out;
}

std::string DecodeHtmlEntities(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const size_t amp = s.find('&', i);
    if (amp == absl::string_view::npos) {
      out.append(s.data() + i, s.size() - i);
      break;
    }
    out.append(s.data() + i, amp - i);
    i = amp;
    // References are short: look for the ';' in a bounded window only, so
    // text with many '&' and no ';' stays linear.
    const size_t window = s.substr(amp + 1, 12).find(';');
    const size_t semi = window == absl::string_view::npos
                            ? absl::string_view::npos
                            : amp + 1 + window;
    if (semi == absl::string_view::npos) {
      out.push_back('&');
      ++i;
      continue;
    }
    const absl::string_view ref = s.substr(amp + 1, semi - amp - 1);
    bool decoded = false;
    if (ref.size() >= 2 && ref[0] == '#') {
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      const absl::string_view digits = ref.substr(hex ? 2 : 1);
      uint32_t cp = 0;
      bool ok = !digits.empty() && digits.size() <= 8;
      for (char c : digits) {
        if (!ok) break;
        int v;
        if (c >= '0' && c <= '9') {
          v = c - '0';
        } else if (hex && absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
          v = absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' + 10;
        } else {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
      }
      if (ok && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        AppendUtf8(cp, &out);
        decoded = true;
      }
    } else {
      for (const NamedEntity& e : kNamedEntities) {
        if (e.name == ref) {
          AppendUtf8(e.code_point, &out);
          decoded = true;
          break;
        }
      }
    }
    if (decoded) {
      i = semi + 1;
    } else {
      out.push_back('&');
      ++i;
    }
  }
  return out;
}

bool IsValidUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t len = ValidSequenceLength(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string SanitizeUtf8(absl::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < s.size();) {
    const size_t len = ValidSequenceLength(s, i);
    if (len == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(s.data() + i, len);
      i += len;
    }
  }
  return out;
}

std::vector<absl::string_view> SplitLines(absl::string_view s) {
  std::vector<absl::string_view> lines;
  // Telegram lines are about 70 bytes; this saves most regrowth.
  lines.reserve(s.size() / 48 + 1);
  const char* const d = s.data();
  size_t start = 0;
  while (start <= s.size()) {
    const void* nl = start < s.size()
                         ? std::memchr(d + start, '\n', s.size() - start)
                         : nullptr;
    const size_t end =
        nl == nullptr ? s.size()
                      : static_cast<size_t>(static_cast<const char*>(nl) - d);
    absl::string_view line = s.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == s.size()) break;
    start = end + 1;
  }
  return lines;
}

std::string AsciiUpper(absl::string_view s) { return absl::AsciiStrToUpper(s); }

}  // namespace cables::parser
