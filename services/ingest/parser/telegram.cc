#include "services/ingest/parser/telegram.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/ingest/parser/banner.h"
#include "services/ingest/parser/body_lines.h"
#include "services/ingest/parser/cable_id.h"
#include "services/ingest/parser/caveats.h"
#include "services/ingest/parser/classified_by.h"
#include "services/ingest/parser/declassify.h"
#include "services/ingest/parser/origin.h"
#include "services/ingest/parser/paragraphs.h"
#include "services/ingest/parser/redaction.h"
#include "services/ingest/parser/references.h"
#include "services/ingest/parser/routing_header.h"
#include "services/ingest/parser/signers.h"
#include "services/ingest/parser/subject.h"
#include "services/ingest/parser/summary.h"
#include "services/ingest/parser/tag_kinds.h"
#include "services/ingest/parser/tags.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

using cables::v1::Cable;

constexpr size_t kNpos = static_cast<size_t>(-1);
// Lines from the top of the body searched for the banner (non-blank ones).
constexpr int kBannerSearchLines = 15;
// Minimum number of lines searched for the preamble fields.
constexpr size_t kMinFieldLines = 12;
// Lines searched when the body has no numbered paragraphs.
constexpr size_t kNoParagraphFieldLines = 80;

void SetTime(absl::Time t, google::protobuf::Timestamp* ts) {
  ts->set_seconds(absl::ToUnixSeconds(t));
  ts->set_nanos(0);
}

int YearOf(absl::Time t) {
  return static_cast<int>(absl::ToCivilYear(t, absl::UTCTimeZone()).year());
}

// "Wednesday, 29 November 2000, 13:59" (the first line of some bodies).
std::optional<absl::Time> ParseLongDateLine(absl::string_view line) {
  static constexpr std::array<absl::string_view, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  absl::string_view t = TrimView(line);
  const size_t comma = t.find(',');
  if (comma == absl::string_view::npos || comma > 10 ||
      !StartsWithNoCase(t.substr(comma >= 3 ? comma - 3 : 0), "day")) {
    return std::nullopt;
  }
  t = TrimView(t.substr(comma + 1));
  int day = 0;
  size_t i = 0;
  while (i < t.size() && IsAsciiDigit(t[i]) && i < 2)
    day = day * 10 + (t[i++] - '0');
  if (i == 0 || i >= t.size() || t[i] != ' ') return std::nullopt;
  t = TrimView(t.substr(i));
  int month = 0;
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (StartsWithNoCase(t, kMonths[m])) {
      month = static_cast<int>(m) + 1;
      t = TrimView(t.substr(kMonths[m].size()));
      break;
    }
  }
  if (month == 0) return std::nullopt;
  int year = 0;
  i = 0;
  while (i < t.size() && IsAsciiDigit(t[i]) && i < 4)
    year = year * 10 + (t[i++] - '0');
  if (i != 4) return std::nullopt;
  t = TrimLeftChars(t.substr(4), ", ");
  int hour = 0;
  int minute = 0;
  if (t.size() >= 5 && IsAsciiDigit(t[0]) && IsAsciiDigit(t[1]) &&
      t[2] == ':' && IsAsciiDigit(t[3]) && IsAsciiDigit(t[4])) {
    hour = (t[0] - '0') * 10 + (t[1] - '0');
    minute = (t[3] - '0') * 10 + (t[4] - '0');
  }
  if (day < 1 || hour > 23 || minute > 59) return std::nullopt;
  const absl::CivilSecond civil(year, month, day, hour, minute, 0);
  if (civil.day() != day) return std::nullopt;
  return absl::FromCivil(civil, absl::UTCTimeZone());
}

// Index of the banner line among the first non-blank lines, or kNpos.
size_t FindBanner(const std::vector<absl::string_view>& lines,
                  std::optional<Banner>* banner) {
  int seen = 0;
  for (size_t i = 0; i < lines.size() && seen < kBannerSearchLines; ++i) {
    if (IsBlankLine(lines[i])) continue;
    ++seen;
    if (std::optional<Banner> b = ParseBannerLine(lines[i])) {
      *banner = std::move(b);
      return i;
    }
  }
  return kNpos;
}

