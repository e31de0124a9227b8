#include "services/ingest/parser/references.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/ingest/parser/byte_scan.h"
#include "services/ingest/parser/cable_id.h"
#include "services/ingest/parser/station_aliases.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

using cables::v1::Reference;

// Bounds that keep garbage input cheap: the REF block is searched for in the
// first kMaxSearchBytes of a body (only a capitalised "REF:" opening a line
// is looked for beyond), a block spans at most kMaxBlockLines lines
// / kMaxBlockBytes bytes, and one block yields at most kMaxReferences
// references.
constexpr size_t kMaxSearchBytes = 16 * 1024;
constexpr int kMaxBlockLines = 60;
constexpr size_t kMaxBlockBytes = 8 * 1024;
constexpr size_t kMaxReferences = 200;
// Longest serial written (zero-padded ones have 8 digits) and longest
// significant serial.
constexpr size_t kMaxSerialWritten = 8;
constexpr size_t kMaxSerialDigits = 7;

// ---------------------------------------------------------------------------
// Characters and words.

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
char Upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// "¶" (U+00B6) marks paragraphs in the HTML release; it is layout, not text.
bool IsPilcrowAt(absl::string_view s, size_t i) {
  return i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 &&
         static_cast<unsigned char>(s[i + 1]) == 0xB6;
}

bool EqualsUpper(absl::string_view word, absl::string_view upper) {
  if (word.size() != upper.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Upper(word[i]) != upper[i]) return false;
  }
  return true;
}

template <size_t N>
bool IsOneOf(absl::string_view word, const absl::string_view (&list)[N]) {
  for (absl::string_view w : list) {
    if (EqualsUpper(word, w)) return true;
  }
  return false;
}

constexpr absl::string_view kLabels[] = {
    "REF",       "REFS",       "REFTEL",     "REFTELS",
    "REFERENCE", "REFERENCES", "REFERENCED", "REFERENCE(S)",
};

// Words that never name a station even when a year and a number surround
// them ("10 AUGUST 2008", "2006 IIR 6 854 0025 07").
constexpr absl::string_view kNotStations[] = {
    "JAN",     "JANUARY",  "FEB",       "FEBRUARY", "MAR",        "MARCH",
    "APR",     "APRIL",    "MAY",       "JUN",      "JUNE",       "JUL",
    "JULY",    "AUG",      "AUGUST",    "SEP",      "SEPT",       "SEPTEMBER",
    "OCT",     "OCTOBER",  "NOV",       "NOVEMBER", "DEC",        "DECEMBER",
    "IIR",     "IIRS",     "FAM",       "FAH",      "TDX",        "OSC",
    "DTG",     "MSG",      "USC",       "CFR",      "UNSCR",      "RES",
    "PARA",    "PARAS",    "PARAGRAPH", "SECTION",  "PAGE",       "PAGES",
    "ITEM",    "ITEMS",    "NO",        "NR",       "NUMBER",     "REPORT",
    "REPORTS", "EMAIL",    "EMAILS",    "MEMO",     "LETTER",     "FAX",
    "TELCON",  "TELECON",  "MEETING",   "MTG",      "CABLE",      "CABLES",
    "TEL",     "TELEGRAM", "TELEGRAMS", "DAYS",     "YEARS",      "HOURS",
    "ARTICLE", "ARTICLES", "LAW",       "DECREE",   "RESOLUTION", "INTSUM",
    "AND",     "THE",      "OF",        "PHONE",    "CALL",       "NOTE",
    "DIPNOTE", "NONPAPER", "POINTS",    "DAILY",    "VOL",        "VOLUME",
    "CHAPTER", "ANNEX",    "TAB",       "ENCL",     "ENCLOSURE",  "FILE",
};

// Words after which "X." is a name's initial rather than an entry letter.
constexpr absl::string_view kBeforeInitials[] = {
    "FROM", "TO",  "BY",  "AND",  "OF",         "WITH",      "MR",      "MRS",
    "MS",   "DR",  "AMB", "SEN",  "REP",        "GEN",       "PROF",    "CDA",
    "DCM",  "FOR", "CC",  "ATTN", "AMBASSADOR", "SECRETARY", "SENATOR",
};

// ---------------------------------------------------------------------------
// Tokens.

enum class TokKind : uint8_t { kWord, kNumber, kPunct };

struct Token {
  TokKind kind;
  bool space_before;    // whitespace, a pilcrow or the block start precedes
  bool newline_before;  // a line break or the block start precedes
  size_t begin;
  size_t end;
};

class Tokens {
 public:
  explicit Tokens(absl::string_view text) : text_(text) { Tokenize(); }

  size_t size() const { return toks_.size(); }
  const Token& operator[](size_t i) const { return toks_[i]; }
  absl::string_view Text(size_t i) const {
    return text_.substr(toks_[i].begin, toks_[i].end - toks_[i].begin);
  }
  bool IsWord(size_t i) const {
    return i < toks_.size() && toks_[i].kind == TokKind::kWord;
  }
  bool IsNumber(size_t i) const {
    return i < toks_.size() && toks_[i].kind == TokKind::kNumber;
  }
  bool IsPunct(size_t i, char c) const {
    return i < toks_.size() && toks_[i].kind == TokKind::kPunct &&
           toks_[i].end - toks_[i].begin == 1 && text_[toks_[i].begin] == c;
  }
  bool IsWordEq(size_t i, absl::string_view upper) const {
    return IsWord(i) && EqualsUpper(Text(i), upper);
  }
  // Token i follows token i-1 with nothing in between.
  bool Glued(size_t i) const {
    return i < toks_.size() && i > 0 && !toks_[i].space_before;
  }
  bool IsSingleLetter(size_t i) const {
    return IsWord(i) && toks_[i].end - toks_[i].begin == 1;
  }

 private:
  void Tokenize() {
    bool space = true;
    bool newline = true;
    size_t i = 0;
    const size_t n = text_.size();
    while (i < n) {
      const char c = text_[i];
      if (c == '\n') {
        space = newline = true;
        ++i;
        continue;
      }
      if (IsBlank(c)) {
        space = true;
        ++i;
        continue;
      }
      if (IsPilcrowAt(text_, i)) {
        space = true;
        i += 2;
        continue;
      }
      Token t{TokKind::kPunct, space, newline, i, i + 1};
      if (IsAlpha(c)) {
        t.kind = TokKind::kWord;
        while (t.end < n && IsAlpha(text_[t.end])) ++t.end;
      } else if (IsDigit(c)) {
        t.kind = TokKind::kNumber;
        while (t.end < n && IsDigit(text_[t.end])) ++t.end;
      } else if (static_cast<unsigned char>(c) >= 0xC0) {
        // One UTF-8 sequence is one punctuation token.
        while (t.end < n &&
               (static_cast<unsigned char>(text_[t.end]) & 0xC0) == 0x80) {
          ++t.end;
        }
      }
      toks_.push_back(t);
      i = t.end;
      space = newline = false;
    }
  }

