#include "services/ingest/parser/content_hash.h"

#include "gtest/gtest.h"

namespace cables::parser {
namespace {

using cables::v1::Cable;

Cable Sample() {
  Cable cable;
  cable.set_canonical_id("08DAMASCUS427");
  cable.mutable_created()->set_seconds(1213632240);
  cable.set_origin("Embassy Damascus");
  cable.set_classification("CONFIDENTIAL");
  cable.set_header("VZCZC\nFM AMEMBASSY DAMASCUS");
  cable.set_body("C O N F I D E N T I A L\n\n1. (C) Text.");
  return cable;
}

TEST(Sha256HexTest, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(NormalizeForHashTest, Rules) {
  EXPECT_EQ(NormalizeForHash("\n \nA  \r\nB\t\r\rC \n\n  \n"), "A\nB\n\nC");
  EXPECT_EQ(NormalizeForHash("  indented\n"), "  indented");
  EXPECT_EQ(NormalizeForHash(" \n\t\n"), "");
}

TEST(ContentSha256Test, StableUnderWhitespaceNoise) {
  Cable a = Sample();
  Cable b = Sample();
  b.set_header("\r\nVZCZC  \r\nFM AMEMBASSY DAMASCUS\r\n\r\n");
  b.set_body("C O N F I D E N T I A L \n\n1. (C) Text.   \n");
  // Derived fields are not hashed.
  b.add_tags("PGOV");
  b.set_subject("S");
  b.set_source_format(cables::v1::CSV);
  EXPECT_EQ(ContentSha256(a), ContentSha256(b));
  EXPECT_EQ(ContentSha256(a).size(), 64u);
}

TEST(ContentSha256Test, ChangesWithContent) {
  const std::string base = ContentSha256(Sample());
  Cable c = Sample();
  c.set_body("C O N F I D E N T I A L\n\n1. (C) Text!");
  EXPECT_NE(ContentSha256(c), base);
  c = Sample();
  c.mutable_created()->set_seconds(1213632241);
  EXPECT_NE(ContentSha256(c), base);
  c = Sample();
  c.set_origin("Embassy Beirut");
  EXPECT_NE(ContentSha256(c), base);
  c = Sample();
  c.set_canonical_id("08DAMASCUS428");
  EXPECT_NE(ContentSha256(c), base);
  c = Sample();
  c.clear_created();
  EXPECT_NE(ContentSha256(c), base);
  // Moving text between header and body changes the digest.
  c = Sample();
  c.set_header("VZCZC");
  c.set_body("FM AMEMBASSY DAMASCUS\nC O N F I D E N T I A L\n\n1. (C) Text.");
  EXPECT_NE(ContentSha256(c), base);
}

TEST(ContentSerializationTest, Layout) {
  EXPECT_EQ(ContentSerialization(Sample()),
            "cables.v1.content\n"
            "canonical_id:13:08DAMASCUS427\n"
            "created:1213632240\n"
            "origin:16:Embassy Damascus\n"
            "classification:12:CONFIDENTIAL\n"
            "header:27:VZCZC\nFM AMEMBASSY DAMASCUS\n"
            "body:37:C O N F I D E N T I A L\n\n1. (C) Text.\n");
}

}  // namespace
}  // namespace cables::parser