// "ZNY SSSSS ZZH" / "ZNR UUUUU ZZH" in a routing header: the level.
std::string LevelFromHeader(absl::string_view header) {
  for (absl::string_view line : SplitLines(header)) {
    const absl::string_view t = TrimView(line);
    if (t.size() < 9 ||
        (t.substr(0, 4) != "ZNY " && t.substr(0, 4) != "ZNR ")) {
      continue;
    }
    const char c = t[4];
    if (t.substr(4, 5) != std::string(5, c)) continue;
    switch (c) {
      case 'S':
        return "SECRET";
      case 'C':
        return "CONFIDENTIAL";
      case 'U':
      case 'E':
        return "UNCLASSIFIED";
      case 'T':
        return "TOP SECRET";
      default:
        return "";
    }
  }
  return "";
}

bool Contains(const std::vector<std::string>& v, absl::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The classification implied by a banner and the caveat lines: "SECRET" +
// NOFORN line -> "SECRET//NOFORN"; "UNCLAS" + SENSITIVE ->
// "UNCLASSIFIED//FOR OFFICIAL USE ONLY" (the archive's convention).
std::string ComposeClassification(const Banner& banner,
                                  const std::vector<std::string>& lines) {
  if (banner.classification.find("//") != std::string::npos) {
    return banner.classification;
  }
  if (banner.level == "UNCLASSIFIED") {
    if (Contains(lines, "SENSITIVE") ||
        Contains(lines, "SENSITIVE BUT UNCLASSIFIED") ||
        Contains(lines, "SBU") || Contains(lines, "FOUO") ||
        Contains(lines, "FOR OFFICIAL USE ONLY")) {
      return "UNCLASSIFIED//FOR OFFICIAL USE ONLY";
    }
    return banner.level;
  }
  if (Contains(lines, "NOFORN")) return absl::StrCat(banner.level, "//NOFORN");
  return banner.level;
}

// Station and serial from a page-break line "DAMASCUS 00000427 002 OF 002"
// or "PAGE 02 HARARE 06677 01 OF 03 291400Z".
bool StationFromPageBreak(const std::vector<absl::string_view>& lines,
                          std::string* station, std::string* serial) {
  for (absl::string_view line : lines) {
    if (!ParsePageBreakLine(line, nullptr)) continue;
    std::vector<absl::string_view> words;
    absl::string_view t = TrimView(line);
    size_t i = 0;
    while (i < t.size() && words.size() < 10) {
      while (i < t.size() && IsAsciiSpace(t[i])) ++i;
      const size_t s = i;
      while (i < t.size() && !IsAsciiSpace(t[i])) ++i;
      if (i > s) words.push_back(t.substr(s, i - s));
    }
    size_t k = 0;
    if (!words.empty() && words[0] == "PAGE") k = 2;
    std::string name;
    for (; k < words.size(); ++k) {
      const absl::string_view w = words[k];
      if (!w.empty() && IsAsciiDigit(w[0])) {
        if (name.empty() || w.size() < 5) break;
        *station = name;
        *serial = std::string(w);
        return true;
      }
      if (!name.empty()) name.push_back(' ');
      name.append(w.data(), w.size());
    }
  }
  return false;
}

std::string CanonicalOrFallback(absl::string_view raw) {
  absl::StatusOr<std::string> canonical = CanonicalizeCableId(raw);
  if (canonical.ok() && !canonical->empty()) return *std::move(canonical);
  std::string out;
  for (char c : raw) {
    if (!IsAsciiSpace(c)) out.push_back(ToAsciiUpper(c));
  }
  return out;
}

}  // namespace

