#include "services/oai/xml_writer.h"

#include <cstdint>

namespace cables::oai {
namespace {

// Decodes one UTF-8 sequence at s[i]; returns its code point and length, or
// length 0 for an invalid (ill-formed, overlong, surrogate, > U+10FFFF)
// sequence.
std::pair<uint32_t, size_t> DecodeUtf8(absl::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return {c, 1};
  size_t len;
  uint32_t cp;
  uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return {0, 0};
  }
  if (i + len > s.size()) return {0, 0};
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return {0, 0};
  }
  return {cp, len};
}

// XML 1.0 Char production.
bool IsXmlChar(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

}  // namespace

void AppendEscapedXml(absl::string_view text, bool in_attribute,
                      std::string* out) {
  out->reserve(out->size() + text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      ++i;
      switch (c) {
        case '&':
          out->append("&amp;");
          break;
        case '<':
          out->append("&lt;");
          break;
        case '>':
          out->append("&gt;");
          break;
        case '"':
          out->append(in_attribute ? "&quot;" : "\"");
          break;
        case '\t':
          out->append(in_attribute ? "&#9;" : "\t");
          break;
        case '\n':
          out->append(in_attribute ? "&#10;" : "\n");
          break;
        case '\r':
          // Kept as a reference: a literal CR is normalised away by parsers.
          out->append("&#13;");
          break;
        default:
          // C0 controls other than tab, LF and CR are not XML 1.0
          // characters: dropped.
          if (static_cast<unsigned char>(c) >= 0x20) out->push_back(c);
      }
      continue;
    }
    const auto [cp, len] = DecodeUtf8(text, i);
    if (len == 0) {
      out->append("\xEF\xBF\xBD");  // U+FFFD for a byte that is not UTF-8
      ++i;
      continue;
    }
    if (IsXmlChar(cp)) out->append(text.data() + i, len);
    i += len;
  }
}

XmlWriter::XmlWriter(bool declaration) : declaration_(declaration) {
  if (declaration_) out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
}

void XmlWriter::Raw(absl::string_view xml) {
  out_.append(xml.data(), xml.size());
}

void XmlWriter::WriteStartTag(absl::string_view name,
                              const Attributes& attributes) {
  out_.push_back('<');
  out_.append(name.data(), name.size());
  for (const auto& [key, value] : attributes) {
    out_.push_back(' ');
    out_.append(key);
    out_.append("=\"");
    AppendEscapedXml(value, /*in_attribute=*/true, &out_);
    out_.push_back('"');
  }
}

void XmlWriter::Open(absl::string_view name, const Attributes& attributes) {
  WriteStartTag(name, attributes);
  out_.push_back('>');
  open_.emplace_back(name);
}

void XmlWriter::Close() {
  if (open_.empty()) return;
  out_.append("</");
  out_.append(open_.back());
  out_.push_back('>');
  open_.pop_back();
}

void XmlWriter::Element(absl::string_view name, absl::string_view text,
                        const Attributes& attributes) {
  WriteStartTag(name, attributes);
  if (text.empty()) {
    out_.append("/>");
    return;
  }
  out_.push_back('>');
  AppendEscapedXml(text, /*in_attribute=*/false, &out_);
  out_.append("</");
  out_.append(name.data(), name.size());
  out_.push_back('>');
}

void XmlWriter::Text(absl::string_view text) {
  AppendEscapedXml(text, /*in_attribute=*/false, &out_);
}

std::string XmlWriter::Finish() && {
  while (!open_.empty()) Close();
  if (declaration_) out_.push_back('\n');
  return std::move(out_);
}

}  // namespace cables::oai
