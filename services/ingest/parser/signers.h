// The signature that closes a telegram body: the sender's surname on its
// own line ("HOLMSTROM", "RICE", "Stapleton"), possibly after a blank line,
// followed only by trailer lines (blank, "NNNN", "BT", classification
// footers, page breaks, "Visit London's Classified Website: http://...",
// rows of '*'). Also recognised: two names "PATTERSON/KELLY" (two signers),
// "SIGNED: NAME", a repeated name "KUBISKE KUBISKE" (one signer), a name
// glued to a trailer ("SUSMANVisit London's ...") and a name written at the
// end of the last text line after a sentence ("... cleared this cable.
// WOOD"). Lines that read like sentences are rejected.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_SIGNERS_H_
#define CABLES_SERVICES_INGEST_PARSER_SIGNERS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

struct Signature {
  std::vector<std::string> signers;
  // First line of the closing block (signature and trailer lines); text
  // before it is the cable's content. lines.size() when there is none.
  size_t trailer_begin = 0;
  // When the signer ends a text line: that line and the offset where the
  // name starts (the content ends there). glued_line == npos otherwise.
  size_t glued_line = static_cast<size_t>(-1);
  size_t glued_offset = 0;
};

// Finds the signature at the end of `lines`.
Signature FindSignature(const std::vector<absl::string_view>& lines);

// True when `text` reads like a signature: one to four name words (letters,
// '.', '-', '\''), all upper case or each capitalised (at most two then),
// separated by spaces or '/', none a stop word (END, COMMENT, SIPDIS, ...).
bool IsSignerText(absl::string_view text);

// Splits a signature into signers: "PATTERSON/KELLY" -> {PATTERSON, KELLY};
// "SHANNON SHANNON" -> {SHANNON}; "SIGNED: J. SMITH" -> {J. SMITH}.
std::vector<std::string> SplitSigners(absl::string_view text);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_SIGNERS_H_