  absl::string_view text_;
  std::vector<Token> toks_;
};

// ---------------------------------------------------------------------------
// Cable mentions.

struct Mention {
  size_t begin = 0;  // first token
  size_t end = 0;    // one past the last token
  int year = 0;      // 0: unknown
  std::string station;
  std::string serial;         // without leading zeros
  bool continuation = false;  // a bare serial continuing the previous one
};

// Serial digits (without leading zeros) of number token `i` when it can be
// a cable serial, nullopt otherwise.
std::optional<absl::string_view> SerialAt(const Tokens& t, size_t i,
                                          size_t end) {
  if (i >= end || !t.IsNumber(i)) return std::nullopt;
  absl::string_view digits = t.Text(i);
  if (digits.size() > kMaxSerialWritten) return std::nullopt;
  while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
  if (digits.empty() || digits.size() > kMaxSerialDigits) return std::nullopt;
  // Not a decimal ("9 FAM 42.1"), a date or slashed number ("3/4/08",
  // "314/07696-07"), a time ("12:30") or a grouped number ("1,234").
  if (t.IsNumber(i + 2) && t.Glued(i + 1) && t.Glued(i + 2) &&
      (t.IsPunct(i + 1, '.') || t.IsPunct(i + 1, '/') ||
       t.IsPunct(i + 1, ':') || t.IsPunct(i + 1, ','))) {
    return std::nullopt;
  }
  // Nor the tail of a slashed number ("TD-314/65216").
  if (i >= 1 && t.Glued(i) && t.IsPunct(i - 1, '/')) return std::nullopt;
  return digits;
}

int NumberValue(absl::string_view digits) {
  int v = 0;
  for (char c : digits.substr(0, 9)) v = v * 10 + (c - '0');
  return v;
}

// A year written before a station: two digits, or four in 1900..2099.
std::optional<int> PrefixYear(const Tokens& t, size_t i) {
  if (!t.IsNumber(i)) return std::nullopt;
  absl::string_view d = t.Text(i);
  if (d.size() == 2) return ExpandTwoDigitYear(NumberValue(d));
  if (d.size() == 4) {
    const int y = NumberValue(d);
    if (y >= 1900 && y <= 2099) return y;
  }
  return std::nullopt;
}

class MentionScanner {
 public:
  MentionScanner(const Tokens& t, int default_year)
      : t_(t), default_year_(default_year) {}

  // Scans tokens [begin, end) and appends every mention found.
  void Scan(size_t begin, size_t end, std::vector<Mention>* out) const {
    size_t i = begin;
    const Mention* last = nullptr;
    size_t last_index = 0;
    bool gap_has_separator = false;
    bool gap_clean = true;
    while (i < end) {
      std::optional<Mention> m = Full(i, end);
      if (!m && last != nullptr && gap_clean && gap_has_separator) {
        m = Continuation(i, end, *last);
      }
      if (m) {
        i = m->end;
        out->push_back(std::move(*m));
        last_index = out->size() - 1;
        last = &(*out)[last_index];
        gap_has_separator = false;
        gap_clean = true;
        continue;
      }
      if (t_.IsPunct(i, ',') || t_.IsPunct(i, ';') || t_.IsPunct(i, '&') ||
          t_.IsWordEq(i, "AND")) {
        gap_has_separator = true;
      } else {
        gap_clean = false;
      }
      ++i;
    }
  }

  // A mention with its own station starting at token i.
  std::optional<Mention> Full(size_t i, size_t end) const {
    if (i >= end) return std::nullopt;
    // "08 STATE 1", "2008 STATE 1", "08STATE1".
    if (std::optional<int> year = PrefixYear(t_, i)) {
      if (std::optional<Mention> m = StationAndSerial(i + 1, end, true)) {
        m->begin = i;
        m->year = *year;
        return m;
      }
      return std::nullopt;
    }
    // "(08) SAO PAULO 581".
    if (t_.IsPunct(i, '(') && t_.IsNumber(i + 1) &&
        t_.Text(i + 1).size() == 2 && t_.IsPunct(i + 2, ')')) {
      if (std::optional<Mention> m = StationAndSerial(i + 3, end, false)) {
        m->begin = i;
        m->year = ExpandTwoDigitYear(NumberValue(t_.Text(i + 1)));
        return m;
      }
      return std::nullopt;
    }
    std::optional<Mention> m = StationAndSerial(i, end, false);
    if (!m) return std::nullopt;
    m->begin = i;
    SuffixYear(end, &*m);
    if (m->year == 0) m->year = default_year_;
    return m;
  }

 private:
  // Station words then serial, starting at token k. `explicit_year`: a year
  // precedes, which lets an unknown all-capitals word serve as the station.
  std::optional<Mention> StationAndSerial(size_t k, size_t end,
                                          bool explicit_year) const {
    if (!t_.IsWord(k) || k >= end) return std::nullopt;
    // Candidate station runs, longest last.
    struct Candidate {
      absl::string_view station;
      size_t next;
    };
    Candidate candidates[kMaxStationWords];
    int n = 0;
    std::string squeezed;
    size_t w = k;
    for (int words = 0; words < kMaxStationWords; ++words) {
      if (w >= end || !t_.IsWord(w)) break;
      for (char c : t_.Text(w)) squeezed.push_back(Upper(c));
      if (squeezed.size() > 40) break;
      absl::string_view found = LookupStation(squeezed);
      if (!found.empty()) candidates[n++] = {found, w + 1};
      // Joiners between the words of a station: space, or a glued '-',
      // '\'' or '.' ("PORT-AU-PRINCE", "N'DJAMENA", "ST.PETERSBURG").
      size_t next = w + 1;
      if (next < end &&
          (t_.IsPunct(next, '-') || t_.IsPunct(next, '\'') ||
           t_.IsPunct(next, '.')) &&
          t_.Glued(next) && t_.IsWord(next + 1) && t_.Glued(next + 1)) {
        ++next;
      }
      w = next;
    }
    for (int c = n - 1; c >= 0; --c) {
      if (std::optional<Mention> m =
              Serial(candidates[c].next, end, candidates[c].station)) {
        return m;
      }
    }
    if (n == 0 && explicit_year) {
      // "08 FOOBAR 123": an unknown station, written in capitals.
      absl::string_view word = t_.Text(k);
      if (word.size() >= 3 && word.size() <= 20 &&
          !IsOneOf(word, kNotStations)) {
        bool caps = true;
        for (char c : word) caps = caps && c >= 'A' && c <= 'Z';
        if (caps) return Serial(k + 1, end, word);
      }
    }
    return std::nullopt;
  }

