#include "services/ingest/parser/input_text.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

TEST(CheckTextInputTest, RejectsEmptyAndBinary) {
  EXPECT_EQ(CheckTextInput("").message(), "input is empty");
  EXPECT_EQ(CheckTextInput(" \n\t ").message(), "input is empty");
  const std::string nul("abc\0def", 7);
  EXPECT_EQ(CheckTextInput(nul).message(),
            "input is binary (NUL byte at offset 3)");
  EXPECT_EQ(CheckTextInput(nul).code(), absl::StatusCode::kInvalidArgument);
  std::string controls(100, '\x01');
  controls += "some text";
  EXPECT_TRUE(absl::StartsWith(CheckTextInput(controls).message(),
                               "input is binary ("));
  EXPECT_TRUE(CheckTextInput("plain text\r\n\f").ok());
  EXPECT_TRUE(CheckTextInput("one \x1b escape in a longer text....").ok());
}

TEST(RepairEncodingTest, KeepsValidUtf8) {
  std::string fixed = "untouched";
  EXPECT_EQ(RepairEncoding("caf\xC3\xA9 \xC2\xB6", &fixed),
            TextEncoding::kUtf8);
  EXPECT_EQ(fixed, "untouched");
}

TEST(RepairEncodingTest, DecodesWindows1252) {
  std::string fixed;
  // "café ‘quoted’ – €5" in Windows-1252.
  EXPECT_EQ(RepairEncoding("caf\xE9 \x91quoted\x92 \x96 \x80"
                           "5",
                           &fixed),
            TextEncoding::kWindows1252);
  EXPECT_EQ(fixed,
            "caf\xC3\xA9 \xE2\x80\x98quoted\xE2\x80\x99 \xE2\x80\x93 "
            "\xE2\x82\xAC"
            "5");
  EXPECT_TRUE(IsValidUtf8(fixed));
  EXPECT_EQ(DecodeWindows1252("\x81"), "\xEF\xBF\xBD");
}

TEST(RepairEncodingTest, RepairsMostlyUtf8) {
  std::string fixed;
  EXPECT_EQ(RepairEncoding("caf\xC3\xA9 na\xC3\xAFve \xFF end", &fixed),
            TextEncoding::kUtf8Repaired);
  EXPECT_EQ(fixed, "caf\xC3\xA9 na\xC3\xAFve \xEF\xBF\xBD end");
}

TEST(NormalizeNewlinesTest, CrLfAndCr) {
  std::string s = "a\r\nb\rc\n\r\nd";
  NormalizeNewlines(&s);
  EXPECT_EQ(s, "a\nb\nc\n\nd");
  std::string t = "no carriage returns";
  NormalizeNewlines(&t);
  EXPECT_EQ(t, "no carriage returns");
}

TEST(MakeValidUtf8Test, InPlace) {
  std::string s = "na\xEFve";
  MakeValidUtf8(&s);
  EXPECT_EQ(s, "na\xC3\xAFve");
}

}  // namespace
}  // namespace cables::parser

namespace cables::parser {
namespace {

TEST(RepairEncodingTest, FastCheckAgreesWithIsValidUtf8) {
  std::vector<std::string> cases = {"",
                                    "ascii only, longer than eight bytes",
                                    "\xC2\xB6",
                                    "\xC0\x80",
                                    "\xE0\x80\x80",
                                    "\xED\xA0\x80",
                                    "\xF4\x90\x80\x80",
                                    "\xF0\x9F\x98\x80",
                                    "\xE2\x82",
                                    "abcdefgh\xE2\x82\xAC",
                                    "abcdefg\xE2\x82\xACxyz",
                                    "\x80",
                                    "12345678\xFF",
                                    "\xEF\xBB\xBF"};
  // Pseudo-random byte strings biased towards high bytes.
  uint32_t state = 12345;
  for (int n = 0; n < 2000; ++n) {
    std::string s;
    const int len = n % 23;
    for (int k = 0; k < len; ++k) {
      state = state * 1103515245 + 12345;
      const uint32_t r = state >> 16;
      s.push_back(
          static_cast<char>(r % 3 == 0 ? 'a' + r % 26 : 0x80 + r % 0x78));
    }
    cases.push_back(s);
  }
  for (const std::string& s : cases) {
    std::string fixed;
    EXPECT_EQ(RepairEncoding(s, &fixed) == TextEncoding::kUtf8, IsValidUtf8(s))
        << absl::CEscape(s);
  }
}

TEST(DecodeUtf16WithBomTest, ByteOrdersSurrogatesAndDamage) {
  EXPECT_FALSE(DecodeUtf16WithBom("plain text").has_value());
  EXPECT_FALSE(DecodeUtf16WithBom("\xFF").has_value());
  EXPECT_EQ(DecodeUtf16WithBom("\xFF\xFE").value(), "");
  // "Aé€😀" little-endian, then big-endian.
  const std::string le(
      "\xFF\xFE"
      "A\0"
      "\xE9\0"
      "\xAC\x20"
      "\x3D\xD8\x00\xDE",
      12);
  const std::string be(
      "\xFE\xFF"
      "\0A"
      "\0\xE9"
      "\x20\xAC"
      "\xD8\x3D\xDE\x00",
      12);
  const std::string expected = "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  EXPECT_EQ(DecodeUtf16WithBom(le).value(), expected);
  EXPECT_EQ(DecodeUtf16WithBom(be).value(), expected);
  // An unpaired surrogate and a trailing odd byte become U+FFFD.
  EXPECT_EQ(DecodeUtf16WithBom(std::string("\xFF\xFE"
                                           "\x3D\xD8"
                                           "A\0"
                                           "B",
                                           7))
                .value(),
            "\xEF\xBF\xBD"
            "A"
            "\xEF\xBF\xBD");
  EXPECT_EQ(DecodeUtf16WithBom(std::string("\xFF\xFE"
                                           "\x00\xDE",
                                           4))
                .value(),
            "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace cables::parser
