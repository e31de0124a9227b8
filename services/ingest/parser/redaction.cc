#include "services/ingest/parser/redaction.h"

#include "services/ingest/parser/body_lines.h"
#include "services/ingest/parser/byte_scan.h"

namespace cables::parser {

bool HasRedaction(absl::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // Skip to the next 'x' or 'X'.
    i += byte_scan::FindByteNoCase(text.data() + i, n - i, 'x');
    if (i >= n) break;
    const size_t start = i;
    while (i < n && (text[i] == 'x' || text[i] == 'X')) ++i;
    const size_t run = i - start;
    if (run >= 5) return true;
    if (run >= 3) {
      const bool left = start == 0 || !IsAsciiAlnum(text[start - 1]);
      const bool right = i >= n || !IsAsciiAlnum(text[i]);
      if (left && right) return true;
    }
  }
  return false;
}

}  // namespace cables::parser
