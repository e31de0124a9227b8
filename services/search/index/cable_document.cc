#include "services/search/index/cable_document.h"

#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cables::search::index {
namespace {

constexpr int64_t kSortBias = int64_t{1} << 62;

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

// Adds the lexemes of `text` from position *pos on; returns nothing, moves
// *pos past the text.
void AddText(absl::string_view text, absl::string_view prefix,
             TextAnalyzer& analyzer, Xapian::Document& doc,
             Xapian::termpos* pos, bool subject) {
  WordScanner words(text);
  std::string term;
  while (words.Next()) {
    ++*pos;
    const std::string& lexeme = analyzer.Lexeme(words.lower());
    if (lexeme.empty()) {
      if (IsStopWord(words.lower())) {
        doc.add_posting(kStopWordTerm, *pos, 0);
        if (subject)
          doc.add_posting(absl::StrCat(prefix, kStopWordTerm), *pos, 0);
      }
      continue;
    }
    doc.add_posting(lexeme, *pos);
    if (subject) {
      term.assign(prefix.data(), prefix.size());
      term += lexeme;
      doc.add_posting(term, *pos);
    }
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

}  // namespace

std::string IdTerm(absl::string_view canonical_id) {
  return absl::StrCat(kIdPrefix, canonical_id);
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
  pos += kBodyGap;
  AddText(cable.body(), "", analyzer, doc, &pos, false);

  doc.add_boolean_term(IdTerm(id));
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
    facets.year = absl::FormatTime("%Y", *created, absl::UTCTimeZone());
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
  data.set_body(cable.body());
  doc.set_data(data.SerializeAsString());
  return doc;
}

}  // namespace cables::search::index
