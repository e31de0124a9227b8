// SQL of the Migrator. Values always travel as parameters.
#ifndef CABLES_STORAGE_SQL_MIGRATOR_QUERIES_H_
#define CABLES_STORAGE_SQL_MIGRATOR_QUERIES_H_

#include "absl/strings/string_view.h"

namespace cables::storage::sql {

inline constexpr absl::string_view kMigrationLock =
    "SELECT pg_advisory_lock($1)";
inline constexpr absl::string_view kMigrationUnlock =
    "SELECT pg_advisory_unlock($1)";

inline constexpr absl::string_view kCreateSchemaMigrations = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
))sql";

inline constexpr absl::string_view kSchemaMigrationsExists =
    "SELECT to_regclass('schema_migrations') IS NOT NULL";

inline constexpr absl::string_view kSelectSchemaMigrations =
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version";

inline constexpr absl::string_view kInsertSchemaMigration =
    "INSERT INTO schema_migrations (version, name, checksum) "
    "VALUES ($1, $2, $3)";

}  // namespace cables::storage::sql

#endif  // CABLES_STORAGE_SQL_MIGRATOR_QUERIES_H_
