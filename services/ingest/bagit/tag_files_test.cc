#include "services/ingest/bagit/tag_files.h"

#include <string>

#include "gtest/gtest.h"

namespace cables::bagit {
namespace {

const std::string kSha256Zero(64, '0');

TEST(BagDeclarationTest, ParsesVersionAndEncodingWithAnyLineEnding) {
  for (const char* text :
       {"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        "BagIt-Version: 1.0\r\nTag-File-Character-Encoding: utf-8\r\n",
        "BagIt-Version: 0.97\rTag-File-Character-Encoding: UTF-8"}) {
    auto d = ParseBagDeclaration(text);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_FALSE(d->version.empty());
  }
}

TEST(BagDeclarationTest, RefusesBomOtherEncodingsVersionsAndShapes) {
  EXPECT_FALSE(ParseBagDeclaration("\xEF\xBB\xBF"
                                   "BagIt-Version: 1.0\n"
                                   "Tag-File-Character-Encoding: UTF-8\n")
                   .ok());
  EXPECT_FALSE(ParseBagDeclaration("BagIt-Version: 1.0\n"
                                   "Tag-File-Character-Encoding: ISO-8859-1\n")
                   .ok());
  EXPECT_FALSE(ParseBagDeclaration("BagIt-Version: 2.0\n"
                                   "Tag-File-Character-Encoding: UTF-8\n")
                   .ok());
  EXPECT_FALSE(ParseBagDeclaration("BagIt-Version: 1.0\n").ok());
  EXPECT_FALSE(ParseBagDeclaration("Tag-File-Character-Encoding: UTF-8\n"
                                   "BagIt-Version: 1.0\n")
                   .ok());
  EXPECT_FALSE(ParseBagDeclaration("").ok());
}

TEST(ManifestTest, ParsesDigestsAndPaths) {
  const std::string text = "ABCDEF" + std::string(58, '0') +
                           "  data/a b.html\r\n" + kSha256Zero +
                           "\tdata/x%0Ay%25.txt\n\n";
  auto m = ParseManifest(text, Algorithm::kSha256);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].digest, "abcdef" + std::string(58, '0'));
  EXPECT_EQ((*m)[0].path, "data/a b.html");
  EXPECT_EQ((*m)[0].line, 1);
  EXPECT_EQ((*m)[1].path, "data/x\ny%.txt");
  EXPECT_EQ((*m)[1].line, 2);
}

TEST(ManifestTest, RefusesBadLinesNamingThem) {
  const auto error = [](const std::string& text) {
    auto m = ParseManifest(text, Algorithm::kSha256);
    return m.ok() ? std::string("ok") : std::string(m.status().message());
  };
  EXPECT_EQ(error(kSha256Zero + "\n"),
            "line 1: expected \"CHECKSUM FILEPATH\"");
  EXPECT_NE(error(std::string(63, '0') + " data/a").find("64 hex digits"),
            std::string::npos);
  EXPECT_NE(error(std::string(64, 'g') + " data/a").find("64 hex digits"),
            std::string::npos);
  EXPECT_NE(error(kSha256Zero + " data/a\n" + kSha256Zero + " data/a\n")
                .find("line 2: \"data/a\" is listed twice"),
            std::string::npos);
  EXPECT_NE(error(kSha256Zero + " ../etc/passwd").find("escapes the bag"),
            std::string::npos);
  EXPECT_NE(error(kSha256Zero + " /etc/passwd").find("absolute"),
            std::string::npos);
  EXPECT_NE(error(kSha256Zero + " data\\..\\x").find("backslash"),
            std::string::npos);
  // Only CR, LF and '%' are percent-decoded (RFC 8493 2.1.3): "%2E%2E" is
  // a literal name, not a traversal.
  EXPECT_EQ(error(kSha256Zero + " data/%2E%2E/x"), "ok");
}

TEST(CheckRelativePathTest, AcceptsOrdinaryPaths) {
  for (const char* ok :
       {"data/a.html", "data/2008/06/08DAMASCUS427.html", "bag-info.txt",
        "data/..hidden", "data/a..b", "data/x\ny"}) {
    EXPECT_TRUE(CheckRelativePath(ok).ok()) << ok;
  }
}

TEST(CheckRelativePathTest, RefusesEscapes) {
  for (const char* bad :
       {"", "/etc/passwd", "../x", "data/../../x", "data/..", "./data/x",
        "data//x", "data/x/", "~root/x", "C:x", "c:/x", "data\\x"}) {
    EXPECT_FALSE(CheckRelativePath(bad).ok()) << bad;
  }
  EXPECT_FALSE(CheckRelativePath(std::string("data/a\0b", 8)).ok());
}

TEST(DecodeManifestPathTest, DecodesOnlyCrLfAndPercent) {
  EXPECT_EQ(DecodeManifestPath("a%0Db%0ac%25d%41%"), "a\rb\nc%d%41%");
  EXPECT_EQ(DecodeManifestPath("%2525"), "%25");
}

TEST(BagInfoTest, LabelsContinuationsAndRepeats) {
  auto info = ParseBagInfo(
      "Source-Organization: Cable Archive\n"
      "External-Description: first line\n"
      "  second line\n"
      "\tthird\r\n"
      "Payload-Oxum: 10.2\n"
      "Keyword: a\n"
      "Keyword: b\n"
      "Contact-Email: x:y@z\n");
  ASSERT_TRUE(info.ok()) << info.status();
  ASSERT_EQ(info->size(), 6u);
  EXPECT_EQ((*info)[1].second, "first line second line third");
  EXPECT_EQ(BagInfoValues(*info, "keyword"),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(BagInfoValues(*info, "Contact-Email")[0], "x:y@z");
  EXPECT_FALSE(ParseBagInfo("  orphan continuation\n").ok());
  EXPECT_FALSE(ParseBagInfo("no colon here\n").ok());
  EXPECT_FALSE(ParseBagInfo(": no label\n").ok());
}

TEST(PayloadOxumTest, ParsesAndRefuses) {
  auto oxum = ParsePayloadOxum(" 12345.67 ");
  ASSERT_TRUE(oxum.ok());
  EXPECT_EQ(oxum->octets, 12345u);
  EXPECT_EQ(oxum->streams, 67u);
  for (const char* bad : {"", "12", "12.", ".3", "1.2.3", "-1.2", "a.b",
                          "1234567890123456789.1"}) {
    EXPECT_FALSE(ParsePayloadOxum(bad).ok()) << bad;
  }
}

TEST(AlgorithmTest, NamesLengthsAndStrength) {
  EXPECT_EQ(AlgorithmFromName("sha512"), Algorithm::kSha512);
  EXPECT_EQ(AlgorithmFromName("blake2b"), std::nullopt);
  EXPECT_EQ(DigestHexLength(Algorithm::kSha512), 128);
  EXPECT_EQ(DigestHexLength(Algorithm::kMd5), 32);
  EXPECT_GT(AlgorithmStrength(Algorithm::kSha512),
            AlgorithmStrength(Algorithm::kSha256));
  EXPECT_EQ(AlgorithmName(Algorithm::kSha384), "sha384");
}

}  // namespace
}  // namespace cables::bagit
