#include "services/common/token_authenticator.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/error_details.h"
#include "services/common/read_file.h"
#include "services/common/status_macros.h"

namespace cables {
namespace {

bool IsHex64(absl::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return absl::ascii_isxdigit(static_cast<unsigned char>(c));
         });
}

absl::Status Unauthenticated(absl::string_view message,
                             absl::string_view reason) {
  absl::Status status = absl::UnauthenticatedError(message);
  SetErrorReason(&status, reason);
  return status;
}

}  // namespace

absl::string_view ScopeName(Scope scope) {
  return scope == Scope::kWrite ? "write" : "read";
}

absl::StatusOr<TokenAuthenticator> TokenAuthenticator::Parse(
    absl::string_view text) {
  TokenAuthenticator auth;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (const size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens file line ", line_number, ": ", why));
    };
    std::vector<absl::string_view> parts =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (parts.size() < 3) {
      return bad("want '<sha256 hex>  <scope>[,<scope>]  <name>'");
    }
    if (!IsHex64(parts[0])) return bad("first field is not 64 hex digits");
    Entry entry;
    const std::string bytes = absl::HexStringToBytes(parts[0]);
    std::memcpy(entry.hash.data(), bytes.data(), entry.hash.size());
    for (absl::string_view scope :
         absl::StrSplit(parts[1], ',', absl::SkipEmpty())) {
      if (scope == "read") {
        entry.identity.read = true;
      } else if (scope == "write") {
        entry.identity.read = entry.identity.write = true;
      } else {
        return bad(
            absl::StrCat("unknown scope '", scope, "' (want read or write)"));
      }
    }
    if (!entry.identity.read) return bad("no scope");
    // The name is the rest of the line (it may contain spaces).
    entry.identity.name = std::string(
        line.substr(static_cast<size_t>(parts[2].data() - line.data())));
    for (const Entry& other : auth.entries_) {
      if (other.hash == entry.hash) return bad("token hash listed twice");
    }
    auth.entries_.push_back(std::move(entry));
  }
  return auth;
}

absl::StatusOr<TokenAuthenticator> TokenAuthenticator::FromFile(
    const std::string& path) {
  CABLES_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  return Parse(text);
}

absl::StatusOr<TokenAuthenticator::Identity> TokenAuthenticator::Authenticate(
    absl::string_view authorization) const {
  authorization = absl::StripAsciiWhitespace(authorization);
  if (authorization.empty()) {
    return Unauthenticated("missing 'authorization: Bearer <token>' metadata",
                           "MISSING_CREDENTIALS");
  }
  if (authorization.size() < 7 ||
      !absl::EqualsIgnoreCase(authorization.substr(0, 7), "bearer ")) {
    return Unauthenticated("authorization metadata is not a Bearer token",
                           "MISSING_CREDENTIALS");
  }
  const absl::string_view token =
      absl::StripLeadingAsciiWhitespace(authorization.substr(7));
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         digest);
  // Compare with every entry, without an early exit.
  const Entry* found = nullptr;
  for (const Entry& entry : entries_) {
    const bool equal =
        CRYPTO_memcmp(entry.hash.data(), digest, entry.hash.size()) == 0;
    if (equal) found = &entry;
  }
  if (found == nullptr) {
    return Unauthenticated("unknown bearer token", "INVALID_TOKEN");
  }
  return found->identity;
}

absl::Status TokenAuthenticator::Authorize(const Identity& identity,
                                           Scope scope) {
  const bool allowed = scope == Scope::kWrite ? identity.write : identity.read;
  if (allowed) return absl::OkStatus();
  absl::Status status = absl::PermissionDeniedError(absl::StrCat(
      "token '", identity.name, "' lacks the '", ScopeName(scope), "' scope"));
  SetErrorReason(&status, "INSUFFICIENT_SCOPE");
  return status;
}

}  // namespace cables
