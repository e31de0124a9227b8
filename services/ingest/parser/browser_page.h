// The cable-browser page front-end: the text of a page of a cable-browsing
// site, e.g.
//
//   US embassy cable - 05ALMATY1595
//
//   Disclaimer: This site has been first put up 15 years ago. ...
//
//   KAZAKHSTANI PARLIAMENT CONSIDERS TROUBLING PACKAGE OF ...
//
//   Identifier: 05ALMATY1595
//   Wikileaks: View 05ALMATY1595 at Wikileaks.org
//   Origin: US Office Almaty
//   Created: 2005-04-22 01:33:00
//   Classification: UNCLASSIFIED//FOR OFFICIAL USE ONLY
//   Tags: PGOV PREL KDEM PHUM PINR KZ POLITICAL
//   Redacted: This cable was not redacted by Wikileaks.
//   This record is a partial extract of the original cable. ...
//
//   UNCLAS  ALMATY 001595
//   ...the telegram text...
//
// The title line, the disclaimer, the subject line and each "Label: value"
// line are optional and the labels may come in any order (Released:,
// Reference ID:, Date:, Source:, Subject: are understood too). The subject
// is the last paragraph before the labels that is neither the title nor the
// disclaimer. The telegram text starts at the first line after the labels
// that is not one of them; it is normally the body alone, but a routing
// header there is split off as for raw text.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_BROWSER_PAGE_H_
#define CABLES_SERVICES_INGEST_PARSER_BROWSER_PAGE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/ingest/parser/source_document.h"

namespace cables::parser {

// True when one of the first lines is "Identifier: ..." and another
// "Classification: ...", "Created: ..." or "Origin: ...".
bool LooksLikeBrowserPage(absl::string_view input);

// Parses the page text. `text` must be valid UTF-8 with '\n' line ends.
// InvalidArgumentError when no label line is found.
absl::StatusOr<SourceDocument> ParseBrowserPage(absl::string_view text);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_BROWSER_PAGE_H_