  std::optional<Mention> Serial(size_t s, size_t end,
                                absl::string_view station) const {
    // "MOSCOW-1234": one hyphen glued on both sides.
    if (t_.IsPunct(s, '-') && t_.Glued(s) && t_.IsNumber(s + 1) &&
        t_.Glued(s + 1)) {
      ++s;
    }
    std::optional<absl::string_view> serial = SerialAt(t_, s, end);
    if (!serial) return std::nullopt;
    Mention m;
    m.station = std::string(station);
    m.serial = std::string(*serial);
    m.end = s + 1;
    return m;
  }

  // "DOHA 152 (08)", "MOSCOW 03242 2008".
  void SuffixYear(size_t end, Mention* m) const {
    const size_t u = m->end;
    if (u + 2 < end && t_.IsPunct(u, '(') && t_.IsNumber(u + 1) &&
        t_.Text(u + 1).size() == 2 && t_.IsPunct(u + 2, ')')) {
      m->year = ExpandTwoDigitYear(NumberValue(t_.Text(u + 1)));
      m->end = u + 3;
      return;
    }
    if (u < end && t_.IsNumber(u) && t_.Text(u).size() == 4 &&
        !t_[u].newline_before) {
      const int y = NumberValue(t_.Text(u));
      if (y < 1966 || y > 2030) return;
      if (t_.IsWord(u + 1) && u + 1 < end) {
        // "2008 STATE 12" starts the next mention.
        if (StationAndSerial(u + 1, end, true)) return;
      }
      if (u + 1 < end && t_.Glued(u + 1) &&
          (t_.IsPunct(u + 1, '/') || t_.IsPunct(u + 1, '.') ||
           t_.IsPunct(u + 1, '-'))) {
        return;
      }
      m->year = y;
      m->end = u + 1;
    }
  }

  std::optional<Mention> Continuation(size_t i, size_t end,
                                      const Mention& last) const {
    std::optional<absl::string_view> serial = SerialAt(t_, i, end);
    if (!serial) return std::nullopt;
    // Not glued to a word that makes it something else ("1300Z").
    if (i + 1 < end && t_.IsWord(i + 1) && t_.Glued(i + 1)) return std::nullopt;
    Mention m;
    m.begin = i;
    m.end = i + 1;
    m.year = last.year;
    m.station = last.station;
    m.serial = std::string(*serial);
    m.continuation = true;
    return m;
  }

  const Tokens& t_;
  int default_year_;
};

// ---------------------------------------------------------------------------
// Kinds of non-cable entries.

Reference::Kind KindOfWord(const Tokens& t, size_t i) {
  absl::string_view w = t.Text(i);
  static constexpr absl::string_view kEmail[] = {"EMAIL", "EMAILS", "EMAILED",
                                                 "EMAIL'S"};
  static constexpr absl::string_view kTel[] = {
      "TELCON",    "TELCONS",    "TELECON",        "TELECONS",
      "TELEPHONE", "TELEPHONED", "TELECONFERENCE", "PHONE",
      "PHONECALL", "PHONECON",   "PHONECONS",      "TELCONV"};
  static constexpr absl::string_view kMemo[] = {
      "MEMO", "MEMOS", "MEMORANDUM", "MEMORANDA", "MEMCON", "MEMCONS"};
  static constexpr absl::string_view kReport[] = {
      "REPORT", "REPORTS",    "REPORTING", "IIR",     "IIRS",
      "INTSUM", "INTREP",     "SITREP",    "SPOTREP", "OSC",
      "FBIS",   "ASSESSMENT", "DAILY",     "INTREPS", "INTSUMS"};
  static constexpr absl::string_view kFax[] = {"FAX", "FAXES", "FAXED",
                                               "TELEFAX", "FACSIMILE"};
  static constexpr absl::string_view kMeeting[] = {
      "MEETING",      "MEETINGS",      "MTG",        "MTGS",
      "CONVERSATION", "CONVERSATIONS", "DISCUSSION", "DISCUSSIONS",
      "VTC",          "SVTC",          "DVC",        "VIDEOCONFERENCE"};
  static constexpr absl::string_view kWeb[] = {
      "HTTP", "HTTPS", "WWW", "WEBSITE", "WEBSITES", "WEB", "URL", "WEBPAGE"};
  static constexpr absl::string_view kBook[] = {"BOOK", "BOOKS", "ISBN"};
  if (IsOneOf(w, kEmail)) return Reference::EMAIL;
  // "E-MAIL", "E MAIL".
  if (EqualsUpper(w, "E")) {
    size_t j = i + 1;
    if (t.IsPunct(j, '-')) ++j;
    if (t.IsWordEq(j, "MAIL") || t.IsWordEq(j, "MAILS"))
      return Reference::EMAIL;
  }
  if (IsOneOf(w, kTel)) return Reference::TEL;
  if (IsOneOf(w, kMemo)) return Reference::MEMO;
  if (IsOneOf(w, kReport)) return Reference::REPORT;
  // "TD-314/65216-07", "TDX-315/090481-08": intelligence reports.
  if ((EqualsUpper(w, "TD") || EqualsUpper(w, "TDX")) &&
      t.IsPunct(i + 1, '-') && t.IsNumber(i + 2)) {
    return Reference::REPORT;
  }
  if (IsOneOf(w, kFax)) return Reference::FAX;
  if (IsOneOf(w, kMeeting)) return Reference::MEETING;
  if (IsOneOf(w, kWeb)) return Reference::WEB;
  if (IsOneOf(w, kBook)) return Reference::BOOK;
  return Reference::KIND_UNSPECIFIED;
}