void AnalyzeTelegram(const SourceDocument& doc, const TelegramContext& context,
                     Cable* cable) {
  cable->set_header(doc.header);
  cable->set_body(doc.body);
  if (doc.format != cables::v1::SOURCE_FORMAT_UNSPECIFIED) {
    cable->set_source_format(doc.format);
  }
  if (doc.partial) cable->set_partial(true);

  const std::vector<absl::string_view> body_lines = SplitLines(doc.body);
  std::vector<absl::string_view> lines = SplitGluedLines(body_lines);

  // Classification banner.
  std::optional<Banner> banner;
  const size_t banner_line = FindBanner(lines, &banner);

  // Year context for two-digit years.
  int year_hint = context.year_hint;
  const std::string stated_id =
      !doc.reference_id.empty() ? doc.reference_id : context.id_hint;
  if (year_hint == 0 && !stated_id.empty()) {
    if (absl::StatusOr<CableId> id = ParseCableId(stated_id); id.ok()) {
      year_hint = id->year;
    }
  }
  if (year_hint == 0 && doc.created.has_value())
    year_hint = YearOf(*doc.created);

  // Routing header; raw telegrams may carry it at the top of the body.
  absl::string_view header_text = doc.header;
  if (TrimView(header_text).empty() && banner_line != kNpos &&
      banner_line > 0) {
    const absl::string_view body = doc.body;
    header_text = body.substr(
        0, static_cast<size_t>(lines[banner_line].data() - body.data()));
  }
  RoutingHeader routing = ParseRoutingHeader(header_text, year_hint);
  cable->set_transmission_id(routing.transmission_id);
  cable->mutable_recipients()->Reserve(
      static_cast<int>(routing.recipients.size()));
  for (cables::v1::Recipient& r : routing.recipients) {
    *cable->add_recipients() = std::move(r);
  }

  // Signature and paragraphs.
  const Signature signature = FindSignature(lines);
  if (signature.glued_line != kNpos && signature.glued_line < lines.size()) {
    lines[signature.glued_line] =
        lines[signature.glued_line].substr(0, signature.glued_offset);
  }
  const size_t content_end = std::min(signature.trailer_begin, lines.size());
  std::vector<ParagraphSpan> spans = FindParagraphs(lines, content_end);
  const size_t preamble_end =
      spans.empty() ? std::min(lines.size(), kNoParagraphFieldLines)
                    : spans.front().line;
  const size_t field_limit =
      std::max(preamble_end, std::min(lines.size(), kMinFieldLines));

  // Caveats: banner, classification string, standalone lines at the top.
  std::vector<std::string> line_caveats;
  {
    const size_t from = banner_line == kNpos ? 0 : banner_line + 1;
    const size_t to = std::min(field_limit, from + 30);
    for (size_t i = from; i < to; ++i) {
      if (ParseCaveatLine(lines[i], &line_caveats)) continue;
      if (IsClassificationOnlyLine(lines[i])) {
        for (const std::string& c : CaveatsOfClassification(lines[i])) {
          AddCaveat(c, &line_caveats);
        }
      }
    }
  }
  std::string classification;
  if (!doc.classification.empty()) {
    classification = NormalizeClassification(doc.classification);
  } else if (banner.has_value()) {
    classification = ComposeClassification(*banner, line_caveats);
  } else {
    classification = LevelFromHeader(header_text);
  }
  cable->set_classification(classification);
  std::vector<std::string> caveats;
  if (banner.has_value()) {
    for (const std::string& c : banner->caveats) AddCaveat(c, &caveats);
  }
  for (const std::string& c : CaveatsOfClassification(classification)) {
    AddCaveat(c, &caveats);
  }
  for (const std::string& c : line_caveats) AddCaveat(c, &caveats);
  for (std::string& c : caveats) cable->add_caveats(std::move(c));

  // TAGS.
  std::vector<std::string> tags;
  if (!doc.tags.empty()) {
    for (const std::string& t : doc.tags) {
      std::string tag(TrimView(t));
      for (char& c : tag) c = ToAsciiUpper(c);
      if (!tag.empty() && !Contains(tags, tag)) tags.push_back(std::move(tag));
    }
  } else {
    tags = ExtractTags(lines, field_limit);
  }
  for (std::string& tag : tags) {
    cable->add_tag_kinds(ClassifyTag(tag));
    cable->add_tags(std::move(tag));
  }

  // SUBJECT.
  if (!TrimView(doc.subject).empty()) {
    cable->set_subject(CleanSubject(doc.subject));
  } else {
    cable->set_subject(ExtractSubject(lines, field_limit));
  }

  // Classification authority and declassification.
  // Some cables state it inside their first paragraphs.
  const size_t authority_limit =
      spans.size() >= 3
          ? spans[2].line
          : (spans.empty() ? std::min(lines.size(), kNoParagraphFieldLines)
                           : spans.back().end_line);
  ClassificationAuthority authority =
      ExtractClassifiedBy(lines, std::max(authority_limit, field_limit));
  if (!authority.classified_by.empty()) {
    cable->add_classified_by(std::move(authority.classified_by));
  }
  for (std::string& r : authority.reasons) {
    cable->add_classification_reasons(std::move(r));
  }
  cable->set_declassify_on(ExtractDeclassifyOn(lines, field_limit));

  // Summary, paragraphs, signers, redaction.
  cable->set_summary(ExtractSummary(lines, spans, content_end));
  cable->mutable_paragraphs()->Reserve(static_cast<int>(spans.size()));
  for (ParagraphSpan& span : spans) {
    cables::v1::Paragraph* p = cable->add_paragraphs();
    p->set_number(span.number);
    // Empty strings are the default: setting one would only allocate.
    if (!span.marking.empty()) p->set_marking(std::move(span.marking));
    if (!span.heading.empty()) p->set_heading(std::move(span.heading));
    p->set_text(ParagraphText(lines, span));
  }
  for (const std::string& s : signature.signers) cable->add_signers(s);
  cable->set_redacted(doc.redacted || HasRedaction(doc.header) ||
                      HasRedaction(doc.body));

  // Times and origin.
  if (doc.created.has_value()) {
    SetTime(*doc.created, cable->mutable_created());
  } else if (routing.dtg.has_value()) {
    SetTime(*routing.dtg, cable->mutable_created());
  } else {
    for (size_t i = 0; i < lines.size() && i < 5; ++i) {
      if (std::optional<absl::Time> t = ParseLongDateLine(lines[i])) {
        SetTime(*t, cable->mutable_created());
        break;
      }
    }
  }
  if (doc.released.has_value()) {
    SetTime(*doc.released, cable->mutable_released());
  }
  cable->set_origin(!doc.origin.empty() ? doc.origin
                                        : OriginFromFm(routing.from));

  // Identity.
  std::string canonical;
  if (!stated_id.empty()) {
    if (!doc.reference_id.empty()) cable->set_reference_id(doc.reference_id);
    canonical = CanonicalOrFallback(stated_id);
  } else {
    std::string station;
    std::string serial;
    if (banner.has_value() && !banner->station.empty()) {
      station = banner->station;
      serial = banner->serial;
    } else {
      StationFromPageBreak(lines, &station, &serial);
    }
    int year = 0;
    if (routing.dtg.has_value()) {
      year = YearOf(*routing.dtg);
    } else if (context.year_hint > 0) {
      year = context.year_hint;
    } else if (cable->has_created()) {
      year = YearOf(absl::FromUnixSeconds(cable->created().seconds()));
    }
    if (!station.empty() && !serial.empty() && year > 0) {
      canonical =
          CanonicalOrFallback(absl::StrCat(year, " ", station, " ", serial));
    }
  }
  cable->set_canonical_id(canonical);
  // Without a stated id, reference_id is the id the caller gave (--id) or,
  // failing that, the one derived from the text, so every stored cable has
  // one.
  if (cable->reference_id().empty()) {
    cable->set_reference_id(!context.id_hint.empty() ? context.id_hint
                                                     : canonical);
  }

  // References.
  ReferenceContext ref_context;
  ref_context.self_id = canonical;
  if (absl::StatusOr<CableId> id = ParseCableId(canonical); id.ok()) {
    ref_context.year = id->year;
    ref_context.station = id->station;
  } else {
    if (routing.dtg.has_value()) {
      ref_context.year = YearOf(*routing.dtg);
    } else if (cable->has_created()) {
      ref_context.year =
          YearOf(absl::FromUnixSeconds(cable->created().seconds()));
    } else {
      ref_context.year = year_hint;
    }
    if (banner.has_value() && !banner->station.empty()) {
      ref_context.station = CanonicalStation(banner->station);
    }
  }
  std::vector<cables::v1::Reference> refs =
      ExtractReferences(doc.body, body_lines, ref_context);
  for (const std::string& listed : doc.listed_references) {
    if (TrimView(listed).empty()) continue;
    const std::string id = CanonicalOrFallback(listed);
    bool present = false;
    for (const cables::v1::Reference& r : refs) present |= r.id() == id;
    if (present || id == canonical) continue;
    cables::v1::Reference r;
    r.set_id(id);
    r.set_kind(cables::v1::Reference::CABLE);
    r.set_text(std::string(TrimView(listed)));
    refs.push_back(std::move(r));
  }
  for (cables::v1::Reference& r : refs) *cable->add_references() = std::move(r);
}

}  // namespace cables::parser
