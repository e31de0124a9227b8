// Migrator: brings a PostgreSQL database to the schema this binary was built
// with, by applying the numbered, append-only migrations of
// storage/migrations/ (embedded at build time, see embedded_migrations.h).
//
// Protocol, all under a session advisory lock (kMigrationLockKey) so
// concurrent migrators wait for each other:
//   * schema_migrations(version, name, checksum, applied_at) records what is
//     applied; it is created on first use.
//   * A database holding a version this binary does not know, or a known
//     version whose recorded checksum differs from the embedded file, is
//     refused with kFailedPrecondition: nothing is applied.
//   * A pending migration older than an applied one (a gap) is refused too.
//   * Each pending migration runs in its own transaction together with its
//     schema_migrations row, so a failing file leaves no trace and the
//     earlier ones stay applied.
//
// Thread-safe: each call opens its own connection.
#ifndef CABLES_STORAGE_MIGRATOR_H_
#define CABLES_STORAGE_MIGRATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "storage/embedded_migrations.h"

namespace cables::storage {

// Key of the advisory lock held while migrating ("cablesmg").
inline constexpr int64_t kMigrationLockKey = 0x6361626c65736d67;

struct MigrationReport {
  // Versions applied by this call, ascending (empty: already up to date).
  std::vector<int> applied;
  // Highest version present after the call.
  int current_version = 0;
};

class Migrator final {
 public:
  // `migrations` must be sorted by version without duplicates
  // (EmbeddedMigrations() is); the data must outlive the Migrator.
  explicit Migrator(
      absl::Span<const MigrationSource> migrations = EmbeddedMigrations());

  // Applies every pending migration to the database at `database_url` (a
  // libpq URL or key=value string). Errors: kFailedPrecondition as described
  // above; kUnavailable when the database cannot be reached; the mapped
  // status of a failing migration statement (pqxx_status.h), with the
  // migration's file name in the message.
  absl::StatusOr<MigrationReport> Migrate(
      const std::string& database_url) const;

  // OK when the database is exactly at this binary's schema (nothing pending,
  // nothing unknown); kFailedPrecondition naming the difference otherwise.
  absl::Status Check(const std::string& database_url) const;

 private:
  absl::Span<const MigrationSource> migrations_;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_MIGRATOR_H_