Reference::Kind ClassifyEntry(const Tokens& t, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    if (t.IsWord(i)) {
      Reference::Kind k = KindOfWord(t, i);
      if (k != Reference::KIND_UNSPECIFIED) return k;
    } else if (t.IsNumber(i) && (t.Text(i) == "314" || t.Text(i) == "315") &&
               t.IsPunct(i + 1, '/') && t.IsNumber(i + 2)) {
      return Reference::REPORT;  // "314/07696-07": a TD number.
    }
  }
  return Reference::OTHER;
}

// ---------------------------------------------------------------------------
// Block structure: page breaks, labels, letters, terminators.

// True when tokens starting at `i` are "0000NNNN NNN[.N] OF NNN" (a page
// header's serial, page and page count); sets *end past it.
bool PageMarkerAt(const Tokens& t, size_t i, size_t* end) {
  if (!t.IsNumber(i)) return false;
  absl::string_view serial = t.Text(i);
  if (serial.size() < 6 || serial.front() != '0') return false;
  size_t j = i + 1;
  if (!t.IsNumber(j) || t.Text(j).size() != 3) return false;
  ++j;
  if (t.IsPunct(j, '.') && t.Glued(j) && t.IsNumber(j + 1)) j += 2;
  if (!t.IsWordEq(j, "OF")) return false;
  ++j;
  if (!t.IsNumber(j) || t.Text(j).size() != 3) return false;
  *end = j + 1;
  return true;
}

// Single-letter marker at token i ("A.", "A)", "A:", "(A)", or after a REF
// label a bare "A"). Returns the letter and sets *content to the first token
// after the marker.
std::optional<char> MarkerAt(const Tokens& t, size_t i, size_t end,
                             bool after_label, size_t* content) {
  if (i >= end) return std::nullopt;
  if (t.IsPunct(i, '(') && t.IsSingleLetter(i + 1) && t.Glued(i + 1) &&
      t.IsPunct(i + 2, ')') && t.Glued(i + 2) && i + 2 < end) {
    *content = i + 3;
    return Upper(t.Text(i + 1)[0]);
  }
  if (!t.IsSingleLetter(i)) return std::nullopt;
  const char letter = Upper(t.Text(i)[0]);
  const size_t p = i + 1;
  if (p < end && t.Glued(p) && (t.IsPunct(p, ')') || t.IsPunct(p, ':'))) {
    *content = p + 1;
    return letter;
  }
  if (p < end && t.Glued(p) && t.IsPunct(p, '.')) {
    // "A. STATE 1" or "A.STATE 1", but not "U.S.".
    if (p + 1 >= end || t[p + 1].space_before ||
        (!t.IsSingleLetter(p + 1) && !t.IsPunct(p + 1, '.'))) {
      *content = p + 1;
      return letter;
    }
    return std::nullopt;
  }
  if (after_label && p < end && t[p].space_before && letter >= 'A' &&
      letter <= 'Z' && t.Text(i)[0] == letter) {
    *content = p;  // "REF A SECRETARY'S LETTER"
    return letter;
  }
  return std::nullopt;
}

// Words of a parenthesised classification marking: "(U)", "(SBU)",
// "(S/NF)", "(C - ENTIRE TEXT)", "(U//FOUO)".
bool ClassificationParenAt(const Tokens& t, size_t i) {
  if (!t.IsPunct(i, '(') || !t.IsWord(i + 1)) return false;
  static constexpr absl::string_view kMarks[] = {
      "U",      "C",           "S", "SBU", "TS", "LOU", "CONFIDENTIAL",
      "SECRET", "UNCLASSIFIED"};
  absl::string_view w = t.Text(i + 1);
  bool upper = true;
  for (char c : w) upper = upper && c >= 'A' && c <= 'Z';
  if (!upper || !IsOneOf(w, kMarks)) return false;
  const size_t j = i + 2;
  return t.IsPunct(j, ')') || t.IsPunct(j, '/') || t.IsPunct(j, '-');
}

// Text that ends a REF block wherever it appears (outside parentheses).
bool InlineTerminatorAt(const Tokens& t, size_t i) {
  if (t.IsWord(i)) {
    absl::string_view w = t.Text(i);
    if (EqualsUpper(w, "CLASSIFIED") &&
        (t.IsWordEq(i + 1, "BY") || t[i].newline_before)) {
      return true;
    }
    if (EqualsUpper(w, "SENSITIVE") && t.IsWordEq(i + 1, "BUT")) return true;
    if (EqualsUpper(w, "PLEASE")) return true;
    if (EqualsUpper(w, "THIS") &&
        (t.IsWordEq(i + 1, "CABLE") || t.IsWordEq(i + 1, "IS") ||
         t.IsWordEq(i + 1, "MESSAGE"))) {
      return true;
    }
    if (EqualsUpper(w, "BEGIN") && t.IsWordEq(i + 1, "SUMMARY")) return true;
    if (EqualsUpper(w, "SUMMARY") &&
        (t.IsPunct(i + 1, ':') || t.IsPunct(i + 1, '.') ||
         t[i].newline_before || i + 1 >= t.size() || t[i + 1].newline_before)) {
      return true;
    }
    if (EqualsUpper(w, "DERIVED") && t.IsWordEq(i + 1, "FROM")) return true;
    if ((EqualsUpper(w, "SUBJECT") || EqualsUpper(w, "TAGS") ||
         EqualsUpper(w, "DECL")) &&
        t.IsPunct(i + 1, ':')) {
      return true;
    }
    if (t[i].newline_before) {
      // Header words opening a line: "SUBJECT", "TAGS" always; the
      // markings only when no word follows ("NOFORN", "SECRET //").
      if (EqualsUpper(w, "SUBJECT") || EqualsUpper(w, "TAGS")) return true;
      static constexpr absl::string_view kMarkings[] = {
          "SUBJ",   "SIPDIS",       "NOFORN", "UNCLAS",
          "SECRET", "CONFIDENTIAL", "REASON", "REASONS"};
      if (IsOneOf(w, kMarkings) && !t.IsWord(i + 1)) return true;
      // "E.O. 12958".
      if (EqualsUpper(w, "E") && t.IsPunct(i + 1, '.') &&
          t.IsWordEq(i + 2, "O")) {
        return true;
      }
    }
    return false;
  }
  if (t.IsNumber(i)) {
    // A numbered paragraph: "1. (C)" anywhere, "1. Text" at a line start.
    absl::string_view d = t.Text(i);
    if (d.size() <= 2 && t.IsPunct(i + 1, '.') && t.Glued(i + 1) &&
        (i + 2 >= t.size() || t[i + 2].space_before)) {
      if (t.IsPunct(i + 2, '(')) return true;
      if (t[i].newline_before && d == "1" && i > 0) return true;
    }
    return false;
  }
  // A rule of dashes or equals signs on its own line.
  if ((t.IsPunct(i, '-') || t.IsPunct(i, '=') || t.IsPunct(i, '_')) &&
      t[i].newline_before) {
    size_t j = i;
    while (j < t.size() && t.IsPunct(j, t.Text(i)[0]) &&
           (j == i || !t[j].newline_before)) {
      ++j;
    }
    return j - i >= 3;
  }
  return false;
}

