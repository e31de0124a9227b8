#include "services/ingest/parser/tag_kinds.h"

#include "gtest/gtest.h"

namespace cables::parser {
namespace {

using cables::v1::GEOGRAPHIC;
using cables::v1::ORGANIZATION;
using cables::v1::PERSON;
using cables::v1::PROGRAM;
using cables::v1::SUBJECT;
using cables::v1::TAG_KIND_UNSPECIFIED;

TEST(TagKindsTest, Geographic) {
  for (const char* t :
       {"SY", "KZ", "XF", "XG", "XL", "US", "UK", "uk", "UAE"}) {
    EXPECT_EQ(ClassifyTag(t), GEOGRAPHIC) << t;
  }
}

TEST(TagKindsTest, Subjects) {
  for (const char* t :
       {"PGOV", "PREL", "PHUM", "ECON", "EFIN", "ETRD", "MARR", "MOPS", "PTER",
        "SNAR", "ASEC", "CASC", "OVIP", "TSPA", "MTCRE", "BEXP", "POGOV"}) {
    EXPECT_EQ(ClassifyTag(t), SUBJECT) << t;
  }
}

TEST(TagKindsTest, AuIsAustriaNotTheAfricanUnion) {
  EXPECT_EQ(ClassifyTag("AU"), GEOGRAPHIC);
  EXPECT_EQ(ClassifyTag("AU-1"), ORGANIZATION);
}

TEST(TagKindsTest, Programs) {
  for (const char* t :
       {"KDEM", "KCRM", "KPAO", "KNNP", "KTFN", "KWBG", "KDEMAF"}) {
    EXPECT_EQ(ClassifyTag(t), PROGRAM) << t;
  }
}

TEST(TagKindsTest, Organizations) {
  for (const char* t : {"UN", "UNSC", "NATO", "IAEA", "EU", "EUN", "OSCE",
                        "ASEAN", "AU-1", "OAS", "WTO", "IMF", "UNGA",
                        "ICTY", "INTERPOL", "OPEC", "IO", "PSOE"}) {
    EXPECT_EQ(ClassifyTag(t), ORGANIZATION) << t;
  }
}

TEST(TagKindsTest, PersonsAndUnknown) {
  EXPECT_EQ(ClassifyTag("ROOD, JOHN"), PERSON);
  EXPECT_EQ(ClassifyTag("STEINBERG, JAMES B."), PERSON);
  EXPECT_EQ(ClassifyTag("GOI"), TAG_KIND_UNSPECIFIED);
  EXPECT_EQ(ClassifyTag("COUNTERTERRORISM"), TAG_KIND_UNSPECIFIED);
  EXPECT_EQ(ClassifyTag(""), TAG_KIND_UNSPECIFIED);
}

TEST(TagKindsTest, KnownCodes) {
  EXPECT_TRUE(IsKnownTagCode("PGOV"));
  EXPECT_TRUE(IsKnownTagCode("sy"));
  EXPECT_FALSE(IsKnownTagCode("ROOD"));
  EXPECT_FALSE(IsKnownTagCode("BUSH"));
}

}  // namespace
}  // namespace cables::parser
