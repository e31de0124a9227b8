#include "services/ingest/parser/cable_parser.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "services/ingest/parser/content_hash.h"

namespace cables::parser {
namespace {

using cables::v1::Cable;

constexpr absl::string_view kHtml =
    "<?xml version='1.0' encoding='utf-8' ?>\n<html><body>"
    "<table class='cable'><tr><th>Reference ID</th><th>Created</th>"
    "<th>Released</th><th>Classification</th><th>Origin</th></tr><tr>"
    "<td><a href='/x'>08DAMASCUS427</a></td><td>2008-06-16 16:04</td>"
    "<td>2010-12-07 21:09</td><td>CONFIDENTIAL</td><td>Embassy Damascus</td>"
    "</tr></table>\n<code><pre>VZCZCXRO0539&#x000A;FM AMEMBASSY DAMASCUS"
    "&#x000A;TO RUEHC/SECSTATE WASHDC PRIORITY 5083</pre></code>\n"
    "<code><pre>C O N F I D E N T I A L DAMASCUS 000427 &#x000A;&#x000A;"
    "SUBJECT: A SUBJECT&#x000A;&#x000A;1. (C) Text.</pre></code>"
    "</body></html>\n";

std::string CsvRow(int n, absl::string_view id, absl::string_view body) {
  return absl::StrCat("\"", n, "\",\"06/16/2008 16:04\",\"", id,
                      "\",\"Embassy Damascus\",\"CONFIDENTIAL\",\"\","
                      "\"VZCZCXRO0539\nFM AMEMBASSY DAMASCUS\nTO "
                      "RUEHC/SECSTATE WASHDC PRIORITY 5083\",\"",
                      body, "\"\n");
}

constexpr absl::string_view kBody =
    "C O N F I D E N T I A L DAMASCUS 000427 \n\nSUBJECT: A SUBJECT\n\n1. "
    "(C) Text.";

TEST(InputFormatFromNameTest, Names) {
  EXPECT_EQ(*InputFormatFromName("auto"), InputFormat::kAuto);
  EXPECT_EQ(*InputFormatFromName("HTML"), InputFormat::kHtml);
  EXPECT_EQ(*InputFormatFromName("csv"), InputFormat::kCsv);
  EXPECT_EQ(*InputFormatFromName("browser"), InputFormat::kBrowser);
  EXPECT_EQ(*InputFormatFromName("text"), InputFormat::kText);
  const auto bad = InputFormatFromName("pdf");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "pdf"));
}

TEST(DetectFormatTest, Formats) {
  EXPECT_EQ(DetectFormat(kHtml), InputFormat::kHtml);
  EXPECT_EQ(DetectFormat("<!DOCTYPE html><html>"), InputFormat::kHtml);
  EXPECT_EQ(DetectFormat("  <table class='cable'>"), InputFormat::kHtml);
  EXPECT_EQ(DetectFormat(CsvRow(1, "08DAMASCUS427", "x")), InputFormat::kCsv);
  EXPECT_EQ(DetectFormat("Title\n\nIdentifier: X\nClassification: SECRET\n"),
            InputFormat::kBrowser);
  EXPECT_EQ(DetectFormat("VZCZCXRO0539\nFM X\n"), InputFormat::kText);
  EXPECT_EQ(DetectFormat("\"quoted\" text"), InputFormat::kText);
  EXPECT_EQ(DetectFormat(""), InputFormat::kText);
  EXPECT_EQ(DetectFormat("\x01\x02"), InputFormat::kText);
}

TEST(ParseCableTest, HtmlPage) {
  const auto cable = ParseCable(kHtml);
  ASSERT_TRUE(cable.ok()) << cable.status();
  EXPECT_EQ(cable->source_format(), cables::v1::HTML);
  EXPECT_EQ(cable->reference_id(), "08DAMASCUS427");
  EXPECT_EQ(cable->canonical_id(), "08DAMASCUS427");
  EXPECT_EQ(cable->name(), "cables/08DAMASCUS427");
  EXPECT_EQ(cable->created().seconds(), 1213632240);
  EXPECT_TRUE(cable->has_released());
  EXPECT_EQ(cable->origin(), "Embassy Damascus");
  EXPECT_EQ(cable->classification(), "CONFIDENTIAL");
  EXPECT_EQ(cable->header(),
            "VZCZCXRO0539\nFM AMEMBASSY DAMASCUS\nTO RUEHC/SECSTATE WASHDC "
            "PRIORITY 5083");
  EXPECT_EQ(cable->body(), kBody);
  EXPECT_EQ(cable->content_sha256(), ContentSha256(*cable));
}