bool IsNoneText(absl::string_view text) {
  static constexpr absl::string_view kNone[] = {"NONE", "N/A",   "NA",
                                                "NIL",  "NONE.", "N/A."};
  return IsOneOf(text, kNone);
}

// An entry of the block: tokens [begin, end) and its letter (0: none).
struct Entry {
  size_t begin;
  size_t end;
  char letter;
};

class BlockParser {
 public:
  BlockParser(absl::string_view block, const ReferenceContext& context)
      : raw_(block), context_(context) {}

  std::vector<Reference> Parse() {
    Clean();
    const Tokens t(cleaned_);
    const size_t end = Structure(t);
    const MentionScanner scanner(t, DefaultYear());
    std::vector<Entry> entries;
    if (markers_.empty()) {
      std::vector<Mention> mentions;
      scanner.Scan(0, end, &mentions);
      Segment(t, 0, end, mentions, &entries);
      Emit(t, entries, mentions);
    } else {
      if (markers_.front().marker_begin > 0) {
        entries.push_back({0, markers_.front().marker_begin, 0});
      }
      for (size_t k = 0; k < markers_.size(); ++k) {
        const size_t stop =
            k + 1 < markers_.size() ? markers_[k + 1].marker_begin : end;
        entries.push_back({markers_[k].content, stop, markers_[k].letter});
      }
      std::vector<Mention> mentions;
      for (const Entry& e : entries) scanner.Scan(e.begin, e.end, &mentions);
      Emit(t, entries, mentions);
    }
    return std::move(out_);
  }

 private:
  struct Marker {
    char letter;
    size_t marker_begin;
    size_t content;
  };

  int DefaultYear() const {
    if (context_.year > 0) return context_.year;
    if (!context_.self_id.empty()) {
      absl::StatusOr<CableId> self = ParseCableId(context_.self_id);
      if (self.ok()) return self->year;
    }
    return 0;
  }

