// Content digest of a cable: Cable.content_sha256.
//
// The digest covers what identifies a cable's content, in a normalised
// canonical serialisation, so the same cable read from different sources
// (its WikiLeaks page, its cables.csv row) hashes the same while any change
// to its text changes the digest:
//
//   "cables.v1.content\n"
//   "canonical_id:" LEN ":" canonical_id "\n"
//   "created:" unix-seconds "\n"          (empty when unknown)
//   "origin:" LEN ":" origin "\n"
//   "classification:" LEN ":" classification "\n"
//   "header:" LEN ":" NormalizeForHash(header) "\n"
//   "body:" LEN ":" NormalizeForHash(body) "\n"
//
// LEN is the decimal byte length of the value that follows, so no value can
// spill into the next. NormalizeForHash turns CRLF and CR into LF, strips
// trailing whitespace (space, tab, CR, FF, VT) from every line, and drops
// blank lines at the start and the end; inner blank lines, indentation and
// letter case are kept. The digest is SHA-256 (OpenSSL EVP), written as 64
// lower-case hex digits. Whatever the parser derives (tags, paragraphs,
// references, ...) is not hashed: it follows from the text.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_CONTENT_HASH_H_
#define CABLES_SERVICES_INGEST_PARSER_CONTENT_HASH_H_

#include <string>

#include "absl/strings/string_view.h"
#include "cables/v1/cable.pb.h"

namespace cables::parser {

// The normalised text described above.
std::string NormalizeForHash(absl::string_view text);

// The canonical serialisation described above (exposed for tests).
std::string ContentSerialization(const cables::v1::Cable& cable);

// Lower-case hex SHA-256 of ContentSerialization(cable).
std::string ContentSha256(const cables::v1::Cable& cable);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_CONTENT_HASH_H_
