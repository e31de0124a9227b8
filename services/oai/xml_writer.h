// XmlWriter: builds an XML 1.0 document as a string -- elements,
// attributes and escaped text -- for the OAI-PMH responses.
//
// Text and attribute values are escaped (& < > " and, in attributes, tab,
// newline and carriage return as character references) and made valid XML
// 1.0 whatever the input holds: characters XML 1.0 forbids (C0 controls
// other than tab, newline and carriage return; U+FFFE, U+FFFF; surrogates)
// are dropped, and bytes that are not UTF-8 become U+FFFD. Names are
// written as given (callers pass constants).
//
// Not thread-safe; one writer per document.
#ifndef CABLES_SERVICES_OAI_XML_WRITER_H_
#define CABLES_SERVICES_OAI_XML_WRITER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::oai {

class XmlWriter final {
 public:
  using Attributes = std::vector<std::pair<std::string, std::string>>;

  // Starts a document with the XML declaration, or (false) a fragment to
  // be inserted into another writer with Raw().
  explicit XmlWriter(bool declaration = true);

  // <name attr="v"...>
  void Open(absl::string_view name, const Attributes& attributes = {});
  // </name> of the innermost open element.
  void Close();
  // <name attr="v">text</name>, or <name attr="v"/> when text is empty.
  void Element(absl::string_view name, absl::string_view text,
               const Attributes& attributes = {});
  // Escaped character data inside the current element.
  void Text(absl::string_view text);
  // Well-formed XML (a finished fragment) inserted as is.
  void Raw(absl::string_view xml);

  // Closes every open element and returns the document.
  std::string Finish() &&;

 private:
  void WriteStartTag(absl::string_view name, const Attributes& attributes);

  const bool declaration_;
  std::string out_;
  std::vector<std::string> open_;
};

// `text` escaped for element content (in_attribute false) or a
// double-quoted attribute value, with invalid characters removed (see
// above). Appended to `out`.
void AppendEscapedXml(absl::string_view text, bool in_attribute,
                      std::string* out);

}  // namespace cables::oai

#endif  // CABLES_SERVICES_OAI_XML_WRITER_H_
