#include "services/ingest/parser/signers.h"

#include <array>

#include "services/ingest/parser/body_lines.h"

namespace cables::parser {
namespace {

constexpr size_t kNpos = static_cast<size_t>(-1);

bool IsStopWord(absl::string_view word) {
  static constexpr std::array<absl::string_view, 42> kStop = {
      "END",          "COMMENT",   "COMMENTS",     "SUMMARY",
      "SIPDIS",       "NOFORN",    "CONFIDENTIAL", "SECRET",
      "UNCLASSIFIED", "UNCLAS",    "NNNN",         "BT",
      "TEXT",         "MINIMIZE",  "CONSIDERED",   "THANKS",
      "REGARDS",      "NOTE",      "DRAFTED",      "CLEARED",
      "APPROVED",     "SENSITIVE", "REF",          "TAGS",
      "SUBJECT",      "ACTION",    "INFO",         "PASS",
      "BEGIN",        "ENDS",      "BACKGROUND",   "CONCLUSION",
      "PARTICIPANTS", "REQUEST",   "QUESTIONS",    "DECL",
      "CORRECTED",    "COPY",      "EXDIS",        "NODIS",
      "QUOTE",        "UNQUOTE"};
  for (absl::string_view s : kStop) {
    if (word.size() == s.size() && StartsWithNoCase(word, s)) return true;
  }
  bool all_x = word.size() >= 3;
  for (char c : word) all_x &= c == 'x' || c == 'X';
  return all_x;
}

// Start of a trailer marker in `t` ("Visit London's Classified Website",
// "http://", "www.", "*****", ...), or npos.
size_t TrailerMarkerPos(absl::string_view t) {
  size_t best = kNpos;
  for (absl::string_view marker :
       {"Visit ", "Please visit", "http", "www.", "*****", "Partnership Blog",
        "Classified Web"}) {
    const size_t at = marker == "Visit " || marker == "http"
                          ? t.find(marker)
                          : FindIgnoreCase(t, marker);
    if (at != absl::string_view::npos && at < best) best = at;
  }
  return best;
}

bool IsTrailerLine(absl::string_view t) {
  if (t.empty() || IsRuleLine(t) || IsClassificationOnlyLine(t) ||
      ParsePageBreakLine(t, nullptr)) {
    return true;
  }
  if (t.size() == 4 && StartsWithNoCase(t, "NNNN")) return true;
  if (t == "BT" || t == "SIPDIS" || StartsWithNoCase(t, "END CABLE TEXT") ||
      StartsWithNoCase(t, "SELECT * FROM")) {
    return true;
  }
  if (t[0] == '#' && t.size() > 1 && IsAsciiDigit(t[1])) return true;
  bool all_x = t.size() >= 3;
  for (char c : t) all_x &= c == 'x' || c == 'X' || c == ' ';
  if (all_x) return true;
  return TrailerMarkerPos(t) == 0 ||
         FindIgnoreCase(t, "Classified Web") != absl::string_view::npos;
}

// A signer written at the end of a trailer line: "... index. cfm TUTTLE".
size_t NameEndingTrailer(absl::string_view t) {
  const size_t space = t.find_last_of(' ');
  if (space == absl::string_view::npos) return kNpos;
  const absl::string_view name = t.substr(space + 1);
  if (name.size() < 3 || name.size() > 24 || IsStopWord(name)) return kNpos;
  for (char c : name) {
    if (!IsAsciiUpper(c)) return kNpos;
  }
  return space + 1;
}

// "tuttle", "jones": a lone lower-case surname closing the body.
bool IsLowercaseSigner(absl::string_view t) {
  if (t.size() < 3 || t.size() > 20) return false;
  for (char c : t) {
    if (!IsAsciiLower(c)) return false;
  }
  return !IsStopWord(t) && t != "end" && t != "ends";
}

absl::string_view StripSigned(absl::string_view t) {
  t = TrimView(t);
  if (StartsWithNoCase(t, "SIGNED") &&
      (t.size() == 6 || t[6] == ':' || t[6] == ' ')) {
    return TrimLeftChars(t.substr(6), ": ");
  }
  return t;
}

// Offset of a signer name ending the text line `t` after a sentence, or
// npos: "... cleared this cable. WOOD".
size_t GluedSignerPos(absl::string_view t) {
  const size_t space = t.find_last_of(' ');
  if (space == absl::string_view::npos) return kNpos;
  const absl::string_view name = t.substr(space + 1);
  size_t letters = 0;
  for (char c : name) {
    if (IsAsciiUpper(c)) {
      ++letters;
    } else if (c != '-' && c != '/' && c != '\'') {
      return kNpos;
    }
  }
  if (letters < 3 || name.size() > 24 || IsStopWord(name)) return kNpos;
  size_t k = space;
  while (k > 0 && t[k - 1] == ' ') --k;
  if (k == 0) return kNpos;
  const char before = t[k - 1];
  const bool sentence_end = before == '.' || before == '!' || before == '?' ||
                            before == ')' || before == '"' ||
                            (k >= 3 && t.substr(k - 3, 3) == "\xE2\x80\x9D");
  if (!sentence_end) return kNpos;
  return space + 1;
}

}  // namespace

bool IsSignerText(absl::string_view text) {
  const absl::string_view t = StripSigned(text);
  if (t.size() < 2 || t.size() > 60) return false;
  bool any_lower = false;
  for (char c : t) {
    if (IsAsciiLower(c)) any_lower = true;
    if (!IsAsciiAlpha(c) && c != ' ' && c != '/' && c != '.' && c != '-' &&
        c != '\'') {
      return false;
    }
  }
  size_t tokens = 0;
  size_t long_tokens = 0;
  size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && (t[i] == ' ' || t[i] == '/')) ++i;
    if (i >= t.size()) break;
    const size_t start = i;
    while (i < t.size() && t[i] != ' ' && t[i] != '/') ++i;
    const absl::string_view w = t.substr(start, i - start);
    ++tokens;
    size_t letters = 0;
    for (char c : w) letters += IsAsciiAlpha(c) ? 1 : 0;
    const bool initial = letters == 1 && w.size() == 2 && w[1] == '.';
    if (letters < 2 && !initial) return false;
    if (w.find("..") != absl::string_view::npos) return false;  // "AN..."
    const bool suffix =
        tokens > 1 &&
        (StartsWithNoCase(w, "JR") || StartsWithNoCase(w, "SR")) &&
        w.size() <= 3;
    if (suffix) continue;
    if (!IsAsciiUpper(w[0])) return false;
    if (IsStopWord(w)) return false;
    if (letters >= 3) ++long_tokens;
    if (any_lower && !initial) {
      // Capitalised words: "Stapleton", "LeBaron", "McDonald".
      bool has_lower = false;
      for (char c : w) has_lower |= IsAsciiLower(c);
      if (!has_lower) return false;
    }
  }
  if (tokens == 0 || tokens > 4 || long_tokens == 0) return false;
  if (any_lower && tokens > 3) return false;
  return true;
}

