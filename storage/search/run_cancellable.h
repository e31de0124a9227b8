// RunCancellable: runs a statement on a pooled connection so that a
// SearchCancellation interrupts it (PQcancel through
// pqxx::connection::cancel_query). Internal to storage/: it hands out
// libpqxx connections.
//
//   return RunCancellable<int>(pool, "fill search vectors", cancellation,
//                              [&](pqxx::connection& conn) { ... });
//
// Returns CANCELLED ("<what>: cancelled") without running fn when the call
// is already cancelled, and instead of fn's error when it was cancelled
// while fn ran; otherwise fn's result (ConnectionPool::Run maps libpqxx
// exceptions). `cancellation` may be null. The handler is cleared before
// the connection goes back to the pool; a connection that was sent a cancel
// request is closed instead (the pool then replaces it): the request may
// reach the server after the statement it was meant for, and interrupt the
// transaction's ROLLBACK or the next caller's statement.
#ifndef CABLES_STORAGE_SEARCH_RUN_CANCELLABLE_H_
#define CABLES_STORAGE_SEARCH_RUN_CANCELLABLE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "pqxx/pqxx"
#include "storage/connection_pool.h"
#include "storage/search/search_cancellation.h"

namespace cables::storage {

template <typename T, typename Fn>
absl::StatusOr<T> RunCancellable(ConnectionPool& pool, absl::string_view what,
                                 SearchCancellation* cancellation, Fn&& fn) {
  const auto cancelled = [&] {
    return absl::CancelledError(absl::StrCat(what, ": cancelled"));
  };
  if (cancellation != nullptr && cancellation->cancelled()) return cancelled();
  absl::StatusOr<T> result =
      pool.Run(what, [&](pqxx::connection& conn) -> absl::StatusOr<T> {
        if (cancellation != nullptr &&
            !cancellation->SetHandler([&conn] { conn.cancel_query(); })) {
          return cancelled();
        }
        struct Clear {
          SearchCancellation* c;
          pqxx::connection& conn;
          ~Clear() {
            if (c == nullptr) return;
            c->ClearHandler();
            // Cancelled after SetHandler: the handler ran.
            if (c->cancelled()) conn.disconnect();
          }
        } clear{cancellation, conn};
        return fn(conn);
      });
  if (!result.ok() && cancellation != nullptr && cancellation->cancelled()) {
    return cancelled();
  }
  return result;
}

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_RUN_CANCELLABLE_H_