TEST(ParseCableTest, CsvRowHashesLikeTheHtmlPage) {
  const auto html = ParseCable(kHtml);
  const auto csv = ParseCable(CsvRow(12, "08DAMASCUS427", kBody));
  ASSERT_TRUE(html.ok()) << html.status();
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->source_format(), cables::v1::CSV);
  EXPECT_EQ(csv->name(), "cables/08DAMASCUS427");
  EXPECT_FALSE(csv->has_released());
  EXPECT_EQ(csv->content_sha256(), html->content_sha256());
  // CRLF line ends and trailing blanks do not matter either.
  std::string crlf = CsvRow(12, "08DAMASCUS427", absl::StrCat(kBody, "  \n"));
  absl::StrReplaceAll({{"\n", "\r\n"}}, &crlf);
  const auto csv2 = ParseCable(crlf);
  ASSERT_TRUE(csv2.ok()) << csv2.status();
  EXPECT_EQ(csv2->content_sha256(), html->content_sha256());
  EXPECT_EQ(csv2->body().find('\r'), std::string::npos);
}

TEST(ParseCableTest, CsvInputWithManyRowsIsRejected) {
  const auto cable = ParseCable(CsvRow(1, "08DAMASCUS427", kBody) +
                                CsvRow(2, "08DAMASCUS428", kBody));
  EXPECT_EQ(cable.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(cable.status().message(), "more than one"));
}

TEST(ParseCableTest, RejectsEmptyBinaryAndUnrecognisable) {
  EXPECT_EQ(ParseCable("").status().message(), "input is empty");
  EXPECT_EQ(ParseCable(" \n ").status().message(), "input is empty");
  EXPECT_EQ(ParseCable(std::string("VZCZC\0\1", 7)).status().message(),
            "input is binary (NUL byte at offset 5)");
  const auto junk = ParseCable("hello world, nothing to see here\n");
  EXPECT_EQ(junk.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StartsWith(junk.status().message(), "no recognisable cable: "))
      << junk.status();
  ParseOptions html;
  html.format = InputFormat::kHtml;
  EXPECT_EQ(ParseCable("<p>no cable</p>", html).status().code(),
            absl::StatusCode::kInvalidArgument);
  ParseOptions csv;
  csv.format = InputFormat::kCsv;
  EXPECT_TRUE(
      absl::StrContains(ParseCable("\"1\",\"2\"\n", csv).status().message(),
                        "expected 8 fields"));
}

TEST(ParseCableTest, TextWithHeaderIsRecognisable) {
  const auto cable = ParseCable(
      "VZCZCXRO0539\nP 161625Z JUN 08\nFM AMEMBASSY DAMASCUS\nTO "
      "RUEHC/SECSTATE WASHDC\n\nC O N F I D E N T I A L DAMASCUS 000427\n");
  ASSERT_TRUE(cable.ok()) << cable.status();
  EXPECT_EQ(cable->source_format(), cables::v1::TEXT);
  EXPECT_EQ(cable->body(), "C O N F I D E N T I A L DAMASCUS 000427");
}

TEST(ParseCableTest, IdHintNamesAFragment) {
  ParseOptions options;
  options.id_hint = "08damascus427";
  const auto cable = ParseCable(
      "VZCZCXRO0539\nFM AMEMBASSY DAMASCUS\nTO RUEHC/SECSTATE WASHDC\n",
      options);
  ASSERT_TRUE(cable.ok()) << cable.status();
  EXPECT_EQ(cable->canonical_id(), "08DAMASCUS427");
  EXPECT_EQ(cable->name(), "cables/08DAMASCUS427");
  // A hint does not make junk a cable.
  EXPECT_FALSE(ParseCable("hello world", options).ok());
}

