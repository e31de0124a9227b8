// Telegram analysis: every field of a Cable that the header and body text
// state (transmission id, recipients and precedence, classification banner,
// caveats, TAGS and their kinds, SUBJECT, "Classified By" names and reasons,
// DECL date, summary, numbered paragraphs with markings and headings,
// signers, redaction runs, references).
//
// The work is split over one file per topic: routing_header (transmission
// id, DTG, FM, TO/INFO recipients), origin (FM line -> "Embassy Damascus"),
// banner and caveats (classification and handling caveats), tags and
// tag_kinds, subject, classified_by, declassify, paragraphs, summary,
// signers, redaction; body_lines holds the shared line recognisers.
//
// Decisions (see the topic headers for details):
//  - classification: the container's, normalised; otherwise the banner's
//    level plus "//NOFORN" when a NOFORN caveat line follows it, and
//    "UNCLASSIFIED//FOR OFFICIAL USE ONLY" for UNCLAS + SENSITIVE (the
//    archive's convention); otherwise the header's "ZNY SSSSS" level.
//  - caveats: the banner's, then the classification string's, then
//    standalone caveat lines at the top; upper case, no duplicates.
//  - recipient precedence: only what the addressee line states.
//  - paragraph text and summary: whitespace folded to single spaces.
//  - classified_by: the name with its title as written ("CDA Todd C.
//    Holmstrom"); reasons "1.4(b)"; letters without a section are 1.4.
//  - declassify_on: a calendar date only ("" for N/A, OADR, 25X1, events
//    and "DNG" downgrades).
//  - created: the container's time, else the header DTG, else a body date
//    line "Wednesday, 29 November 2000, 13:59".
//  - reference_id: the container's id as written (never a hint or a
//    derived id). canonical_id: CanonicalizeCableId of the container's id
//    or context.id_hint; else derived from the banner or a page-break line
//    ("DAMASCUS 000427") and the DTG year (or context.year_hint, or the
//    created year).
//  - references: ExtractReferences on the body, plus the container's
//    listed references that the REF block did not name (kind CABLE).
//
// Pure and thread-safe; linear in the size of the document.
#ifndef CABLES_SERVICES_INGEST_PARSER_TELEGRAM_H_
#define CABLES_SERVICES_INGEST_PARSER_TELEGRAM_H_

#include <string>

#include "cables/v1/cable.pb.h"
#include "services/ingest/parser/source_document.h"

namespace cables::parser {

struct TelegramContext {
  int year_hint = 0;    // from --year or the id
  std::string id_hint;  // from --id
};

// Fills `cable` from `doc`. Metadata the container states (doc.origin,
// doc.classification, doc.tags, doc.subject, ...) wins over what the text
// implies; text fills the gaps. Never fails: a fragment yields what it holds.
// Does not set content_sha256, name or version.
// REQUIRES: cable != nullptr.
void AnalyzeTelegram(const SourceDocument& doc, const TelegramContext& context,
                     cables::v1::Cable* cable);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_TELEGRAM_H_
