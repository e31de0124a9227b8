// Telegram analysis: every field of a Cable that the header and body text
// state (transmission id, recipients and precedence, classification banner,
// caveats, TAGS and their kinds, SUBJECT, "Classified By" names and reasons,
// DECL date, summary, numbered paragraphs with markings and headings,
// signers, redaction runs, references).
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_TELEGRAM_H_
#define CABLES_SERVICES_INGEST_PARSER_TELEGRAM_H_

#include "cables/v1/cable.pb.h"
#include "services/ingest/parser/source_document.h"

namespace cables::parser {

struct TelegramContext {
  int year_hint = 0;      // from --year or the id
  std::string id_hint;    // from --id
};

// Fills `cable` from `doc`. Metadata the container states (doc.origin,
// doc.classification, doc.tags, doc.subject, ...) wins over what the text
// implies; text fills the gaps. Never fails: a fragment yields what it holds.
// REQUIRES: cable != nullptr.
void AnalyzeTelegram(const SourceDocument& doc, const TelegramContext& context,
                     cables::v1::Cable* cable);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_TELEGRAM_H_
