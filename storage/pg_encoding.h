// Text encodings of values exchanged with PostgreSQL (parameters and COPY
// fields), and their decoders, free of libpqxx types.
//
// Pure functions; thread-safe.
#ifndef CABLES_STORAGE_PG_ENCODING_H_
#define CABLES_STORAGE_PG_ENCODING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace cables::storage {

// Array literal for text[]: {"a","b \"c\""}; {} when empty.
std::string TextArrayLiteral(const std::vector<std::string>& values);
template <typename Container>
std::string TextArrayLiteralOf(const Container& values) {
  return TextArrayLiteral(
      std::vector<std::string>(values.begin(), values.end()));
}

// Array literal for smallint[] / integer[]: {1,2,3}.
std::string IntArrayLiteral(const std::vector<int>& values);

// Parses a one-dimensional text[] value as PostgreSQL prints it
// ({a,"b c",NULL}); NULL elements become "". InvalidArgumentError on
// malformed input.
absl::StatusOr<std::vector<std::string>> ParseTextArray(absl::string_view text);

// bytea input in hex format: "\x0a1b...".
std::string ByteaHex(absl::string_view bytes);

// UTC timestamptz literal with microseconds: "2005-04-05 10:11:12.000000+00".
std::string TimestampLiteral(const google::protobuf::Timestamp& ts);

// Microseconds since the epoch <-> Timestamp.
int64_t TimestampToMicros(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp TimestampFromMicros(int64_t micros);

// Removes NUL bytes, which PostgreSQL text cannot hold.
std::string WithoutNul(absl::string_view text);

// Keyset-pagination cursor: the last row of a page (its sort key) plus a
// fingerprint of the query it belongs to. Encoded as URL-safe base64 so a
// client can pass it around opaquely.
struct PageCursor {
  // Microseconds since the epoch of sort_date; nullopt means -infinity
  // (cables without a date).
  std::optional<int64_t> sort_micros;
  std::string canonical_id;
  uint64_t query_fingerprint = 0;
};
std::string EncodePageCursor(const PageCursor& cursor);
// InvalidArgumentError("invalid page token") when `token` was not produced
// by EncodePageCursor.
absl::StatusOr<PageCursor> DecodePageCursor(absl::string_view token);

}  // namespace cables::storage

#endif  // CABLES_STORAGE_PG_ENCODING_H_
