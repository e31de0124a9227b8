// TokenAuthenticator: bearer tokens with scopes, configured from a file of
// token hashes (CABLES_AUTH_TOKENS_FILE / --auth_tokens_file). Each line:
//
//   <sha256 hex of the token>  <scope>[,<scope>]  <name>
//
// Scopes are `read` and `write` (write implies read). `#` starts a comment;
// blank lines are ignored. Only hashes are stored; a presented token is
// hashed and compared with every entry in constant time. Make a line with
//   printf %s "$TOKEN" | sha256sum
//
// Thread-safe (immutable after construction).
#ifndef CABLES_SERVICES_COMMON_TOKEN_AUTHENTICATOR_H_
#define CABLES_SERVICES_COMMON_TOKEN_AUTHENTICATOR_H_

#include <array>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cables {

enum class Scope { kRead, kWrite };

// "read" / "write".
absl::string_view ScopeName(Scope scope);

class TokenAuthenticator final {
 public:
  struct Identity {
    std::string name;
    bool read = false;
    bool write = false;
  };

  // Parses the file's text. InvalidArgumentError naming the line when a
  // line is malformed (bad hash, unknown scope, missing name) or a hash is
  // listed twice.
  static absl::StatusOr<TokenAuthenticator> Parse(absl::string_view text);
  // Reads and parses `path`: NotFoundError / PermissionDeniedError when it
  // cannot be read, otherwise as Parse.
  static absl::StatusOr<TokenAuthenticator> FromFile(const std::string& path);

  // The identity whose token is `authorization` ("Bearer <token>", scheme
  // case-insensitive). UnauthenticatedError (ErrorInfo MISSING_CREDENTIALS
  // or INVALID_TOKEN) when the value is empty, not a bearer token, or an
  // unknown token.
  absl::StatusOr<Identity> Authenticate(absl::string_view authorization) const;

  // OK when `identity` holds `scope`; PermissionDeniedError (ErrorInfo
  // INSUFFICIENT_SCOPE) otherwise.
  static absl::Status Authorize(const Identity& identity, Scope scope);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::array<unsigned char, 32> hash;
    Identity identity;
  };
  std::vector<Entry> entries_;
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_TOKEN_AUTHENTICATOR_H_
