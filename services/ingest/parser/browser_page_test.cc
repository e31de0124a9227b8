#include "services/ingest/parser/browser_page.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace cables::parser {
namespace {

constexpr absl::string_view kPage =
    "US embassy cable - 05ALMATY1595\n"
    "\n"
    "Disclaimer: This site has been first put up 15 years ago. Since then I\n"
    "would probably do a couple things differently.\n"
    "\n"
    "KAZAKHSTANI PARLIAMENT CONSIDERS TROUBLING PACKAGE OF NATIONAL\n"
    "SECURITY AMENDMENTS\n"
    "\n"
    "Identifier: 05ALMATY1595\n"
    "Wikileaks: View 05ALMATY1595 at Wikileaks.org\n"
    "Origin: US Office Almaty\n"
    "Created: 2005-04-22 01:33:00\n"
    "Classification: UNCLASSIFIED//FOR OFFICIAL USE ONLY\n"
    "Tags: PGOV PREL KDEM PHUM PINR KZ POLITICAL\n"
    "Redacted: This cable was not redacted by Wikileaks.\n"
    "This record is a partial extract of the original cable. The full text "
    "of the original cable is not available.\n"
    "\n"
    "UNCLAS  ALMATY 001595 \n"
    " \n"
    "SIPDIS \n"
    "SUBJECT: KAZAKHSTANI PARLIAMENT CONSIDERS TROUBLING PACKAGE \n"
    "\n"
    "1.  (SBU) SUMMARY: The Mazhilis\n";

TEST(ParseBrowserPageTest, SeedLayout) {
  const auto doc = ParseBrowserPage(kPage);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->format, cables::v1::BROWSER);
  EXPECT_EQ(doc->reference_id, "05ALMATY1595");
  EXPECT_EQ(doc->origin, "US Office Almaty");
  ASSERT_TRUE(doc->created.has_value());
  EXPECT_EQ(absl::ToUnixSeconds(*doc->created), 1114133580);
  EXPECT_FALSE(doc->released.has_value());
  EXPECT_EQ(doc->classification, "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
  EXPECT_EQ(doc->tags, (std::vector<std::string>{"PGOV", "PREL", "KDEM", "PHUM",
                                                 "PINR", "KZ", "POLITICAL"}));
  EXPECT_FALSE(doc->redacted);
  EXPECT_TRUE(doc->partial);
  EXPECT_EQ(doc->subject,
            "KAZAKHSTANI PARLIAMENT CONSIDERS TROUBLING PACKAGE OF NATIONAL "
            "SECURITY AMENDMENTS");
  EXPECT_EQ(doc->header, "");
  EXPECT_EQ(doc->body,
            "UNCLAS  ALMATY 001595 \n \nSIPDIS \nSUBJECT: KAZAKHSTANI "
            "PARLIAMENT CONSIDERS TROUBLING PACKAGE \n\n1.  (SBU) SUMMARY: "
            "The Mazhilis");
}

TEST(ParseBrowserPageTest, ReorderedMissingAndExtraLabels) {
  const auto doc = ParseBrowserPage(
      "Classification: SECRET\n"
      "Released: 2011-08-30 01:44\n"
      "Identifier: 09PARIS12\n"
      "Tags: PREL, KNNP,KZ\n"
      "Redacted: This cable was redacted by Wikileaks.\n"
      "\n"
      "S E C R E T PARIS 000012\n"
      "DATE: not a label here\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->reference_id, "09PARIS12");
  EXPECT_EQ(doc->classification, "SECRET");
  EXPECT_TRUE(doc->released.has_value());
  EXPECT_FALSE(doc->created.has_value());
  EXPECT_EQ(doc->origin, "");
  EXPECT_TRUE(doc->redacted);
  EXPECT_FALSE(doc->partial);
  EXPECT_EQ(doc->subject, "");
  EXPECT_EQ(doc->tags, (std::vector<std::string>{"PREL", "KNNP", "KZ"}));
  EXPECT_EQ(doc->body, "S E C R E T PARIS 000012\nDATE: not a label here");
}

TEST(ParseBrowserPageTest, UpperCaseLabelsPastABlankLineAreText) {
  const auto doc = ParseBrowserPage(
      "Identifier: 09KUWAIT110\nOrigin: Embassy Kuwait\n\n"
      "SUBJECT: THE TELEGRAM'S OWN\nTAGS: PREL\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->subject, "");
  EXPECT_EQ(doc->body, "SUBJECT: THE TELEGRAM'S OWN\nTAGS: PREL");
}

TEST(ParseBrowserPageTest, TitleAloneIsNoSubject) {
  const auto doc = ParseBrowserPage(
      "US embassy cable - 05ALMATY1595\n\nIdentifier: 05ALMATY1595\n\nBODY\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->subject, "");
  EXPECT_EQ(doc->body, "BODY");
}

TEST(ParseBrowserPageTest, RoutingHeaderInTheTextIsSplitOff) {
  const auto doc = ParseBrowserPage(
      "Identifier: 08DAMASCUS427\n\nP 161625Z JUN 08\nFM AMEMBASSY "
      "DAMASCUS\nTO RUEHC/SECSTATE WASHDC PRIORITY 5083\n\nC O N F I D E N T "
      "I A L DAMASCUS 000427\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->header,
            "P 161625Z JUN 08\nFM AMEMBASSY DAMASCUS\nTO RUEHC/SECSTATE "
            "WASHDC PRIORITY 5083");
  EXPECT_EQ(doc->body, "C O N F I D E N T I A L DAMASCUS 000427");
}

TEST(ParseBrowserPageTest, LabelsWithDescriptionsAndTextualDates) {
  const auto doc = ParseBrowserPage(
      "Canonical ID: 05ALMATY1595\n"
      "Date: 2005 April 22, 01:33 (Friday)\n"
      "Original Classification: UNCLASSIFIED\n"
      "TAGS: PGOV - Internal Governmental Affairs | KZ - Kazakhstan\n"
      "\nUNCLAS ALMATY 001595\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->reference_id, "05ALMATY1595");
  ASSERT_TRUE(doc->created.has_value());
  EXPECT_EQ(absl::ToUnixSeconds(*doc->created), 1114133580);
  EXPECT_EQ(doc->classification, "UNCLASSIFIED");
  EXPECT_EQ(doc->tags, (std::vector<std::string>{"PGOV", "KZ"}));
  EXPECT_EQ(doc->body, "UNCLAS ALMATY 001595");
}

TEST(ParseBrowserPageTest, NoLabelsIsAnError) {
  EXPECT_EQ(ParseBrowserPage("just text\n").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LooksLikeBrowserPageTest, Detection) {
  EXPECT_TRUE(LooksLikeBrowserPage(kPage));
  EXPECT_TRUE(LooksLikeBrowserPage("Identifier: X\nCreated: 2005-01-01\n"));
  EXPECT_FALSE(LooksLikeBrowserPage("Identifier: X\nBODY\n"));
  EXPECT_FALSE(LooksLikeBrowserPage("Classification: SECRET\n"));
}

}  // namespace
}  // namespace cables::parser