TEST(ParseCableTest, Windows1252InputIsDecoded) {
  const auto cable = ParseCable(
      "VZCZCXRO0539\nFM AMEMBASSY PARIS\nTO RUEHC/SECSTATE WASHDC\n\n"
      "UNCLAS PARIS 000001\nCaf\xE9 \x93quoted\x94\n");
  ASSERT_TRUE(cable.ok()) << cable.status();
  EXPECT_EQ(cable->body(),
            "UNCLAS PARIS 000001\nCaf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
}

// UTF-16 (as Windows tools save text) in both byte orders: the same cable,
// the same content hash as the UTF-8 page.
TEST(ParseCableTest, Utf16WithByteOrderMarkIsDecoded) {
  const auto utf8 = ParseCable(kHtml);
  ASSERT_TRUE(utf8.ok()) << utf8.status();
  for (const bool little_endian : {true, false}) {
    std::string utf16 = little_endian ? "\xFF\xFE" : "\xFE\xFF";
    for (const char c : std::string(kHtml)) {  // kHtml is ASCII
      if (little_endian) {
        utf16.push_back(c);
        utf16.push_back('\0');
      } else {
        utf16.push_back('\0');
        utf16.push_back(c);
      }
    }
    const auto cable = ParseCable(utf16);
    ASSERT_TRUE(cable.ok()) << little_endian << ": " << cable.status();
    EXPECT_EQ(cable->canonical_id(), "08DAMASCUS427");
    EXPECT_EQ(cable->body(), utf8->body());
    EXPECT_EQ(cable->content_sha256(), utf8->content_sha256());
  }
  // A mark followed by nothing but whitespace is still empty input.
  EXPECT_EQ(ParseCable(std::string("\xFF\xFE \0\n\0", 6)).status().message(),
            "input is empty");
}

TEST(ParseCableTest, BrowserPage) {
  const auto cable = ParseCable(
      "US embassy cable - 05ALMATY1595\n\nSUBJECT LINE\n\n"
      "Identifier: 05ALMATY1595\nOrigin: US Office Almaty\n"
      "Created: 2005-04-22 01:33:00\nClassification: UNCLASSIFIED\n"
      "Tags: PGOV KZ\n\nUNCLAS ALMATY 001595\n");
  ASSERT_TRUE(cable.ok()) << cable.status();
  EXPECT_EQ(cable->source_format(), cables::v1::BROWSER);
  EXPECT_EQ(cable->name(), "cables/05ALMATY1595");
  EXPECT_EQ(cable->subject(), "SUBJECT LINE");
  ASSERT_EQ(cable->tags_size(), 2);
  EXPECT_EQ(cable->tags(1), "KZ");
}

TEST(ParseDocumentTest, ManyCsvRows) {
  const std::string data = absl::StrCat(
      "\"id\",\"date\",\"ref\",\"origin\",\"class\",\"refs\",\"header\","
      "\"body\"\n",
      CsvRow(1, "08DAMASCUS427", kBody), CsvRow(2, "08DAMASCUS428", kBody),
      CsvRow(3, "08DAMASCUS429", kBody));
  const auto cables = ParseDocument(data);
  ASSERT_TRUE(cables.ok()) << cables.status();
  ASSERT_EQ(cables->size(), 3u);
  EXPECT_EQ((*cables)[2].canonical_id(), "08DAMASCUS429");
}

TEST(ParseDocumentTest, FailsOnTheFirstBadRowNamingIt) {
  const std::string data = absl::StrCat(
      CsvRow(1, "08DAMASCUS427", kBody),
      "\"2\",\"99/99/2008 16:04\",\"X\",\"\",\"\",\"\",\"\",\"\"\n",
      CsvRow(3, "08DAMASCUS429", kBody));
  const auto cables = ParseDocument(data);
  EXPECT_EQ(cables.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(cables.status().message(), "row 2 "))
      << cables.status();
}

TEST(ParseDocumentTest, OtherFormatsGiveOneCable) {
  const auto cables = ParseDocument(kHtml);
  ASSERT_TRUE(cables.ok()) << cables.status();
  EXPECT_EQ(cables->size(), 1u);
}

TEST(ParseCsvFieldsTest, RejectsNulAndRepairsEncoding) {
  std::vector<std::string> fields = {"1",
                                     "06/16/2008 16:04",
                                     "08DAMASCUS427",
                                     "Embassy Damascus",
                                     "CONFIDENTIAL",
                                     "",
                                     "",
                                     std::string("bo\0dy", 5)};
  EXPECT_EQ(ParseCsvFields(fields).status().message(),
            "field 8 is binary (NUL byte at offset 2)");
  fields[7] = "Caf\xE9 text";
  const auto cable = ParseCsvFields(fields);
  ASSERT_TRUE(cable.ok()) << cable.status();
  EXPECT_EQ(cable->body(), "Caf\xC3\xA9 text");
}

TEST(ParseCableTest, LargeInputIsLinear) {
  // 50 MB of body text parses (the front-ends are linear; this would time
  // out if any step were quadratic).
  std::string body = "UNCLAS PARIS 000001\n\n";
  while (body.size() < 50u << 20) {
    body += "1. (U) Text text text & more <text> \"quoted\" xxxxxx.\n";
  }
  ParseOptions options;
  options.format = InputFormat::kText;
  const auto cable = ParseCable(absl::StrCat("VZCZCXRO0539\nFM AMEMBASSY "
                                             "PARIS\nTO RUEHC/SECSTATE "
                                             "WASHDC\n\n",
                                             body),
                                options);
  ASSERT_TRUE(cable.ok()) << cable.status();
  EXPECT_GT(cable->body().size(), 50u << 20);
}

}  // namespace
}  // namespace cables::parser