std::vector<std::string> SplitSigners(absl::string_view text) {
  const absl::string_view t = StripSigned(text);
  std::vector<std::string> out;
  size_t p = 0;
  while (p <= t.size()) {
    size_t slash = t.find('/', p);
    if (slash == absl::string_view::npos) slash = t.size();
    std::string part;
    AppendFolded(t.substr(p, slash - p), &part);
    // "KUBISKE KUBISKE": the same word repeated is one name.
    const size_t space = part.find(' ');
    if (space != std::string::npos) {
      const absl::string_view first = absl::string_view(part).substr(0, space);
      bool same = true;
      size_t q = 0;
      const absl::string_view whole = part;
      while (q < whole.size()) {
        size_t e = whole.find(' ', q);
        if (e == absl::string_view::npos) e = whole.size();
        same &= whole.substr(q, e - q) == first;
        q = e + 1;
      }
      if (same) part = std::string(first);
    }
    if (!part.empty()) {
      bool dup = false;
      for (const std::string& o : out) dup |= o == part;
      if (!dup) out.push_back(std::move(part));
    }
    p = slash + 1;
  }
  return out;
}

Signature FindSignature(const std::vector<absl::string_view>& lines) {
  Signature sig;
  sig.trailer_begin = lines.size();
  size_t i = lines.size();
  for (int steps = 0; i > 0 && steps < 16; ++steps) {
    --i;
    const absl::string_view t = TrimView(lines[i]);
    const size_t offset = static_cast<size_t>(t.data() - lines[i].data());
    const size_t marker = t.empty() ? kNpos : TrailerMarkerPos(t);
    if (marker != kNpos && marker > 0) {
      // "SUSMANVisit London's Classified Website: ...".
      const absl::string_view prefix = TrimView(t.substr(0, marker));
      if (IsSignerText(prefix)) {
        sig.signers = SplitSigners(prefix);
        sig.trailer_begin = i;
        return sig;
      }
      // Text with a trailer glued on: the content ends at the marker.
      const size_t glued = GluedSignerPos(prefix);
      sig.glued_line = i;
      sig.trailer_begin = i + 1;
      if (glued != kNpos) {
        sig.signers = SplitSigners(prefix.substr(glued));
        sig.glued_offset = offset + glued;
      } else {
        sig.glued_offset = offset + marker;
      }
      return sig;
    }
    if (IsTrailerLine(t)) {
      const size_t name = marker == 0 ? NameEndingTrailer(t) : kNpos;
      if (name != kNpos) {
        sig.signers = SplitSigners(t.substr(name));
        sig.trailer_begin = i;
        return sig;
      }
      sig.trailer_begin = i;
      continue;
    }
    // "MANZANARES ." -> "MANZANARES".
    absl::string_view name = t;
    if (name.size() > 2 && name.back() == '.' && name[name.size() - 2] == ' ') {
      name = TrimView(name.substr(0, name.size() - 1));
    }
    if (IsSignerText(name)) {
      sig.signers = SplitSigners(name);
      sig.trailer_begin = i;
      return sig;
    }
    if (IsLowercaseSigner(t) &&
        (i == 0 || IsBlankLine(lines[i - 1]) || IsRuleLine(lines[i - 1]) ||
         TrimView(lines[i - 1]).back() == '.')) {
      sig.signers.emplace_back(t);
      sig.trailer_begin = i;
      return sig;
    }
    const size_t glued = GluedSignerPos(t);
    if (glued != kNpos) {
      sig.signers = SplitSigners(t.substr(glued));
      sig.glued_line = i;
      sig.glued_offset = offset + glued;
      sig.trailer_begin = i + 1;
    }
    return sig;
  }
  return sig;
}

}  // namespace cables::parser
