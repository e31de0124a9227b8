// The WikiLeaks cable page front-end (the 2010-2011 "Cable Viewer" pages).
//
// The page states the cable's metadata in <table class='cable'>: a row of
// <th> names (Reference ID, Created, Released, Classification, Origin) and
// a row of <td> values (each usually inside an <a>); without an id there,
// the heading "Viewing cable 08DAMASCUS427, ..." gives it. The telegram follows
// in <code><pre> blocks: with two, the first is the routing header and the
// second the body; with one, the block is the body (or, when it opens with
// routing lines, header and body, split as text_fragment.h describes). A
// block holding the "This record is a partial extract of the original
// cable" note sets `partial` and is neither. Inside a block, "&#x000A;" is
// a newline, tags are removed keeping their text (<a href='/tag/PGOV_0.html'>
// PGOV</a> -> "PGOV", the paragraph anchors keep their pilcrow), <br> is a
// line break, and character references are decoded.
//
// A tolerant hand-written scanner (no HTML library): attribute quoting,
// tag case and extra rows or cells are not significant. Linear in the page
// size. Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_HTML_PAGE_H_
#define CABLES_SERVICES_INGEST_PARSER_HTML_PAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/ingest/parser/source_document.h"

namespace cables::parser {

// True when `input` looks like an HTML/XHTML document or fragment: it opens
// (after a BOM and whitespace) with "<?xml", "<!DOCTYPE", "<html", "<table",
// "<pre", ... or holds a <table class='cable'>.
bool LooksLikeHtml(absl::string_view input);

// Parses a cable page. `html` must be valid UTF-8. InvalidArgumentError
// when the page has neither a cable table nor a <pre> block.
absl::StatusOr<SourceDocument> ParseHtmlPage(absl::string_view html);

// The text of an HTML fragment: tags removed (their text kept), <br> as a
// line break, character references decoded. Exposed for tests.
std::string HtmlFragmentText(absl::string_view fragment);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_HTML_PAGE_H_
