// Vector byte scanning for the parser's hot loops (folding whitespace,
// finding the rare letter of a label, runs of 'x', non-ASCII bytes): many
// bytes are tested per step instead of a branch per byte.
//
// Two layers. Word-at-a-time ("SWAR") helpers test eight bytes with a few
// integer operations: a "flag word" holds 0x80 in every byte that satisfies
// a test and 0 in the others. Flags are exact per byte (no false positives
// from borrows between bytes), so they combine with &, | and shifts: with
// LoadWord's little-endian view, byte k of a word is the k-th byte in
// memory, and `flags >> 8` moves the flag of byte k + 1 into byte k. The
// scans on top (FindFoldPoint, FindByteNoCase, FindNonAscii) use SSE2,
// sixteen bytes a step, where the compiler targets it (every x86-64), else
// the portable SWAR versions; both give the same answers
// (byte_scan_test.cc checks them against byte-by-byte definitions). No scan
// reads outside the range it is given.
//
// Header-only so the loops that use it inline the helpers. Pure functions,
// thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_BYTE_SCAN_H_
#define CABLES_SERVICES_INGEST_PARSER_BYTE_SCAN_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cables::parser::byte_scan {

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHighBits = 0x8080808080808080ULL;
inline constexpr uint64_t kLowBits = 0x7F7F7F7F7F7F7F7FULL;

// The eight bytes at p (which must all be readable), byte k of memory in
// bits [8k, 8k + 8) whatever the machine's byte order.
inline uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  if constexpr (std::endian::native == std::endian::big) {
    word = __builtin_bswap64(word);
  }
  return word;
}

// Flags of the bytes of `x` that are zero.
inline uint64_t ZeroBytes(uint64_t x) {
  // (x & 0x7F) + 0x7F sets bit 7 exactly when the low seven bits are not
  // all zero, and cannot carry into the next byte.
  return ~(((x & kLowBits) + kLowBits) | x) & kHighBits;
}

// Flags of the bytes of `word` equal to `c`.
inline uint64_t BytesEqual(uint64_t word, char c) {
  return ZeroBytes(word ^ (kOnes * static_cast<unsigned char>(c)));
}

// Flags of the bytes of `word` equal to `c` ignoring ASCII case (for a
// letter, both cases; any other byte only matches itself).
inline uint64_t BytesEqualNoCase(uint64_t word, char c) {
  const auto u = static_cast<unsigned char>(c);
  const unsigned char lower = u | 0x20;
  if (lower >= 'a' && lower <= 'z') {
    // Only the two cases of the letter map onto it under | 0x20.
    return ZeroBytes((word | (kOnes * 0x20)) ^ (kOnes * lower));
  }
  return BytesEqual(word, c);
}

// Flags of the bytes of `word` in [9, 13] ('\t', '\n', '\v', '\f', '\r').
inline uint64_t ControlSpaceBytes(uint64_t word) {
  const uint64_t low = word & kLowBits;
  const uint64_t at_least_9 = low + kOnes * (0x80 - 9);
  const uint64_t at_least_14 = low + kOnes * (0x80 - 14);
  return at_least_9 & ~at_least_14 & ~word & kHighBits;
}

// Flags of the ASCII whitespace bytes of `word` (' ' and 9..13, as
// IsAsciiSpace in body_lines.h).
inline uint64_t SpaceBytes(uint64_t word) {
  return BytesEqual(word, ' ') | ControlSpaceBytes(word);
}

// Index (0..7) of the lowest flagged byte; `flags` must not be 0.
inline size_t FirstFlagged(uint64_t flags) {
  return static_cast<size_t>(std::countr_zero(flags)) / 8;
}

// ---------------------------------------------------------------------------
// Scans. Each has a portable version (the word-at-a-time helpers above) and,
// where SSE2 is available (every x86-64), one that tests sixteen bytes per
// step; both give the same answers (byte_scan_test.cc compares them).

inline bool IsSpaceByte(char c) {
  return c == ' ' || static_cast<unsigned char>(c - '\t') <= '\r' - '\t';
}

// True when byte `x` equals `c` ignoring ASCII case (BytesEqualNoCase for
// one byte).
inline bool ByteEqualsNoCase(char x, char c) {
  const auto u = static_cast<unsigned char>(c);
  const auto b = static_cast<unsigned char>(x);
  const unsigned char lower = u | 0x20;
  if (lower >= 'a' && lower <= 'z') return (b | 0x20) == lower;
  return b == u;
}

// A fold point: a whitespace byte other than ' ', or a ' ' followed (inside
// the scanned range) by another whitespace byte.
inline const char* FindFoldPointPortable(const char* p, const char* end) {
  // The flag of byte k needs byte k + 1, so each load decides bytes 0..6
  // and the next one starts at byte 7.
  constexpr uint64_t kFirstSeven = 0x0080808080808080ULL;
  while (end - p >= 8) {
    const uint64_t w = LoadWord(p);
    const uint64_t other = ControlSpaceBytes(w);
    const uint64_t space = BytesEqual(w, ' ') | other;
    const uint64_t fold = (other | (space & (space >> 8))) & kFirstSeven;
    if (fold != 0) return p + FirstFlagged(fold);
    p += 7;
  }
  for (; p < end; ++p) {
    if (!IsSpaceByte(*p)) continue;
    if (*p != ' ' || (p + 1 < end && IsSpaceByte(p[1]))) return p;
  }
  return end;
}

