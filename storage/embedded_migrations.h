// The schema migrations in storage/migrations/, compiled into the binary
// (the build generates embedded_migrations.cc), so a deployed binary needs
// no SQL files next to it.
#ifndef CABLES_STORAGE_EMBEDDED_MIGRATIONS_H_
#define CABLES_STORAGE_EMBEDDED_MIGRATIONS_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace cables::storage {

// One migration file storage/migrations/NNNN_name.sql.
struct MigrationSource {
  int version;               // NNNN
  absl::string_view name;    // "name"
  absl::string_view sql;     // the file's text
  absl::string_view sha256;  // lower-case hex SHA-256 of the file
};

// Every migration of this build in ascending version order. Never empty.
// The data is static: the span stays valid for the life of the program.
absl::Span<const MigrationSource> EmbeddedMigrations();

}  // namespace cables::storage

#endif  // CABLES_STORAGE_EMBEDDED_MIGRATIONS_H_
