#include "services/oai/xml_writer.h"

#include <string>

#include "gtest/gtest.h"

namespace cables::oai {
namespace {

std::string Escaped(absl::string_view text, bool attribute = false) {
  std::string out;
  AppendEscapedXml(text, attribute, &out);
  return out;
}

TEST(XmlWriterTest, EscapesMarkupCharacters) {
  EXPECT_EQ(Escaped("a < b && c > \"d\" 'e'"),
            "a &lt; b &amp;&amp; c &gt; \"d\" 'e'");
  EXPECT_EQ(Escaped("\"x\"\ty\nz", true), "&quot;x&quot;&#9;y&#10;z");
  EXPECT_EQ(Escaped("line\r\n"), "line&#13;\n");
}

TEST(XmlWriterTest, DropsCharactersXml10Forbids) {
  EXPECT_EQ(Escaped(std::string("a\0b\x01\x1f\x7f", 6)), "ab\x7f");
  EXPECT_EQ(Escaped("\xEF\xBF\xBE\xEF\xBF\xBF"), "");  // U+FFFE, U+FFFF
  EXPECT_EQ(Escaped("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  // Kept: BMP and astral characters.
  EXPECT_EQ(Escaped("\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80"),
            "\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80");
}

TEST(XmlWriterTest, ReplacesBytesThatAreNotUtf8) {
  EXPECT_EQ(Escaped("a\xff"
                    "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Escaped("\xC3"), "\xEF\xBF\xBD");                    // truncated
  EXPECT_EQ(Escaped("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");    // overlong
  EXPECT_EQ(Escaped("\xE9t\xE9"), "\xEF\xBF\xBDt\xEF\xBF\xBD");  // Latin-1
}

TEST(XmlWriterTest, WritesElementsAndFragments) {
  XmlWriter fragment(false);
  fragment.Element("b", "x&y", {{"k", "v<"}});
  fragment.Element("empty", "");
  const std::string inner = std::move(fragment).Finish();
  EXPECT_EQ(inner, "<b k=\"v&lt;\">x&amp;y</b><empty/>");

  XmlWriter xml;
  xml.Open("a", {{"xmlns", "urn:x"}});
  xml.Raw(inner);
  xml.Open("c");
  xml.Text("t");
  EXPECT_EQ(std::move(xml).Finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a xmlns=\"urn:x\">" +
                inner + "<c>t</c></a>\n");
}

}  // namespace
}  // namespace cables::oai