// Index of the first byte of p[0, n) equal to `c` ignoring ASCII case (see
// BytesEqualNoCase); n when there is none.
inline size_t FindByteNoCasePortable(const char* p, size_t n, char c) {
  size_t i = 0;
  for (; n - i >= 8; i += 8) {
    const uint64_t flags = BytesEqualNoCase(LoadWord(p + i), c);
    if (flags != 0) return i + FirstFlagged(flags);
  }
  for (; i < n; ++i) {
    if (ByteEqualsNoCase(p[i], c)) return i;
  }
  return n;
}

// Index of the first byte of p[0, n) that is not ASCII (>= 0x80), or n.
inline size_t FindNonAsciiPortable(const char* p, size_t n) {
  size_t i = 0;
  for (; n - i >= 8; i += 8) {
    const uint64_t high = LoadWord(p + i) & kHighBits;
    if (high != 0) return i + FirstFlagged(high);
  }
  while (i < n && static_cast<unsigned char>(p[i]) < 0x80) ++i;
  return i;
}

#if defined(__SSE2__)

// The first index in [0, n) (n >= 16) whose bit mask_at(start) sets for the
// sixteen-byte window at `start`; n when none. The last window overlaps the
// one before it, so nothing is read past n.
template <typename MaskAt>
size_t FirstInWindows(size_t n, MaskAt mask_at) {
  size_t i = 0;
  for (; n - i >= 16; i += 16) {
    const unsigned mask = mask_at(i);
    if (mask != 0) return i + static_cast<size_t>(std::countr_zero(mask));
  }
  if (i == n) return n;
  // The rest: the last sixteen bytes, less those already tested.
  const unsigned mask = mask_at(n - 16) & (0xFFFFu << (16 - (n - i)));
  return mask != 0 ? n - 16 + static_cast<size_t>(std::countr_zero(mask)) : n;
}

inline size_t FindNonAsciiSse2(const char* p, size_t n) {
  if (n < 16) return FindNonAsciiPortable(p, n);
  return FirstInWindows(n, [p](size_t at) {
    return static_cast<unsigned>(_mm_movemask_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at))));
  });
}

inline const char* FindFoldPointSse2(const char* p, const char* end) {
  if (end - p < 16) return FindFoldPointPortable(p, end);
  const __m128i spaces = _mm_set1_epi8(' ');
  const __m128i nine = _mm_set1_epi8('\t');
  const __m128i four = _mm_set1_epi8('\r' - '\t');
  // Bit k of the result: byte k of the sixteen at `at` is a fold point, as
  // far as the window can tell (bit 15 does not see the byte after it).
  auto folds = [&](const char* at) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    // Bytes 9..13: v - 9 is at most 4 (unsigned).
    const __m128i shifted = _mm_sub_epi8(v, nine);
    const __m128i control =
        _mm_cmpeq_epi8(_mm_min_epu8(shifted, four), shifted);
    const auto other = static_cast<unsigned>(_mm_movemask_epi8(control));
    const unsigned space =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, spaces))) |
        other;
    return other | (space & (space >> 1));
  };
  while (end - p >= 16) {
    // Sixteen bytes decide fifteen positions.
    const unsigned fold = folds(p) & 0x7FFFu;
    if (fold != 0) return p + std::countr_zero(fold);
    p += 15;
  }
  if (p == end) return end;
  // The rest: the last sixteen bytes (the range ends there, so bit 15 is
  // decided too), less those already decided.
  const char* const last = end - 16;
  const unsigned fold = folds(last) & (0xFFFFu << (p - last));
  return fold != 0 ? last + std::countr_zero(fold) : end;
}

inline size_t FindByteNoCaseSse2(const char* p, size_t n, char c) {
  if (n < 16) return FindByteNoCasePortable(p, n, c);
  const auto u = static_cast<unsigned char>(c);
  const unsigned char lower = u | 0x20;
  const bool letter = lower >= 'a' && lower <= 'z';
  const __m128i fold = _mm_set1_epi8(letter ? 0x20 : 0);
  const __m128i target = _mm_set1_epi8(static_cast<char>(letter ? lower : u));
  return FirstInWindows(n, [&](size_t at) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    return static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(v, fold), target)));
  });
}

#endif  // __SSE2__

// The first fold point in [p, end), or `end`.
inline const char* FindFoldPoint(const char* p, const char* end) {
#if defined(__SSE2__)
  return FindFoldPointSse2(p, end);
#else
  return FindFoldPointPortable(p, end);
#endif
}

// Index of the first byte of p[0, n) equal to `c` ignoring ASCII case, or
// n.
inline size_t FindByteNoCase(const char* p, size_t n, char c) {
#if defined(__SSE2__)
  return FindByteNoCaseSse2(p, n, c);
#else
  return FindByteNoCasePortable(p, n, c);
#endif
}

// Index of the first byte of p[0, n) that is not ASCII, or n.
inline size_t FindNonAscii(const char* p, size_t n) {
#if defined(__SSE2__)
  return FindNonAsciiSse2(p, n);
#else
  return FindNonAsciiPortable(p, n);
#endif
}

}  // namespace cables::parser::byte_scan

#endif  // CABLES_SERVICES_INGEST_PARSER_BYTE_SCAN_H_
