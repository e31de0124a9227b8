// STUB: replaced by the telegram analyser implementation.
#include "services/ingest/parser/telegram.h"

namespace cables::parser {

void AnalyzeTelegram(const SourceDocument& doc, const TelegramContext& context,
                     cables::v1::Cable* cable) {
  (void)context;
  cable->set_header(doc.header);
  cable->set_body(doc.body);
}

}  // namespace cables::parser
