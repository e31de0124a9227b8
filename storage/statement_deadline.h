// The deadline of the call a thread is working for, applied to the SQL it
// runs: while a ScopedStatementDeadline is alive on a thread,
// ConnectionPool::Run on that thread sets the connection's
// statement_timeout to the time that remains (and fails with
// kDeadlineExceeded without touching the database when none remains), then
// restores the pool's own statement_timeout. A statement cut short by it
// fails with kDeadlineExceeded (SQLSTATE 57014).
//
// Scopes nest; the innermost one counts. Thread-compatible: each thread has
// its own current deadline.
#ifndef CABLES_STORAGE_STATEMENT_DEADLINE_H_
#define CABLES_STORAGE_STATEMENT_DEADLINE_H_

#include "absl/time/time.h"

namespace cables::storage {

class ScopedStatementDeadline {
 public:
  // absl::InfiniteFuture() means no deadline.
  explicit ScopedStatementDeadline(absl::Time deadline);
  ~ScopedStatementDeadline();
  ScopedStatementDeadline(const ScopedStatementDeadline&) = delete;
  ScopedStatementDeadline& operator=(const ScopedStatementDeadline&) = delete;

  // The calling thread's current deadline (InfiniteFuture() when none).
  static absl::Time Current();

 private:
  absl::Time previous_;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_STATEMENT_DEADLINE_H_
