#include "services/ingest/parser/byte_scan.h"

#include <array>
#include <cstdint>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "services/ingest/parser/body_lines.h"

namespace cables::parser::byte_scan {
namespace {

using Bytes = std::array<unsigned char, 8>;

uint64_t Word(const Bytes& bytes) {
  return LoadWord(reinterpret_cast<const char*>(bytes.data()));
}

// The flag word a per-byte predicate gives.
template <typename Pred>
uint64_t Expected(const Bytes& bytes, Pred pred) {
  uint64_t flags = 0;
  for (size_t k = 0; k < bytes.size(); ++k) {
    if (pred(bytes[k])) flags |= uint64_t{0x80} << (8 * k);
  }
  return flags;
}

bool EqualNoCase(unsigned char b, unsigned char c) {
  return ToAsciiUpper(static_cast<char>(b)) ==
         ToAsciiUpper(static_cast<char>(c));
}

// Checks every helper on `bytes` against its per-byte definition.
void CheckAll(const Bytes& bytes, unsigned char c) {
  const uint64_t w = Word(bytes);
  EXPECT_EQ(ZeroBytes(w),
            Expected(bytes, [](unsigned char b) { return b == 0; }));
  EXPECT_EQ(BytesEqual(w, static_cast<char>(c)),
            Expected(bytes, [c](unsigned char b) { return b == c; }));
  EXPECT_EQ(BytesEqualNoCase(w, static_cast<char>(c)),
            Expected(bytes, [c](unsigned char b) { return EqualNoCase(b, c); }))
      << "c=" << int{c};
  EXPECT_EQ(ControlSpaceBytes(w),
            Expected(bytes, [](unsigned char b) { return b >= 9 && b <= 13; }));
  EXPECT_EQ(SpaceBytes(w), Expected(bytes, [](unsigned char b) {
              return IsAsciiSpace(static_cast<char>(b));
            }));
}

TEST(ByteScanTest, LoadWordIsLittleEndianView) {
  const char bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(LoadWord(bytes), 0x0807060504030201ULL);
}

TEST(ByteScanTest, EveryByteValueInEveryPosition) {
  // Neighbours that provoke borrows and carries in naive SWAR tests.
  for (const unsigned char fill : {0x00, 0x01, 0x20, 0x7F, 0x80, 0xFF}) {
    for (size_t pos = 0; pos < 8; ++pos) {
      for (int value = 0; value < 256; ++value) {
        Bytes bytes;
        bytes.fill(fill);
        bytes[pos] = static_cast<unsigned char>(value);
        for (const unsigned char c : {'x', 'E', ' ', '.', '\0', '\xB6'}) {
          CheckAll(bytes, c);
        }
        if (HasFailure()) return;
      }
    }
  }
}

TEST(ByteScanTest, RandomWords) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20000; ++round) {
    Bytes bytes;
    for (unsigned char& b : bytes) b = static_cast<unsigned char>(byte(rng));
    CheckAll(bytes, static_cast<unsigned char>(byte(rng)));
    if (HasFailure()) return;
  }
}

TEST(ByteScanTest, FirstFlagged) {
  EXPECT_EQ(FirstFlagged(0x80), 0u);
  EXPECT_EQ(FirstFlagged(0x8000), 1u);
  EXPECT_EQ(FirstFlagged(0x8080000000000000ULL), 6u);
  EXPECT_EQ(FirstFlagged(0x8000000000000000ULL), 7u);
}

// Reference definitions of the scans, one byte at a time.
const char* NaiveFoldPoint(const char* p, const char* end) {
  for (; p < end; ++p) {
    if (!IsAsciiSpace(*p)) continue;
    if (*p != ' ' || (p + 1 < end && IsAsciiSpace(p[1]))) return p;
  }
  return end;
}

size_t NaiveFindByteNoCase(const char* p, size_t n, char c) {
  for (size_t i = 0; i < n; ++i) {
    if (EqualNoCase(static_cast<unsigned char>(p[i]),
                    static_cast<unsigned char>(c))) {
      return i;
    }
  }
  return n;
}

// Random text over a small alphabet rich in what the scans look for.
std::string RandomText(std::mt19937& rng, size_t size) {
  static constexpr char kAlphabet[] = {
      ' ',  ' ',  ' ',    'a',    'b',  'x', 'X', '\t', '\n',   '\r',
      '\v', '\f', '\x80', '\xB6', '\0', '.', 'Y', 'y',  '\x1F', '!'};
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 1);
  std::string s(size, ' ');
  for (char& c : s) c = kAlphabet[pick(rng)];
  return s;
}

TEST(ByteScanTest, ScansAgreeWithNaiveDefinitions) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<size_t> length(0, 100);
  for (int round = 0; round < 20000; ++round) {
    const std::string text = RandomText(rng, length(rng));
    // Every start offset, so loads straddle the end in every way.
    const size_t from = text.empty() ? 0 : rng() % text.size();
    const char* p = text.data() + from;
    const char* end = text.data() + text.size();
    const char* fold = NaiveFoldPoint(p, end);
    ASSERT_EQ(FindFoldPointPortable(p, end), fold) << round;
    ASSERT_EQ(FindFoldPoint(p, end), fold) << round;
    {
      const size_t n = static_cast<size_t>(end - p);
      size_t at = 0;
      while (at < n && static_cast<unsigned char>(p[at]) < 0x80) ++at;
      ASSERT_EQ(FindNonAsciiPortable(p, n), at) << round;
      ASSERT_EQ(FindNonAscii(p, n), at) << round;
#if defined(__SSE2__)
      ASSERT_EQ(FindNonAsciiSse2(p, n), at) << round;
#endif
    }
    for (const char c : {'x', 'Y', ' ', '\xB6', '\0', '.'}) {
      const size_t n = static_cast<size_t>(end - p);
      const size_t at = NaiveFindByteNoCase(p, n, c);
      ASSERT_EQ(FindByteNoCasePortable(p, n, c), at) << round;
      ASSERT_EQ(FindByteNoCase(p, n, c), at) << round;
#if defined(__SSE2__)
      ASSERT_EQ(FindByteNoCaseSse2(p, n, c), at) << round;
#endif
    }
#if defined(__SSE2__)
    ASSERT_EQ(FindFoldPointSse2(p, end), fold) << round;
#endif
  }
}

TEST(ByteScanTest, EmptyRanges) {
  EXPECT_EQ(FindByteNoCase(nullptr, 0, 'x'), 0u);
  EXPECT_EQ(FindByteNoCasePortable(nullptr, 0, 'x'), 0u);
  EXPECT_EQ(FindNonAscii(nullptr, 0), 0u);
  const char* none = nullptr;
  EXPECT_EQ(FindFoldPoint(none, none), none);
}

}  // namespace
}  // namespace cables::parser::byte_scan
