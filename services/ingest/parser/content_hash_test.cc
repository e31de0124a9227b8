#include "services/ingest/parser/content_hash.h"

#include <random>
#include <string>
#include <vector>

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

// NormalizeForHash as the rules state them, line by line.
std::string NaiveNormalize(absl::string_view text) {
  std::vector<std::string> lines;
  std::string line;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      lines.push_back(line);
      line.clear();
    } else {
      line.push_back(c);
    }
  }
  lines.push_back(line);
  for (std::string& l : lines) {
    while (!l.empty() && (l.back() == ' ' || l.back() == '\t' ||
                          l.back() == '\f' || l.back() == '\v')) {
      l.pop_back();
    }
  }
  size_t first = 0;
  while (first < lines.size() && lines[first].empty()) ++first;
  size_t last = lines.size();
  while (last > first && lines[last - 1].empty()) --last;
  std::string out;
  for (size_t k = first; k < last; ++k) {
    if (k > first) out.push_back('\n');
    out += lines[k];
  }
  return out;
}

TEST(NormalizeForHashTest, MatchesLineByLineRules) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<size_t> size(0, 60);
  static constexpr char kAlphabet[] = "ab \t\n\n\n\r\f";
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 2);
  for (int round = 0; round < 20000; ++round) {
    std::string text(size(rng), ' ');
    for (char& c : text) c = kAlphabet[pick(rng)];
    ASSERT_EQ(NormalizeForHash(text), NaiveNormalize(text)) << round;
  }
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
