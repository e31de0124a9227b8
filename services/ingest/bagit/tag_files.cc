#include "services/ingest/bagit/tag_files.h"

#include <cstddef>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace cables::bagit {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

struct Line {
  absl::string_view text;
  int number = 0;  // 1-based
};

// Lines ending in LF, CRLF or CR; a last line without terminator counts.
std::vector<Line> SplitLines(absl::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  int number = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '\n' && c != '\r') continue;
    lines.push_back({text.substr(start, i - start), ++number});
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back({text.substr(start), ++number});
  return lines;
}

bool IsBlank(absl::string_view line) {
  return absl::StripAsciiWhitespace(line).empty();
}

absl::Status LineError(int line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", message));
}

// "Label: value" -> the trimmed value when the label matches exactly.
std::optional<absl::string_view> DeclarationValue(absl::string_view line,
                                                  absl::string_view label) {
  if (!absl::ConsumePrefix(&line, label) || !absl::ConsumePrefix(&line, ":")) {
    return std::nullopt;
  }
  return absl::StripAsciiWhitespace(line);
}

bool IsHex(absl::string_view s) {
  for (const char c : s) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsDecimal(absl::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (const char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

struct AlgorithmInfo {
  Algorithm algorithm;
  absl::string_view name;
  int hex_length;
};
constexpr AlgorithmInfo kAlgorithms[] = {
    {Algorithm::kMd5, "md5", 32},       {Algorithm::kSha1, "sha1", 40},
    {Algorithm::kSha224, "sha224", 56}, {Algorithm::kSha256, "sha256", 64},
    {Algorithm::kSha384, "sha384", 96}, {Algorithm::kSha512, "sha512", 128},
};

}  // namespace

absl::StatusOr<BagDeclaration> ParseBagDeclaration(absl::string_view text) {
  if (absl::StartsWith(text, kByteOrderMark)) {
    return absl::InvalidArgumentError(
        "bagit.txt starts with a byte-order mark (RFC 8493 2.1.1 forbids it)");
  }
  std::vector<Line> lines;
  for (const Line& line : SplitLines(text)) {
    if (!IsBlank(line.text)) lines.push_back(line);
  }
  if (lines.size() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("bagit.txt must hold exactly two lines (BagIt-Version, "
                     "Tag-File-Character-Encoding), found ",
                     lines.size()));
  }
  BagDeclaration declaration;
  const auto version = DeclarationValue(lines[0].text, "BagIt-Version");
  if (!version) {
    return LineError(lines[0].number, "expected \"BagIt-Version: M.N\"");
  }
  if (*version != "1.0" && *version != "0.97") {
    return LineError(lines[0].number,
                     absl::StrCat("unsupported BagIt-Version \"", *version,
                                  "\" (supported: 1.0, 0.97)"));
  }
  const auto encoding =
      DeclarationValue(lines[1].text, "Tag-File-Character-Encoding");
  if (!encoding) {
    return LineError(lines[1].number,
                     "expected \"Tag-File-Character-Encoding: UTF-8\"");
  }
  if (!absl::EqualsIgnoreCase(*encoding, "UTF-8")) {
    return LineError(lines[1].number,
                     absl::StrCat("unsupported tag file encoding \"", *encoding,
                                  "\" (supported: UTF-8)"));
  }
  declaration.version = std::string(*version);
  declaration.encoding = std::string(*encoding);
  return declaration;
}

std::optional<Algorithm> AlgorithmFromName(absl::string_view name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.name == name) return info.algorithm;
  }
  return std::nullopt;
}

absl::string_view AlgorithmName(Algorithm algorithm) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.algorithm == algorithm) return info.name;
  }
  return "";
}

int DigestHexLength(Algorithm algorithm) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.algorithm == algorithm) return info.hex_length;
  }
  return 0;
}

int AlgorithmStrength(Algorithm algorithm) {
  return static_cast<int>(algorithm);
}

std::string DecodeManifestPath(absl::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size()) {
      const absl::string_view code = encoded.substr(i + 1, 2);
      if (absl::EqualsIgnoreCase(code, "0A")) {
        out.push_back('\n');
        i += 2;
        continue;
      }
      if (absl::EqualsIgnoreCase(code, "0D")) {
        out.push_back('\r');
        i += 2;
        continue;
      }
      if (code == "25") {
        out.push_back('%');
        i += 2;
        continue;
      }
    }
    out.push_back(encoded[i]);
  }
  return out;
}

