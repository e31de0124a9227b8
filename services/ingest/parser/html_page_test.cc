#include "services/ingest/parser/html_page.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace cables::parser {
namespace {

constexpr absl::string_view kTable =
    "<table class='cable'>\n<tr>\n<th>Reference ID</th>\n<th>Created</th>\n"
    "<th>Released</th>\n<th>Classification</th>\n<th>Origin</th>\n</tr>\n"
    "<tr>\n<td>\n<a href='/cable/2008/06/08DAMASCUS427.html'>08DAMASCUS427</a>"
    "\n</td>\n<td>\n<a href='/date/2008-06_0.html'>2008-06-16 16:04</a>\n</td>"
    "\n<td>\n<a href='/reldate/2010-12-07_0.html'>2010-12-07 21:09</a>\n</td>"
    "\n<td>\n<a href='/classification/1_0.html' title='unclassified'>"
    "CONFIDENTIAL</a>\n</td>\n<td>\n<a href='/origin/73_0.html'>Embassy "
    "Damascus</a>\n</td>\n</tr>\n</table>\n";

std::string Page(absl::string_view pres) {
  return absl::StrCat(
      "<?xml version='1.0' encoding='utf-8' ?>\n<html><body>\n"
      "<div id='browse'><a href='/x'>2008/06</a></div>\n",
      kTable, pres, "\n</body></html>\n");
}

TEST(ParseHtmlPageTest, TableHeaderAndBody) {
  const auto doc = ParseHtmlPage(
      Page("<code><pre>VZCZCXRO0539&#x000A;FM AMEMBASSY DAMASCUS&#x000A;TO "
           "RUEHC/SECSTATE WASHDC PRIORITY 5083</pre></code>\n"
           "<code><pre>C O N F I D E N T I A L DAMASCUS 000427 &#x000A;&#x000A;"
           "TAGS: <a href='/tag/PGOV_0.html'>PGOV</a> <a "
           "href='/tag/SY_0.html'>SY</a>&#x000A;SUBJECT: A &amp; B &lt;C&gt;"
           "&#x000A;&#x000A;<a id='par1' href='#par1'>\xC2\xB6</a>1. (C) "
           "policy &of resistance8 R&D;</pre></code>"));
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->format, cables::v1::HTML);
  EXPECT_EQ(doc->reference_id, "08DAMASCUS427");
  ASSERT_TRUE(doc->created.has_value());
  EXPECT_EQ(absl::ToUnixSeconds(*doc->created), 1213632240);
  ASSERT_TRUE(doc->released.has_value());
  EXPECT_EQ(
      absl::FormatTime("%Y-%m-%d %H:%M", *doc->released, absl::UTCTimeZone()),
      "2010-12-07 21:09");
  EXPECT_EQ(doc->classification, "CONFIDENTIAL");  // the text, not the title
  EXPECT_EQ(doc->origin, "Embassy Damascus");
  EXPECT_FALSE(doc->partial);
  EXPECT_EQ(doc->header,
            "VZCZCXRO0539\nFM AMEMBASSY DAMASCUS\nTO RUEHC/SECSTATE WASHDC "
            "PRIORITY 5083");
  EXPECT_EQ(doc->body,
            "C O N F I D E N T I A L DAMASCUS 000427 \n\nTAGS: PGOV SY\n"
            "SUBJECT: A & B <C>\n\n\xC2\xB6"
            "1. (C) policy &of resistance8 R&D;");
}

TEST(ParseHtmlPageTest, PartialNoteIsNeitherHeaderNorBody) {
  const auto doc = ParseHtmlPage(
      Page("<code><pre>This record is a partial extract of the original "
           "cable. The full text of the original cable is not available."
           "</pre></code>\n<code><pre>S E C R E T VIENNA 000515&#x000A;"
           "TEXT</pre></code>"));
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(doc->partial);
  EXPECT_EQ(doc->header, "");
  EXPECT_EQ(doc->body, "S E C R E T VIENNA 000515\nTEXT");
}

TEST(ParseHtmlPageTest, PartialNoteOpeningTheHeaderBlock) {
  const auto doc = ParseHtmlPage(
      Page("<pre>This record is a partial extract of the original cable. "
           "The full text of the original cable is not available.&#x000A;"
           " &#x000A;291359Z Nov 00&#x000A;FM AMEMBASSY HARARE</pre>\n"
           "<pre>C O N F I D E N T I A L HARARE 006677</pre>"));
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(doc->partial);
  EXPECT_EQ(doc->header, "291359Z Nov 00\nFM AMEMBASSY HARARE");
  EXPECT_EQ(doc->body, "C O N F I D E N T I A L HARARE 006677");
}

