// Local replacements for ABSL_RETURN_IF_ERROR / ABSL_ASSIGN_OR_RETURN, which
// the Debian Abseil (20220623) lacks. Same meaning, so they can be renamed
// when Abseil catches up.
#ifndef CABLES_SERVICES_COMMON_STATUS_MACROS_H_
#define CABLES_SERVICES_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status); returns it from the enclosing function
// when it is not OK.
#define CABLES_RETURN_IF_ERROR(expr)                  \
  do {                                                \
    ::absl::Status cables_status_ = (expr);           \
    if (!cables_status_.ok()) return cables_status_;  \
  } while (0)

#define CABLES_STATUS_CONCAT_INNER_(a, b) a##b
#define CABLES_STATUS_CONCAT_(a, b) CABLES_STATUS_CONCAT_INNER_(a, b)

// CABLES_ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>);
// on error returns its status, otherwise moves the value into `lhs`, which
// may be a declaration (`auto x`) or an existing variable.
#define CABLES_ASSIGN_OR_RETURN(lhs, expr) \
  CABLES_ASSIGN_OR_RETURN_IMPL_(           \
      CABLES_STATUS_CONCAT_(cables_statusor_, __LINE__), lhs, expr)

#define CABLES_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // CABLES_SERVICES_COMMON_STATUS_MACROS_H_
