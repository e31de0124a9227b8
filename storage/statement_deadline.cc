#include "storage/statement_deadline.h"

namespace cables::storage {
namespace {

thread_local absl::Time current_deadline = absl::InfiniteFuture();

}  // namespace

ScopedStatementDeadline::ScopedStatementDeadline(absl::Time deadline)
    : previous_(current_deadline) {
  current_deadline = deadline;
}

ScopedStatementDeadline::~ScopedStatementDeadline() {
  current_deadline = previous_;
}

absl::Time ScopedStatementDeadline::Current() { return current_deadline; }

}  // namespace cables::storage
