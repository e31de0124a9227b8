// Checks and repairs applied to raw input bytes before any front-end reads
// them: rejects empty and binary input, and turns any byte sequence into
// valid UTF-8 (protobuf string fields must hold valid UTF-8). UTF-16 with a
// byte-order mark is decoded first (DecodeUtf16WithBom).
//
// Encoding choice (RepairEncoding): valid UTF-8 is kept as it is. Input that
// is not valid UTF-8 is decoded as Windows-1252 (a superset of Latin-1 for
// printable characters) when most of its high bytes (>= 0x80) do not form
// UTF-8 sequences, i.e. the text was evidently written in a single-byte
// Western encoding; otherwise it is treated as UTF-8 with a few damaged
// sequences, each replaced by U+FFFD.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_INPUT_TEXT_H_
#define CABLES_SERVICES_INGEST_PARSER_INPUT_TEXT_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cables::parser {

enum class TextEncoding {
  kUtf8,          // valid UTF-8, used as it is
  kUtf8Repaired,  // mostly UTF-8; invalid sequences became U+FFFD
  kWindows1252,   // decoded from Windows-1252 / Latin-1
};

// OK, or InvalidArgumentError "input is empty" (nothing but whitespace),
// "input is binary (NUL byte at offset N)" or "input is binary (N% of the
// first K bytes are control characters)".
absl::Status CheckTextInput(absl::string_view input);

// Returns how `input` is to be read. When the answer is not kUtf8, `*fixed`
// holds the valid UTF-8 text; otherwise `*fixed` is left untouched and
// `input` itself is valid UTF-8.
TextEncoding RepairEncoding(absl::string_view input, std::string* fixed);

// UTF-16 text that starts with a byte-order mark (FF FE: little-endian,
// FE FF: big-endian), as Windows tools write it, decoded to UTF-8 without
// the mark; unpaired surrogates and a trailing odd byte become U+FFFD.
// nullopt when `input` does not start with a UTF-16 byte-order mark.
std::optional<std::string> DecodeUtf16WithBom(absl::string_view input);

// Decodes Windows-1252 bytes to UTF-8 (bytes 0x81, 0x8D, 0x8F, 0x90 and
// 0x9D, undefined there, become U+FFFD).
std::string DecodeWindows1252(absl::string_view input);

// Makes `s` valid UTF-8 in place, choosing as RepairEncoding does.
void MakeValidUtf8(std::string* s);

// Replaces "\r\n" and lone '\r' by '\n' in place.
void NormalizeNewlines(std::string* s);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_INPUT_TEXT_H_
