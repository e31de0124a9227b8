#include "storage/pqxx_status.h"

#include <exception>
#include <new>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"

namespace cables::storage {
namespace {

std::string Message(absl::string_view context, const char* what,
                    absl::string_view sqlstate = "") {
  std::string text(absl::StripTrailingAsciiWhitespace(what));
  if (sqlstate.empty()) return absl::StrCat(context, ": ", text);
  return absl::StrCat(context, ": ", text, " [SQLSTATE ", sqlstate, "]");
}

}  // namespace

absl::StatusCode StatusCodeFromSqlState(absl::string_view s) {
  using absl::StatusCode;
  if (s.size() != 5) return StatusCode::kInternal;
  if (s == "40001" || s == "40P01" || s == "55P03") return StatusCode::kAborted;
  if (s == "40003") return StatusCode::kUnknown;
  if (s == "23505") return StatusCode::kAlreadyExists;
  if (s == "57014") return StatusCode::kDeadlineExceeded;
  if (s == "57P01" || s == "57P02" || s == "57P03") {
    return StatusCode::kUnavailable;
  }
  // Schema not migrated (undefined table, column, function, schema), or a
  // write sent to a read-only standby.
  if (s == "42P01" || s == "42703" || s == "42883" || s == "3F000" ||
      s == "25006") {
    return StatusCode::kFailedPrecondition;
  }
  const absl::string_view cls = s.substr(0, 2);
  if (cls == "08") return StatusCode::kUnavailable;
  if (cls == "22" || cls == "23") return StatusCode::kInvalidArgument;
  if (cls == "53") return StatusCode::kResourceExhausted;
  if (cls == "40") return StatusCode::kAborted;
  return StatusCode::kInternal;
}

absl::Status StatusFromCurrentException(absl::string_view context) {
  try {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    return absl::UnknownError(Message(context, e.what()));
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(Message(context, e.what()));
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    return absl::Status(StatusCodeFromSqlState(state),
                        Message(context, e.what(), state));
  } catch (const pqxx::statement_completion_unknown& e) {
    return absl::UnknownError(Message(context, e.what()));
  } catch (const pqxx::serialization_failure& e) {
    return absl::AbortedError(Message(context, e.what()));
  } catch (const pqxx::deadlock_detected& e) {
    return absl::AbortedError(Message(context, e.what()));
  } catch (const pqxx::transaction_rollback& e) {
    return absl::AbortedError(Message(context, e.what()));
  } catch (const pqxx::conversion_error& e) {
    return absl::InternalError(Message(context, e.what()));
  } catch (const std::bad_alloc& e) {
    return absl::ResourceExhaustedError(Message(context, e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(Message(context, e.what()));
  } catch (...) {
    return absl::InternalError(absl::StrCat(context, ": unknown exception"));
  }
}

}  // namespace cables::storage