absl::Status CheckRelativePath(absl::string_view path) {
  if (path.empty()) return absl::InvalidArgumentError("empty path");
  if (path.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError("path holds a NUL byte");
  }
  if (path.find('\\') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "path holds a backslash (only '/' separates components)");
  }
  if (path.front() == '/') {
    return absl::InvalidArgumentError("absolute path escapes the bag");
  }
  if (path.front() == '~') {
    return absl::InvalidArgumentError("home-directory path escapes the bag");
  }
  if (path.size() >= 2 &&
      absl::ascii_isalpha(static_cast<unsigned char>(path[0])) &&
      path[1] == ':') {
    return absl::InvalidArgumentError("drive-letter path escapes the bag");
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == absl::string_view::npos) end = path.size();
    const absl::string_view component = path.substr(start, end - start);
    if (component.empty()) {
      return absl::InvalidArgumentError("path has an empty component");
    }
    if (component == "..") {
      return absl::InvalidArgumentError("\"..\" component escapes the bag");
    }
    if (component == ".") {
      return absl::InvalidArgumentError("path has a \".\" component");
    }
    start = end + 1;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ManifestEntry>> ParseManifest(absl::string_view text,
                                                         Algorithm algorithm) {
  std::vector<ManifestEntry> entries;
  absl::flat_hash_set<std::string> seen;
  const size_t hex_length = DigestHexLength(algorithm);
  for (const Line& line : SplitLines(text)) {
    if (IsBlank(line.text)) continue;
    const size_t gap = line.text.find_first_of(" \t");
    if (gap == absl::string_view::npos) {
      return LineError(line.number, "expected \"CHECKSUM FILEPATH\"");
    }
    const absl::string_view digest = line.text.substr(0, gap);
    absl::string_view encoded = line.text.substr(gap);
    while (!encoded.empty() &&
           (encoded.front() == ' ' || encoded.front() == '\t')) {
      encoded.remove_prefix(1);
    }
    if (digest.size() != hex_length || !IsHex(digest)) {
      return LineError(line.number, absl::StrCat("checksum is not ", hex_length,
                                                 " hex digits of ",
                                                 AlgorithmName(algorithm)));
    }
    if (encoded.empty()) return LineError(line.number, "no file path");
    ManifestEntry entry;
    entry.digest = absl::AsciiStrToLower(digest);
    entry.path = DecodeManifestPath(encoded);
    entry.line = line.number;
    if (absl::Status s = CheckRelativePath(entry.path); !s.ok()) {
      return LineError(line.number,
                       absl::StrCat("\"", encoded, "\": ", s.message()));
    }
    if (!seen.insert(entry.path).second) {
      return LineError(line.number,
                       absl::StrCat("\"", encoded, "\" is listed twice"));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<BagInfo> ParseBagInfo(absl::string_view text) {
  BagInfo info;
  for (const Line& line : SplitLines(text)) {
    if (IsBlank(line.text)) continue;
    if (line.text.front() == ' ' || line.text.front() == '\t') {
      if (info.empty()) {
        return LineError(line.number, "continuation line without a label");
      }
      absl::StrAppend(&info.back().second,
                      info.back().second.empty() ? "" : " ",
                      absl::StripAsciiWhitespace(line.text));
      continue;
    }
    const size_t colon = line.text.find(':');
    if (colon == absl::string_view::npos) {
      return LineError(line.number, "expected \"Label: value\"");
    }
    const absl::string_view label =
        absl::StripAsciiWhitespace(line.text.substr(0, colon));
    if (label.empty()) return LineError(line.number, "empty label");
    info.emplace_back(
        std::string(label),
        std::string(absl::StripAsciiWhitespace(line.text.substr(colon + 1))));
  }
  return info;
}

std::vector<std::string> BagInfoValues(const BagInfo& info,
                                       absl::string_view label) {
  std::vector<std::string> values;
  for (const auto& [l, v] : info) {
    if (absl::EqualsIgnoreCase(l, label)) values.push_back(v);
  }
  return values;
}

absl::StatusOr<PayloadOxum> ParsePayloadOxum(absl::string_view value) {
  value = absl::StripAsciiWhitespace(value);
  const size_t dot = value.find('.');
  const absl::string_view octets = value.substr(0, dot);
  const absl::string_view streams = dot == absl::string_view::npos
                                        ? absl::string_view()
                                        : value.substr(dot + 1);
  PayloadOxum oxum;
  if (!IsDecimal(octets) || !IsDecimal(streams) ||
      !absl::SimpleAtoi(octets, &oxum.octets) ||
      !absl::SimpleAtoi(streams, &oxum.streams)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Payload-Oxum \"", value, "\" is not OCTETCOUNT.STREAMCOUNT"));
  }
  return oxum;
}

}  // namespace cables::bagit