  // Drops page-header lines ("DAMASCUS 00000427 002 OF 002") and the
  // station words before them; the rest is copied unchanged.
  void Clean() {
    const Tokens t(raw_);
    cleaned_.reserve(raw_.size());
    size_t copied = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      size_t marker_end = 0;
      if (!PageMarkerAt(t, i, &marker_end)) continue;
      size_t first = i;
      int words = 0;
      while (first > 0 && t.IsWord(first - 1) && words < kMaxStationWords &&
             !t[first].newline_before) {
        --first;
        ++words;
      }
      if (words == 0) continue;
      const size_t cut_begin = t[first].begin;
      if (cut_begin < copied) continue;
      absl::StrAppend(&cleaned_, raw_.substr(copied, cut_begin - copied));
      cleaned_.push_back(t[first].newline_before ? '\n' : ' ');
      copied = t[marker_end - 1].end;
      i = marker_end - 1;
    }
    absl::StrAppend(&cleaned_, raw_.substr(copied));
  }

  // Finds labels to drop, letter markers and where the block ends; returns
  // the end token.
  size_t Structure(const Tokens& t) {
    char expected = 'A';
    int depth = 0;
    bool after_label = false;        // the previous token was a dropped label
    bool bare_label = false;         // ... written without ':' or '.'
    size_t last_content = SIZE_MAX;  // content start of the last marker
    for (size_t i = 0; i < t.size(); ++i) {
      const bool line_start = t[i].newline_before;
      // A label at the start of a line or of the block, or repeated:
      // "REF:", "REF A:", "REF: REF (A)".
      if ((line_start || after_label) && depth == 0 && t.IsWord(i) &&
          IsOneOf(t.Text(i), kLabels)) {
        const size_t next = i + 1;
        if ((t.IsPunct(next, ':') || t.IsPunct(next, '.')) && t.Glued(next)) {
          dropped_.insert(i);
          dropped_.insert(next);
          after_label = true;
          bare_label = false;
          ++i;
          continue;
        }
        size_t content = 0;
        if (MarkerAt(t, next, t.size(), true, &content) || i == 0) {
          dropped_.insert(i);
          after_label = true;
          bare_label = true;
          continue;
        }
      }
      const bool marker_position = i == 0 || t[i].space_before || after_label ||
                                   t.IsPunct(i - 1, ',') ||
                                   t.IsPunct(i - 1, ';');
      size_t content = 0;
      std::optional<char> letter;
      if (marker_position && depth == 0) {
        letter = MarkerAt(t, i, t.size(), bare_label, &content);
      }
      // "EMAIL FROM C. RICE": an initial, not the marker of entry C.
      if (letter && !line_start && !after_label && t.IsPunct(i + 1, '.') &&
          i > 0 && t.IsWord(i - 1) && IsOneOf(t.Text(i - 1), kBeforeInitials)) {
        letter.reset();
      }
      if (letter) {
        const char l = *letter;
        if (!markers_.empty() && last_content == i &&
            markers_.back().letter == l) {
          // "A. A) SECSTATE 52920", "A. (A) PARIS 7682": one marker.
          markers_.back().content = content;
          last_content = content;
          i = content - 1;
          after_label = bare_label = false;
          continue;
        }
        bool accept;
        if (markers_.empty()) {
          accept = l == 'A';
        } else {
          // Mid-line only the next letter; at a line start also a repeated
          // one ("B) ... \n B) TALLINN 347") or a later one (entries left
          // out), but not a classification marking such as "(S)".
          accept = l == expected || ((line_start || after_label) &&
                                     l >= markers_.back().letter &&
                                     !ClassificationParenAt(t, i));
        }
        if (accept) {
          markers_.push_back({l, i, content});
          last_content = content;
          expected = static_cast<char>(l + 1);
          i = content - 1;
          after_label = bare_label = false;
          continue;
        }
      }
      after_label = bare_label = false;
      if (t.IsPunct(i, '(')) {
        if (ClassificationParenAt(t, i)) return i;
        ++depth;
        continue;
      }
      if (t.IsPunct(i, ')')) {
        if (depth > 0) --depth;
        continue;
      }
      if (depth == 0 && InlineTerminatorAt(t, i)) return i;
    }
    return t.size();
  }

  // Splits an unlettered block into entries.
  void Segment(const Tokens& t, size_t begin, size_t end,
               const std::vector<Mention>& mentions,
               std::vector<Entry>* entries) const {
    // For each token: the mention starting there (index) or inside one.
    std::vector<int> starts(end - begin, -1);
    std::vector<bool> inside(end - begin, false);
    for (size_t m = 0; m < mentions.size(); ++m) {
      starts[mentions[m].begin - begin] = static_cast<int>(m);
      for (size_t k = mentions[m].begin + 1; k < mentions[m].end; ++k) {
        inside[k - begin] = true;
      }
    }
    size_t seg_begin = begin;
    bool seg_has_mention = false;
    int depth = 0;
    auto close = [&](size_t stop) {
      if (stop > seg_begin) entries->push_back({seg_begin, stop, 0});
    };
    for (size_t i = begin; i < end; ++i) {
      const int m = starts[i - begin];
      const bool continuation = m >= 0 && mentions[m].continuation;
      const bool own_mention = m >= 0 && !continuation;
      if (dropped_.contains(i)) continue;
      if (depth == 0 && !inside[i - begin] && i > seg_begin) {
        if (own_mention && seg_has_mention) {
          close(i);
          seg_begin = i;
          seg_has_mention = false;
        } else if (t[i].newline_before && !continuation &&
                   (seg_has_mention || own_mention)) {
          close(i);
          seg_begin = i;
          seg_has_mention = false;
        }
      }
      if (m >= 0) seg_has_mention = true;
      if (t.IsPunct(i, '(')) ++depth;
      if (t.IsPunct(i, ')') && depth > 0) --depth;
      if (depth == 0 && (t.IsPunct(i, ';') || t.IsPunct(i, ','))) {
        const int nm = i + 1 < end ? starts[i + 1 - begin] : -1;
        const bool next_continuation = nm >= 0 && mentions[nm].continuation;
        const bool next_own = nm >= 0 && !next_continuation;
        if (!next_continuation &&
            (t.IsPunct(i, ';') || seg_has_mention || next_own)) {
          close(i);
          seg_begin = i + 1;
          seg_has_mention = false;
        }
      }
    }
    close(end);
  }

  // Folded text of tokens [begin, end), without dropped tokens and trailing
  // connectors.
  std::string EntryText(const Tokens& t, size_t begin, size_t end) const {
    // Trim trailing separators and connectors.
    while (end > begin) {
      const size_t k = end - 1;
      if (dropped_.contains(k) || t.IsPunct(k, ',') || t.IsPunct(k, ';') ||
          t.IsPunct(k, ':') || t.IsPunct(k, '&') || t.IsWordEq(k, "AND") ||
          (t.IsPunct(k, '.') && k > begin && t.IsNumber(k - 1)) ||
          (t.IsPunct(k, '-') && !t.Glued(k))) {
        --end;
        continue;
      }
      break;
    }
    while (begin < end && (dropped_.contains(begin) || t.IsPunct(begin, ',') ||
                           t.IsPunct(begin, ';') || t.IsPunct(begin, ':'))) {
      ++begin;
    }
    std::string text;
    for (size_t k = begin; k < end; ++k) {
      if (dropped_.contains(k)) continue;
      if (!text.empty() && t[k].space_before) text.push_back(' ');
      absl::StrAppend(&text, t.Text(k));
    }
    return text;
  }

  void Emit(const Tokens& t, const std::vector<Entry>& entries,
            const std::vector<Mention>& mentions) {
    size_t m = 0;
    for (const Entry& e : entries) {
      while (m < mentions.size() && mentions[m].begin < e.begin) ++m;
      const std::string text = EntryText(t, e.begin, e.end);
      const std::string letter = e.letter ? std::string(1, e.letter) : "";
      bool any = false;
      for (; m < mentions.size() && mentions[m].begin < e.end; ++m) {
        any = true;
        const Mention& x = mentions[m];
        std::string id;
        if (x.year > 0) {
          CableId cid;
          cid.year = x.year;
          cid.station = x.station;
          cid.serial = x.serial;
          id = cid.Canonical();
        }
        Add(Reference::CABLE, std::move(id), letter, text);
      }
      if (any || text.empty() || IsNoneText(text)) continue;
      // Punctuation-only remnants are not entries.
      bool has_alnum = false;
      for (char c : text) has_alnum = has_alnum || IsAlpha(c) || IsDigit(c);
      if (!has_alnum) continue;
      Add(ClassifyEntry(t, e.begin, e.end), "", letter, text);
    }
  }

  void Add(Reference::Kind kind, std::string id, const std::string& letter,
           const std::string& text) {
    if (out_.size() >= kMaxReferences) return;
    if (!id.empty() && id == context_.self_id) return;
    const std::string key = id.empty() ? absl::StrCat(static_cast<int>(kind),
                                                      "|", letter, "|", text)
                                       : id;
    if (!seen_.insert(key).second) return;
    Reference ref;
    ref.set_kind(kind);
    ref.set_id(std::move(id));
    ref.set_letter(letter);
    // Valid input gives valid UTF-8 (tokens never split a sequence); keep
    // invalid input from reaching the protobuf string field.
    ref.set_text(IsValidUtf8(text) ? text : SanitizeUtf8(text));
    out_.push_back(std::move(ref));
  }

  absl::string_view raw_;
  const ReferenceContext& context_;
  std::string cleaned_;
  absl::flat_hash_set<size_t> dropped_;
  std::vector<Marker> markers_;
  absl::flat_hash_set<std::string> seen_;
  std::vector<Reference> out_;
};

// ---------------------------------------------------------------------------
// Finding the block in a body.

absl::string_view StripLineStart(absl::string_view line) {
  size_t i = 0;
  while (i < line.size()) {
    if (IsBlank(line[i])) {
      ++i;
    } else if (IsPilcrowAt(line, i)) {
      i += 2;
    } else {
      break;
    }
  }
  return line.substr(i);
}

bool IsBlankLine(absl::string_view line) {
  return StripLineStart(line).empty();
}

