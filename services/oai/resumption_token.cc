#include "services/oai/resumption_token.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace cables::oai {
namespace {

constexpr absl::string_view kVersion = "oai1";

// FNV-1a, 64 bits, as hex: detects edited tokens (not a security measure:
// tokens grant nothing a request could not ask for).
std::string Checksum(absl::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return absl::StrCat(absl::Hex(h, absl::kZeroPad16));
}

absl::Status Bad() {
  return absl::InvalidArgumentError("not a resumptionToken of this repository");
}

}  // namespace

std::string EncodeResumptionToken(const ResumptionToken& t) {
  // '|' cannot occur in verbs, prefixes, setSpecs or datestamps; the
  // decoder rejects it anyway.
  const std::string body = absl::StrJoin(
      {std::string(kVersion), t.verb, t.metadata_prefix, t.from, t.until, t.set,
       absl::StrCat(t.after_micros), absl::StrCat(t.after_position),
       absl::StrCat(t.complete_list_size), absl::StrCat(t.cursor)},
      "|");
  std::string out;
  absl::WebSafeBase64Escape(absl::StrCat(body, "|", Checksum(body)), &out);
  return out;
}

absl::StatusOr<ResumptionToken> DecodeResumptionToken(absl::string_view text) {
  if (text.empty() || text.size() > 4096) return Bad();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(text, &raw)) return Bad();
  const size_t bar = raw.rfind('|');
  if (bar == std::string::npos) return Bad();
  const absl::string_view body = absl::string_view(raw).substr(0, bar);
  if (Checksum(body) != absl::string_view(raw).substr(bar + 1)) return Bad();
  const std::vector<absl::string_view> f = absl::StrSplit(body, '|');
  if (f.size() != 10 || f[0] != kVersion) return Bad();
  ResumptionToken t;
  t.verb = std::string(f[1]);
  t.metadata_prefix = std::string(f[2]);
  t.from = std::string(f[3]);
  t.until = std::string(f[4]);
  t.set = std::string(f[5]);
  if (!absl::SimpleAtoi(f[6], &t.after_micros) ||
      !absl::SimpleAtoi(f[7], &t.after_position) ||
      !absl::SimpleAtoi(f[8], &t.complete_list_size) ||
      !absl::SimpleAtoi(f[9], &t.cursor) || t.cursor < 0 ||
      t.complete_list_size < 0) {
    return Bad();
  }
  return t;
}

}  // namespace cables::oai
