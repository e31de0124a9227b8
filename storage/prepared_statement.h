#ifndef CABLES_STORAGE_PREPARED_STATEMENT_H_
#define CABLES_STORAGE_PREPARED_STATEMENT_H_

#include <pqxx/pqxx>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace cables::storage {

// A constant SQL statement and the name it is prepared under. Planning the
// small joins of a cable read costs PostgreSQL about three times their
// execution; a prepared statement is planned once per connection (measured
// with pgbench on the full release: GetCable's three reads 0.95 ms simple,
// 0.23 ms prepared).
struct PreparedStatement {
  const char* name;
  absl::string_view sql;
};

// Registers `statements` on `conn`, from a connection pool's on-connect
// hook. libpqxx 6.4 prepares each on the server at its first use, so a
// statement that refers to a table the connection cannot see (a read
// replica has no staging tables) costs nothing until it is run. Throws
// pqxx exceptions like the hook's other work.
inline void RegisterPrepared(
    pqxx::connection& conn,
    absl::Span<const PreparedStatement* const> statements) {
  for (const PreparedStatement* s : statements) {
    conn.prepare(s->name, std::string(s->sql));
  }
}

}  // namespace cables::storage

#endif  // CABLES_STORAGE_PREPARED_STATEMENT_H_