// Where the block starts in `s` when `s` starts with a REF label: past
// "REF:" / "REF." / "REFERENCE(S):", or at the label itself for the lettered
// forms ("REF A:", "REF (A)", "REF A SECSTATE 76108"), which the block parser
// drops. nullopt when `s` does not start with a label. `strict`: only the
// forms with a colon.
std::optional<size_t> LabelEnd(absl::string_view s, bool strict) {
  size_t w = 0;
  while (w < s.size() && IsAlpha(s[w])) ++w;
  if (w == 0 || !IsOneOf(s.substr(0, w), kLabels)) return std::nullopt;
  size_t p = w;
  if (s.substr(p, 3) == "(S)" || s.substr(p, 3) == "(s)") p += 3;
  size_t q = p;
  while (q < s.size() && IsBlank(s[q])) ++q;
  if (q < s.size() && s[q] == ':') return q + 1;
  if (strict) return std::nullopt;
  if (q == p && q < s.size() && s[q] == '.' &&
      (q + 1 == s.size() || IsBlank(s[q + 1]))) {
    return q + 1;  // "REF. STATE 1", "Ref. A"
  }
  if (q == p) return std::nullopt;  // "REFERENCE(TOR)", "REFERENCED"
  if (q + 2 < s.size() && s[q] == '(' && IsAlpha(s[q + 1]) && s[q + 2] == ')') {
    return 0;
  }
  if (q < s.size() && IsAlpha(s[q]) &&
      (q + 1 == s.size() || !IsAlpha(s[q + 1]))) {
    const char after = q + 1 < s.size() ? s[q + 1] : ' ';
    if (after == ':' || after == ')' || after == '.') return 0;
    // A bare letter only as "REF A <CAPITALS>", the label in capitals.
    bool caps = true;
    for (size_t k = 0; k < w; ++k) caps = caps && s[k] >= 'A' && s[k] <= 'Z';
    if (caps && s[q] >= 'A' && s[q] <= 'Z' && IsBlank(after)) {
      size_t r = q + 1;
      while (r < s.size() && IsBlank(s[r])) ++r;
      if (r + 1 < s.size() && ((s[r] >= 'A' && s[r] <= 'Z') || IsDigit(s[r])) &&
          ((s[r + 1] >= 'A' && s[r + 1] <= 'Z') || IsDigit(s[r + 1]))) {
        return 0;
      }
    }
  }
  return std::nullopt;
}

// A line that starts a numbered paragraph ("1. (C) ...", "¶1. Text").
bool IsNumberedParagraph(absl::string_view line) {
  line = StripLineStart(line);
  size_t d = 0;
  while (d < line.size() && IsDigit(line[d])) ++d;
  if (d == 0 || d > 2 || d >= line.size() || line[d] != '.') return false;
  return d + 1 == line.size() || IsBlank(line[d + 1]) || line[d + 1] == '(';
}

// Line-start terminators that the block parser's token checks would not see
// as such (they only end the block at a line start).
bool EndsBlock(absl::string_view line) {
  line = StripLineStart(line);
  if (IsNumberedParagraph(line)) return true;
  static constexpr absl::string_view kStarts[] = {"CLASSIFIED BY",
                                                  "CLASSIFIED",
                                                  "SUBJECT",
                                                  "SUBJ:",
                                                  "TAGS",
                                                  "E.O.",
                                                  "E. O.",
                                                  "SUMMARY",
                                                  "BEGIN SUMMARY",
                                                  "SIPDIS",
                                                  "NOFORN",
                                                  "SENSITIVE",
                                                  "UNCLAS",
                                                  "CONFIDENTIAL",
                                                  "SECRET",
                                                  "C O N F",
                                                  "S E C R E T",
                                                  "U N C L",
                                                  "DERIVED FROM",
                                                  "DECL",
                                                  "PASS TO",
                                                  "PLEASE",
                                                  "THIS CABLE",
                                                  "THIS IS",
                                                  "ACTION REQUEST",
                                                  "---",
                                                  "===",
                                                  "___",
                                                  "(U)",
                                                  "(SBU)",
                                                  "(S)",
                                                  "(S/NF)",
                                                  "(C/NF)",
                                                  "(TS",
                                                  "(U/",
                                                  "(SBU/"};
  for (absl::string_view s : kStarts) {
    if (line.size() >= s.size() &&
        absl::EqualsIgnoreCase(line.substr(0, s.size()), s)) {
      if (s == "SUMMARY" && line.size() > s.size() && IsAlpha(line[s.size()])) {
        continue;
      }
      return true;
    }
  }
  return false;
}

// "DAMASCUS 00000427 002 OF 002" on a line of its own.
bool IsPageBreakLine(absl::string_view line) {
  // Fast rejection: the line must end with "OF" and a three-digit number
  // (blanks, line breaks and pilcrows are not tokens).
  {
    auto skip_space_back = [&line](size_t e) {
      while (e > 0) {
        if (IsBlank(line[e - 1]) || line[e - 1] == '\n') {
          --e;
        } else if (e >= 2 && IsPilcrowAt(line, e - 2)) {
          e -= 2;
        } else {
          break;
        }
      }
      return e;
    };
    const size_t e = skip_space_back(line.size());
    if (e < 5 || !IsDigit(line[e - 1]) || !IsDigit(line[e - 2]) ||
        !IsDigit(line[e - 3]) || (e > 3 && IsDigit(line[e - 4]))) {
      return false;
    }
    const size_t f = skip_space_back(e - 3);
    if (f < 2 || !EqualsUpper(line.substr(f - 2, 2), "OF") ||
        (f > 2 && IsAlpha(line[f - 3]))) {
      return false;
    }
  }
  const Tokens t(line);
  size_t i = 0;
  while (i < t.size() && t.IsWord(i)) ++i;
  if (i == 0) return false;
  size_t end = 0;
  return PageMarkerAt(t, i, &end) && end == t.size();
}

// A line that continues a lettered list after a blank line ("¶B. PARIS 7425")
// or repeats the label ("REF B: ...").
bool ContinuesBlock(absl::string_view line) {
  line = StripLineStart(line);
  if (LabelEnd(line, false)) return true;
  if (line.size() >= 3 && line[0] == '(' && IsAlpha(line[1]) &&
      line[2] == ')') {
    return true;
  }
  if (line.size() >= 3 && IsAlpha(line[0]) &&
      (line[1] == '.' || line[1] == ')' || line[1] == ':') &&
      (IsBlank(line[2]) || IsAlpha(line[2]) || IsDigit(line[2]))) {
    // Not "E.O." and not "U.S.".
    return !(line[1] == '.' && line.size() > 3 && line[3] == '.');
  }
  return false;
}

