// The REF block of a cable: "REF: A) Almaty 1501, B) Almaty 1559",
// "REFS: A. 08 STATE 12345 B. EMAIL FROM J. SMITH 3/4/08 AND PREVIOUS", ...
//
// Entries:
//  - Lettered ("A.", "A)", "(A)", "A:", lower case too, doubled forms like
//    "A. A)" count once; letters run A, B, C...; a line may repeat or skip a
//    letter) or unlettered, separated by ';', ',' or line breaks.
//  - Every cable an entry names becomes a CABLE reference with its canonical
//    id, whatever the form: "08 STATE 12345", "2008 STATE 12345",
//    "08STATE12345", "SECSTATE 123", "RIO DE JAN 456", "DOHA 152 (08)",
//    "MOSCOW 03242 2008", and lists like "ANKARA 1234, 1245 AND 1300" (one
//    reference per serial, same station and year). Without a written year
//    the citing cable's year applies (context.year, else the year of
//    context.self_id); when neither is known the reference is CABLE with an
//    empty id.
//  - Other entries get the kind their first keyword names: EMAIL ("EMAIL",
//    "E-MAIL"), TEL ("TELCON", "TELECON", "PHONE", "TELEPHONE"), MEMO
//    ("MEMO", "MEMORANDUM", "MEMCON"), REPORT ("REPORT", "IIR", "INTSUM",
//    "TD-314/...", "OSC", "DAILY"), FAX, MEETING ("MEETING", "MTG",
//    "CONVERSATION", "SVTC", "DVC"), WEB ("HTTP", "WWW", "WEBSITE"), BOOK;
//    OTHER otherwise. "NONE" / "N/A" entries are dropped.
//  - letter: the entry's letter, upper case ("" when unlettered); text: the
//    entry as written without its letter, whitespace folded, trailing
//    separators removed. Several cables of one entry share its text.
//  - References to context.self_id are skipped; duplicates keep the first.
//  - At most 200 references per block.
//
// Pure and thread-safe; linear in the input, never fails (garbage yields no
// or OTHER references).
#ifndef CABLES_SERVICES_INGEST_PARSER_REFERENCES_H_
#define CABLES_SERVICES_INGEST_PARSER_REFERENCES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cables/v1/cable.pb.h"

namespace cables::parser {

struct ReferenceContext {
  int year = 0;         // the citing cable's four-digit year (0: unknown)
  std::string station;  // the citing cable's canonical station
  std::string self_id;  // the citing cable's canonical id (skipped)
};

// Locates the REF block in `body` and parses its entries. The label ("REF:",
// "REFS:", "REF.", "REFTEL:", "REFERENCE(S):", "Ref:", "REF A:", "REF A
// <entry>") is looked for at line starts before the first numbered
// paragraph, then as "REF:" inside such a line (flattened headers:
// "SUBJECT: ... REF: BRASILIA 1159"). The block runs to the first blank line
// (unless a lettered entry or another label follows it), numbered paragraph
// ("1. (C)"), header line ("Classified By", "SUBJECT", "TAGS", "E.O.", a
// marking such as "(SBU)", a rule of dashes) or inline terminator ("(U) THIS
// CABLE ...", "Classified By", "PLEASE PASS ..."); page-header lines like
// "DAMASCUS 00000427 002 OF 002" inside it are skipped. The label is
// looked for in the first 16 KiB of `body`; failing that, a capitalised
// "REF:" / "REFS:" / "REFTEL:" opening a line anywhere later (also after the
// first paragraph) is taken. Returns an empty vector when there is no REF
// block.
std::vector<cables::v1::Reference> ExtractReferences(
    absl::string_view body, const ReferenceContext& context);

// The same, for a caller that has split `body` already (saves a pass).
// REQUIRES: `body_lines` is SplitLines(body) (text_util.h): views into
// `body`, in order.
std::vector<cables::v1::Reference> ExtractReferences(
    absl::string_view body, const std::vector<absl::string_view>& body_lines,
    const ReferenceContext& context);

// Parses the text of a REF block (the leading "REF:" label may be included
// or not). Inline terminators and page headers are handled as above.
std::vector<cables::v1::Reference> ParseReferenceBlock(
    absl::string_view block, const ReferenceContext& context);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_REFERENCES_H_
