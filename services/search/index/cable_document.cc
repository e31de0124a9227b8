#include "services/search/index/cable_document.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"

namespace cables::search::index {
namespace {

constexpr int64_t kSortBias = int64_t{1} << 62;

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

bool AllDigits(absl::string_view s) {
  for (const char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Adds the lexemes of `text` from position *pos on, and the XN terms of its
// consecutive triples; returns nothing, moves *pos past the text.
void AddText(absl::string_view text, absl::string_view prefix,
             TextAnalyzer& analyzer, Xapian::Document& doc,
             Xapian::termpos* pos, bool subject) {
  WordScanner words(text);
  std::string term;
  // The lexemes of the last two words; "" for a word without one.
  std::string before_last;
  std::string last;
  while (words.Next()) {
    ++*pos;
    const std::string& lexeme = analyzer.Lexeme(words.lower());
    if (lexeme.empty()) {
      if (IsStopWord(words.lower())) {
        doc.add_posting(kStopWordTerm, *pos);
        if (subject) doc.add_posting(absl::StrCat(prefix, kStopWordTerm), *pos);
      }
      before_last.clear();
      last.clear();
      continue;
    }
    doc.add_posting(lexeme, *pos);
    if (subject) {
      term.assign(prefix.data(), prefix.size());
      term += lexeme;
      doc.add_posting(term, *pos);
    }
    if (const std::string triple = TripleTerm(before_last, last, lexeme);
        !triple.empty()) {
      doc.add_term(triple);
      if (subject) doc.add_term(absl::StrCat(prefix, triple));
    }
    before_last = std::move(last);
    last = lexeme;
  }
}

// Field words (lower case, unstemmed, stop words kept) with positions.
void AddFieldWords(absl::string_view text, absl::string_view prefix,
                   Xapian::termpos start, Xapian::Document& doc) {
  WordScanner words(text);
  Xapian::termpos pos = start;
  while (words.Next()) {
    if (words.lower().size() > kMaxWordBytes) continue;
    doc.add_posting(absl::StrCat(prefix, words.lower()), ++pos, 0);
  }
}

void AddBoolean(Xapian::Document& doc, absl::string_view prefix,
                absl::string_view value) {
  if (value.empty()) return;
  const std::string term = absl::StrCat(prefix, value);
  if (term.size() > 240) return;  // Xapian's term length limit
  doc.add_boolean_term(term);
}

bool IsSpace(char c) {
  return absl::ascii_isspace(static_cast<unsigned char>(c));
}

// The end of `text` in `body` when it starts at `begin`, a run of spaces in
// either matching any run (or none) in the other, and up to
// kMaxSkippedLines whole lines of the body skipped where the text goes on
// after them; nullopt if it does not match.
constexpr int kMaxSkippedLines = 8;
std::optional<size_t> MatchIgnoringSpaces(absl::string_view body,
                                          absl::string_view text,
                                          size_t begin) {
  size_t i = begin;
  size_t j = 0;
  int skipped_lines = 0;
  while (j < text.size()) {
    if (IsSpace(text[j])) {
      while (j < text.size() && IsSpace(text[j])) ++j;
      while (i < body.size() && IsSpace(body[i])) ++i;
      continue;
    }
    while (i < body.size() && IsSpace(body[i])) ++i;
    if (i < body.size() && body[i] == text[j]) {
      ++i;
      ++j;
      continue;
    }
    // A whole line of the body the parser left out of the paragraph (a
    // page header, a rule of dashes): skip it.
    const size_t line_start = body.rfind('\n', i == 0 ? 0 : i - 1);
    const bool at_line_start =
        line_start != absl::string_view::npos &&
        absl::StripAsciiWhitespace(body.substr(line_start, i - line_start))
            .empty();
    if (!at_line_start || ++skipped_lines > kMaxSkippedLines) {
      return std::nullopt;
    }
    const size_t line_end = body.find('\n', i);
    if (line_end == absl::string_view::npos) return std::nullopt;
    i = line_end + 1;
  }
  return i;
}

// [begin, end) of the first place at or after `from` where `text` occurs in
// `body` as MatchIgnoringSpaces sees it; nullopt when nowhere (or `text` is
// only spaces).
std::optional<std::pair<size_t, size_t>> FindIgnoringSpaces(
    absl::string_view body, absl::string_view text, size_t from) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return std::nullopt;
  size_t anchor_size = 0;
  while (anchor_size < text.size() && anchor_size < 16 &&
         !IsSpace(text[anchor_size])) {
    ++anchor_size;
  }
  const absl::string_view anchor = text.substr(0, anchor_size);
  for (size_t begin = body.find(anchor, from); begin != absl::string_view::npos;
       begin = body.find(anchor, begin + 1)) {
    if (auto end = MatchIgnoringSpaces(body, text, begin); end.has_value()) {
      return std::make_pair(begin, *end);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string BodyOutsideParagraphs(const cables::v1::Cable& cable) {
  const std::string& body = cable.body();
  std::string out;
  size_t at = 0;
  for (const cables::v1::Paragraph& p : cable.paragraphs()) {
    const std::optional<std::pair<size_t, size_t>> found =
        FindIgnoringSpaces(body, p.text(), at);
    if (!found.has_value()) return body;
    out.append(body, at, found->first - at);
    out.push_back('\n');
    at = found->second;
  }
  out.append(body, at, std::string::npos);
  return out;
}

std::string IdTerm(absl::string_view canonical_id) {
  return absl::StrCat(kIdPrefix, canonical_id);
}

std::string StationPart(absl::string_view id) {
  if (id.size() < 3 ||
      !absl::ascii_isdigit(static_cast<unsigned char>(id[0])) ||
      !absl::ascii_isdigit(static_cast<unsigned char>(id[1])) ||
      !absl::ascii_isalpha(static_cast<unsigned char>(id[2]))) {
    return "";
  }
  size_t end = 2;
  while (end < id.size() &&
         !absl::ascii_isdigit(static_cast<unsigned char>(id[end]))) {
    ++end;
  }
  return std::string(id.substr(0, end));
}

std::string TripleTerm(absl::string_view a, absl::string_view b,
                       absl::string_view c) {
  if (a.size() != 2 || !AllDigits(a) || b.empty() || c.empty() ||
      c.size() > 12 || !AllDigits(c)) {
    return "";
  }
  for (const char ch : b) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(ch))) return "";
  }
  return absl::StrCat(kTriplePrefix, a, " ", b, " ", c);
}

std::string SortKeyDate(absl::Time t) {
  const int64_t micros = absl::ToUnixMicros(t);
  return absl::StrFormat("%016x", static_cast<uint64_t>(micros + kSortBias));
}

std::string SortKey(std::optional<absl::Time> created,
                    absl::string_view canonical_id) {
  return absl::StrCat(
      created.has_value() ? SortKeyDate(*created) : "0000000000000000",
      canonical_id);
}

namespace {

// The XDY/XDM/XDD terms of a day.
std::string YearTerm(absl::CivilDay d) {
  return absl::StrFormat("%s%04d", kYearPrefix, d.year());
}
std::string MonthTerm(absl::CivilDay d) {
  return absl::StrFormat("%s%04d%02d", kMonthPrefix, d.year(), d.month());
}
std::string DayTerm(absl::CivilDay d) {
  return absl::StrFormat("%s%04d%02d%02d", kDayPrefix, d.year(), d.month(),
                         d.day());
}

}  // namespace

std::vector<std::string> PeriodTerms(absl::Time from, absl::Time until) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay first = absl::ToCivilDay(from, utc);
  const absl::CivilDay end = absl::ToCivilDay(until, utc);
  std::vector<std::string> terms;
  if (absl::FromCivil(first, utc) != from ||
      absl::FromCivil(end, utc) != until || end <= first) {
    return terms;
  }
  for (absl::CivilDay d = first; d < end;) {
    if (terms.size() == kMaxPeriodTerms) return {};
    const absl::CivilDay next_year(absl::CivilYear(d) + 1);
    const absl::CivilDay next_month(absl::CivilMonth(d) + 1);
    if (d.month() == 1 && d.day() == 1 && next_year <= end) {
      terms.push_back(YearTerm(d));
      d = next_year;
    } else if (d.day() == 1 && next_month <= end) {
      terms.push_back(MonthTerm(d));
      d = next_month;
    } else {
      terms.push_back(DayTerm(d));
      ++d;
    }
  }
  return terms;
}

int SampleBucket(absl::string_view canonical_id) {
  uint64_t h = 14695981039346656037ULL;
  for (const unsigned char c : canonical_id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  // FNV alone leaves the high bits blind to the last characters (ids that
  // differ in their serial only): finish with murmur3's fmix64.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return static_cast<int>(h % kSampleBuckets);
}

std::string BucketTerm(int bucket) {
  return absl::StrFormat("%s%02d", kBucketPrefix, bucket);
}

std::string PackFacets(const FacetValues& values) {
  std::string out = absl::StrCat(values.classification, "\x1f", values.origin,
                                 "\x1f", values.year);
  for (const std::string& tag : values.tags) absl::StrAppend(&out, "\x1f", tag);
  return out;
}

Xapian::Document CableDocument(const cables::v1::Cable& cable,
                               TextAnalyzer& analyzer) {
  Xapian::Document doc;
  const std::string& id = cable.canonical_id();
  Xapian::termpos pos = 0;
  AddText(cable.subject(), kSubjectPrefix, analyzer, doc, &pos, true);
  {
    WordScanner words(cable.subject());
    while (words.Next()) {
      if (words.lower().size() > kMaxWordBytes) continue;
      doc.add_boolean_term(absl::StrCat(kSubjectWordPrefix, words.lower()));
    }
  }
  pos += kBodyGap;
  AddText(cable.body(), "", analyzer, doc, &pos, false);

  doc.add_boolean_term(IdTerm(id));
  AddBoolean(doc, kStationPrefix, StationPart(id));
  if (!cable.reference_id().empty() && cable.reference_id() != id) {
    AddBoolean(doc, kAliasPrefix, absl::AsciiStrToUpper(cable.reference_id()));
  }
  for (const std::string& tag : cable.tags()) {
    AddBoolean(doc, kTagPrefix, absl::AsciiStrToUpper(tag));
  }
  const std::string classification =
      absl::AsciiStrToUpper(cable.classification());
  AddBoolean(doc, kClassificationPrefix, classification);
  const size_t slashes = classification.find("//");
  if (slashes != std::string::npos) {
    AddBoolean(doc, kClassificationPrefix, classification.substr(0, slashes));
  }
  for (const std::string& caveat : cable.caveats()) {
    AddBoolean(doc, kCaveatPrefix, absl::AsciiStrToUpper(caveat));
  }
  AddFieldWords(cable.origin(), kOriginPrefix, kOriginPosition, doc);
  for (int i = 0; i < cable.signers_size(); ++i) {
    AddFieldWords(cable.signers(i), kSignerPrefix,
                  kSignerPosition + 1000 * static_cast<Xapian::termpos>(i),
                  doc);
  }
  for (const cables::v1::Reference& ref : cable.references()) {
    if (!ref.id().empty() && ref.id() != id) {
      AddBoolean(doc, kCitesPrefix, ref.id());
    }
  }
  doc.add_boolean_term(BucketTerm(SampleBucket(id)));

  std::optional<absl::Time> created;
  if (cable.has_created()) created = ToTime(cable.created());
  doc.add_value(kSlotSortKey, SortKey(created, id));
  doc.add_value(kSlotId, id);
  FacetValues facets;
  facets.classification = cable.classification();
  facets.origin = cable.origin();
  if (created.has_value()) {
    const absl::CivilDay day = absl::ToCivilDay(*created, absl::UTCTimeZone());
    facets.year = absl::FormatTime("%Y", *created, absl::UTCTimeZone());
    doc.add_boolean_term(YearTerm(day));
    doc.add_boolean_term(MonthTerm(day));
    doc.add_boolean_term(DayTerm(day));
  }
  facets.tags.assign(cable.tags().begin(), cable.tags().end());
  doc.add_value(kSlotFacets, PackFacets(facets));

  cables::v1::Cable data;
  data.set_canonical_id(id);
  data.set_reference_id(cable.reference_id());
  data.set_subject(cable.subject());
  data.set_origin(cable.origin());
  data.set_classification(cable.classification());
  *data.mutable_tags() = cable.tags();
  if (cable.has_created()) *data.mutable_created() = cable.created();
  for (const cables::v1::Reference& ref : cable.references()) {
    if (!ref.id().empty()) data.add_references()->set_id(ref.id());
  }
  for (const cables::v1::Paragraph& p : cable.paragraphs()) {
    auto* out = data.add_paragraphs();
    out->set_number(p.number());
    out->set_text(p.text());
  }
  data.set_body(BodyOutsideParagraphs(cable));
  doc.set_data(data.SerializeAsString());
  return doc;
}

}  // namespace cables::search::index