struct Line {
  size_t begin;  // offset in the body
  size_t end;    // offset of the '\n' (or body end)
};

std::vector<Line> SplitBody(absl::string_view body) {
  std::vector<Line> lines;
  lines.reserve(body.size() / 48 + 1);  // telegram lines are ~70 bytes
  const char* const d = body.data();
  size_t start = 0;
  while (start <= body.size()) {
    const void* found = start < body.size()
                            ? std::memchr(d + start, '\n', body.size() - start)
                            : nullptr;
    const size_t nl =
        found == nullptr
            ? body.size()
            : static_cast<size_t>(static_cast<const char*>(found) - d);
    lines.push_back({start, nl});
    if (nl == body.size()) break;
    start = nl + 1;
  }
  return lines;
}

}  // namespace

std::vector<Reference> ParseReferenceBlock(absl::string_view block,
                                           const ReferenceContext& context) {
  if (block.size() > kMaxBlockBytes * 4)
    block = block.substr(0, kMaxBlockBytes * 4);
  return BlockParser(block, context).Parse();
}

namespace {

// ExtractReferences on `region` split into `lines` (as SplitBody does).
std::vector<Reference> ExtractReferencesIn(absl::string_view region,
                                           const std::vector<Line>& lines,
                                           const ReferenceContext& context) {
  auto text = [&](size_t k) {
    return region.substr(lines[k].begin, lines[k].end - lines[k].begin);
  };

  // The label: at a line start before the first numbered paragraph, else
  // "REF:" inside such a line (a flattened header: "SUBJECT: ... REF: ..."),
  // both within the first kMaxSearchBytes.
  size_t label_line = SIZE_MAX;
  size_t block_begin = 0;
  size_t search_end = lines.size();
  for (size_t k = 0; k < lines.size(); ++k) {
    if (lines[k].begin >= kMaxSearchBytes || IsNumberedParagraph(text(k))) {
      search_end = k;
      break;
    }
  }
  for (size_t k = 0; k < search_end && label_line == SIZE_MAX; ++k) {
    const absl::string_view stripped = StripLineStart(text(k));
    if (std::optional<size_t> n = LabelEnd(stripped, false)) {
      label_line = k;
      block_begin = static_cast<size_t>(stripped.data() - region.data()) + *n;
    }
  }
  for (size_t k = 0; k < search_end && label_line == SIZE_MAX; ++k) {
    const absl::string_view line = text(k).substr(
        0, kMaxSearchBytes - std::min(kMaxSearchBytes, lines[k].begin));
    for (size_t i = 1; i + 3 < line.size(); ++i) {
      // Skip to the next 'R' / 'r'.
      i += byte_scan::FindByteNoCase(line.data() + i, line.size() - 3 - i, 'r');
      if (i + 3 >= line.size()) break;
      if (IsAlpha(line[i - 1]) ||
          !(IsBlank(line[i - 1]) || line[i - 1] == '.' || line[i - 1] == ';')) {
        continue;
      }
      if (std::optional<size_t> n = LabelEnd(line.substr(i), true)) {
        label_line = k;
        block_begin = lines[k].begin + i + *n;
        break;
      }
    }
  }
  // Last, a capitalised "REF:" opening a line anywhere after that (blocks
  // placed late by careless composers); lower-case "reftel:" there is prose
  // ("keyed to the questions in\nreftel:").
  for (size_t k = search_end; k < lines.size() && label_line == SIZE_MAX; ++k) {
    const absl::string_view stripped = StripLineStart(text(k));
    if (stripped.size() < 4 || stripped[0] != 'R' || stripped[1] != 'E' ||
        stripped[2] != 'F') {
      continue;
    }
    if (std::optional<size_t> n = LabelEnd(stripped, true)) {
      label_line = k;
      block_begin = static_cast<size_t>(stripped.data() - region.data()) + *n;
    }
  }
  if (label_line == SIZE_MAX) return {};

  // The block: the rest of the label line and the lines after it, up to a
  // blank line (unless a lettered entry or another label follows it) or a
  // line that starts the cable's text.
  size_t block_end = lines[label_line].end;
  bool have_content =
      !IsBlankLine(region.substr(block_begin, block_end - block_begin));
  int used = 1;
  size_t k = label_line + 1;
  while (k < lines.size() && used < kMaxBlockLines &&
         block_end - block_begin < kMaxBlockBytes) {
    const absl::string_view line = text(k);
    if (IsBlankLine(line) || IsPageBreakLine(line)) {
      // Look past blank and page-break lines for a continuation.
      size_t j = k;
      while (j < lines.size() && j - k < 4 &&
             (IsBlankLine(text(j)) || IsPageBreakLine(text(j)))) {
        ++j;
      }
      if (j >= lines.size() || j - k >= 4) break;
      const absl::string_view next = text(j);
      if (EndsBlock(next)) break;
      if (!have_content || ContinuesBlock(next) ||
          (j == k + 1 && IsPageBreakLine(line))) {
        block_end = lines[j].end;
        have_content = true;
        used += static_cast<int>(j - k) + 1;
        k = j + 1;
        continue;
      }
      break;
    }
    if (EndsBlock(line)) break;
    block_end = lines[k].end;
    have_content = true;
    ++used;
    ++k;
  }
  return ParseReferenceBlock(
      region.substr(block_begin, block_end - block_begin), context);
}

}  // namespace

std::vector<Reference> ExtractReferences(absl::string_view body,
                                         const ReferenceContext& context) {
  return ExtractReferencesIn(body, SplitBody(body), context);
}

std::vector<Reference> ExtractReferences(
    absl::string_view body, const std::vector<absl::string_view>& body_lines,
    const ReferenceContext& context) {
  std::vector<Line> lines;
  lines.reserve(body_lines.size());
  for (const absl::string_view line : body_lines) {
    const size_t begin = static_cast<size_t>(line.data() - body.data());
    size_t end = begin + line.size();
    // SplitLines drops a '\r' before the '\n'; a Line ends at the '\n'.
    if (end < body.size() && body[end] == '\r') ++end;
    lines.push_back({begin, end});
  }
  return ExtractReferencesIn(body, lines, context);
}

}  // namespace cables::parser
