#include "services/oai/dublin_core.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/oai/testing/xml_schema_check.h"

namespace cables::oai {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

cables::v1::Cable Sample() {
  cables::v1::Cable c;
  c.set_canonical_id("05ALMATY1595");
  c.set_reference_id("05ALMATY1595");
  c.set_subject("KAZAKHSTAN: <ELECTIONS> & \"REFORM\"\x01");
  c.set_origin("Embassy Almaty");
  c.set_classification("CONFIDENTIAL");
  c.add_caveats("NOFORN");
  c.add_tags("PGOV");
  c.add_tags("KZ");
  c.set_summary("Summary \xff with a bad byte.");
  c.mutable_created()->set_seconds(1112695980);  // 2005-04-05T10:13:00Z
  auto* ref = c.add_references();
  ref->set_id("05ALMATY1500");
  ref->set_kind(cables::v1::Reference::CABLE);
  c.add_references()->set_text("STATE 12345 (an e-mail)");
  return c;
}

std::string Record(const cables::v1::Cable& cable) {
  XmlWriter xml;
  WriteOaiDc(cable, "oai:cables.archive:05ALMATY1595", "Cable Archive", &xml);
  return std::move(xml).Finish();
}

TEST(DublinCoreTest, MapsEveryField) {
  const std::string xml = Record(Sample());
  for (const char* want :
       {"<dc:title>KAZAKHSTAN: &lt;ELECTIONS&gt; &amp; \"REFORM\"</dc:title>",
        "<dc:creator>Embassy Almaty</dc:creator>",
        "<dc:subject>PGOV</dc:subject>", "<dc:subject>KZ</dc:subject>",
        "<dc:description>Summary \xEF\xBF\xBD with a bad byte."
        "</dc:description>",
        "<dc:publisher>Cable Archive</dc:publisher>",
        "<dc:date>2005-04-05T10:13:00Z</dc:date>", "<dc:type>Text</dc:type>",
        "<dc:format>text/plain</dc:format>",
        "<dc:identifier>05ALMATY1595</dc:identifier>",
        "<dc:identifier>oai:cables.archive:05ALMATY1595</dc:identifier>",
        "<dc:language>en</dc:language>",
        "<dc:relation>05ALMATY1500</dc:relation>",
        "<dc:relation>STATE 12345 (an e-mail)</dc:relation>",
        "<dc:coverage>Embassy Almaty</dc:coverage>",
        "<dc:rights>CONFIDENTIAL//NOFORN</dc:rights>"}) {
    EXPECT_THAT(xml, HasSubstr(want));
  }
  // The reference id is not repeated when it is the canonical id.
  EXPECT_EQ(xml.find("<dc:identifier>05ALMATY1595<"),
            xml.rfind("<dc:identifier>05ALMATY1595<"));
}

TEST(DublinCoreTest, LeavesOutEmptyFields) {
  cables::v1::Cable c;
  c.set_canonical_id("05ALMATY1595");
  c.set_reference_id("05 ALMATY 1595");
  const std::string xml = Record(c);
  EXPECT_THAT(xml, Not(HasSubstr("dc:title")));
  EXPECT_THAT(xml, Not(HasSubstr("dc:date")));
  EXPECT_THAT(xml, HasSubstr("<dc:identifier>05 ALMATY 1595</dc:identifier>"));
}

TEST(DublinCoreTest, ValidatesAgainstOaiDcSchema) {
  if (!testing::HaveXmllint()) GTEST_SKIP() << "xmllint is not installed";
  EXPECT_TRUE(testing::ValidateXml(Record(Sample()), "oai_dc.xsd").ok());
  cables::v1::Cable empty;
  EXPECT_TRUE(testing::ValidateXml(Record(empty), "oai_dc.xsd").ok());
}

}  // namespace
}  // namespace cables::oai
