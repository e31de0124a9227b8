// The one place where libpqxx exceptions become absl::Status.
//
// Every storage function that calls libpqxx wraps the call in
// GuardPqxx(context, fn): exceptions never leave storage/. The mapping
// (most specific first, by SQLSTATE where the server gave one):
//   broken connection, 08xxx, 57P01-57P03  -> kUnavailable (retried by the
//   pool) 40001 serialization failure, 40P01 deadlock, 55P03 lock not available
//                                         -> kAborted (retried by the pool)
//   in-doubt commit, 40003 completion unknown -> kUnknown
//   23505 unique violation                -> kAlreadyExists
//   57014 query canceled / statement timeout -> kDeadlineExceeded
//   22xxx data exception, 23xxx other integrity violations
//                                         -> kInvalidArgument
//   42P01 undefined table, 42703 undefined column, 42883 undefined
//   function, 3F000 missing schema        -> kFailedPrecondition (not migrated)
//   25006 read-only transaction (a standby) -> kFailedPrecondition
//   53xxx insufficient resources, std::bad_alloc -> kResourceExhausted
//   anything else                         -> kInternal
// Messages read "<context>: <server message> [SQLSTATE xxxxx]".
//
// This header deliberately does not include libpqxx. Thread-safe.
#ifndef CABLES_STORAGE_PQXX_STATUS_H_
#define CABLES_STORAGE_PQXX_STATUS_H_

#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cables::storage {

// Maps the exception currently being handled to a Status.
// REQUIRES: called inside a catch block.
absl::Status StatusFromCurrentException(absl::string_view context);

// Maps a server SQLSTATE (5 characters) to a status code.
absl::StatusCode StatusCodeFromSqlState(absl::string_view sqlstate);

// Runs fn() (returning absl::Status or absl::StatusOr<T>) and turns any
// exception it throws into that return type's error status.
template <typename Fn>
auto GuardPqxx(absl::string_view context, Fn&& fn) -> decltype(fn()) {
  try {
    return std::forward<Fn>(fn)();
  } catch (...) {
    return StatusFromCurrentException(context);
  }
}

// True for the codes the pool retries: kAborted and kUnavailable.
inline bool IsRetryable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAborted ||
         status.code() == absl::StatusCode::kUnavailable;
}

}  // namespace cables::storage

#endif  // CABLES_STORAGE_PQXX_STATUS_H_