TEST(ParseHtmlPageTest, OneBlockIsBodyOrSplitIfItHoldsAHeader) {
  auto doc = ParseHtmlPage(Page("<pre>UNCLAS PARIS 000001&#x000A;TEXT</pre>"));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->header, "");
  EXPECT_EQ(doc->body, "UNCLAS PARIS 000001\nTEXT");
  doc = ParseHtmlPage(Page(
      "<pre>R 040644Z NOV 09&#x000A;FM AMEMBASSY MANAMA&#x000A;TO SECSTATE "
      "WASHDC 8999&#x000A;&#x000A;S E C R E T MANAMA 000642</pre>"));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->header,
            "R 040644Z NOV 09\nFM AMEMBASSY MANAMA\nTO SECSTATE WASHDC 8999");
  EXPECT_EQ(doc->body, "S E C R E T MANAMA 000642");
}

TEST(ParseHtmlPageTest, ToleratesQuotingCaseOrderAndExtraRows) {
  const auto doc = ParseHtmlPage(
      "<HTML><TABLE CLASS=\"main cable\"><TR><TH>Origin<TH>Reference "
      "ID<TH>Classification</TR><TR><TD>Embassy Paris<TD><A "
      "HREF=\"/x\">09PARIS1</A><TD>SECRET//NOFORN</TR><tr><td "
      "colspan='3'>Appears in these articles:<br /><a "
      "href='/a'>x</a></td></tr></TABLE><PRE>UNCLAS&#10;TEXT<BR>MORE<br/>"
      "&#x000A;LAST</PRE>");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->origin, "Embassy Paris");
  EXPECT_EQ(doc->reference_id, "09PARIS1");
  EXPECT_EQ(doc->classification, "SECRET//NOFORN");
  EXPECT_FALSE(doc->created.has_value());
  EXPECT_EQ(doc->body, "UNCLAS\nTEXT\nMORE\nLAST");
}

TEST(ParseHtmlPageTest, TableWithoutHeadingsIsPositional) {
  const auto doc = ParseHtmlPage(
      "<table class='cable'><tr><td>05ALMATY1595</td><td>2005-04-22 "
      "01:33</td><td>2011-08-30 01:44</td><td>UNCLASSIFIED</td><td>US Office "
      "Almaty</td></tr></table>");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->reference_id, "05ALMATY1595");
  EXPECT_TRUE(doc->created.has_value());
  EXPECT_TRUE(doc->released.has_value());
  EXPECT_EQ(doc->classification, "UNCLASSIFIED");
  EXPECT_EQ(doc->origin, "US Office Almaty");
  EXPECT_EQ(doc->body, "");
}

TEST(ParseHtmlPageTest, UnclosedElementsDoNotFail) {
  for (const char* html :
       {"<table class='cable'><tr><td>09X1", "<pre>TEXT <a href='x",
        "<pre>TEXT", "<pre>a < b &amp c &#xZZ;"}) {
    EXPECT_TRUE(ParseHtmlPage(html).ok()) << html;
  }
  EXPECT_FALSE(ParseHtmlPage("<table class='cable'").ok());
  const auto doc = ParseHtmlPage("<pre>a < b &amp c &#xZZ; &#65;</pre>");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->body, "a < b &amp c &#xZZ; A");
}

TEST(ParseHtmlPageTest, HeadingGivesTheIdWithoutATable) {
  const auto doc = ParseHtmlPage(
      "<html><h3>Viewing cable 08DAMASCUS427, FRENCH CONSIDER</h3>"
      "<pre>C O N F I D E N T I A L DAMASCUS 000427</pre></html>");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->reference_id, "08DAMASCUS427");
}

TEST(ParseHtmlPageTest, NoTableNoPreIsAnError) {
  const auto doc = ParseHtmlPage("<html><body><p>Hello</p></body></html>");
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(doc.status().message(),
            "HTML page has no <table class='cable'> and no <pre> block");
}

TEST(LooksLikeHtmlTest, Openings) {
  EXPECT_TRUE(LooksLikeHtml("<?xml version='1.0'?>"));
  EXPECT_TRUE(LooksLikeHtml("\xEF\xBB\xBF  <!DOCTYPE html>"));
  EXPECT_TRUE(LooksLikeHtml("\n<html>"));
  EXPECT_TRUE(LooksLikeHtml("junk first\n<table class='cable'><tr>"));
  EXPECT_FALSE(LooksLikeHtml("UNCLAS ALMATY 001595 <not a tag"));
  EXPECT_FALSE(LooksLikeHtml("a < b"));
}

TEST(HtmlFragmentTextTest, TagsEntitiesAndBreaks) {
  EXPECT_EQ(HtmlFragmentText("<a href='/tag/X'>PGOV</a> &amp; <b>KZ</b>"),
            "PGOV & KZ");
  EXPECT_EQ(HtmlFragmentText("one<br>two<br>&#x000A;three"), "one\ntwo\nthree");
  EXPECT_EQ(HtmlFragmentText("x &nbsp;y"), "x \xC2\xA0y");
}

}  // namespace
}  // namespace cables::parser
