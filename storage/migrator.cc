#include "storage/migrator.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/pqxx_status.h"
#include "storage/sql/migrator_queries.h"

namespace cables::storage {
namespace {

struct AppliedRow {
  std::string name;
  std::string checksum;
};

std::string FileName(const MigrationSource& m) {
  return absl::StrFormat("%04d_%s.sql", m.version, m.name);
}

// Reads schema_migrations (creating it when missing). REQUIRES: the
// migration lock is held.
std::map<int, AppliedRow> ReadApplied(pqxx::connection& conn) {
  pqxx::work tx(conn);
  tx.exec(std::string(sql::kCreateSchemaMigrations));
  std::map<int, AppliedRow> applied;
  for (const auto& row : tx.exec(std::string(sql::kSelectSchemaMigrations))) {
    applied[row[0].as<int>()] = {row[1].as<std::string>(),
                                 row[2].as<std::string>()};
  }
  tx.commit();
  return applied;
}

// Compares the database's migrations with ours; returns the pending ones.
absl::StatusOr<std::vector<const MigrationSource*>> Pending(
    absl::Span<const MigrationSource> ours,
    const std::map<int, AppliedRow>& applied) {
  std::map<int, const MigrationSource*> known;
  for (const MigrationSource& m : ours) known[m.version] = &m;
  for (const auto& [version, row] : applied) {
    auto it = known.find(version);
    if (it == known.end()) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "database has migration %04d_%s.sql, which this binary does not "
          "know (it knows up to %04d); use a newer build",
          version, row.name, ours.empty() ? 0 : ours.back().version));
    }
    if (it->second->sha256 != row.checksum) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migration ", FileName(*it->second),
          " differs from the one applied to the database (checksum ",
          row.checksum, " recorded, ", it->second->sha256,
          " built in); migrations are append-only: add a new file instead"));
    }
  }
  std::vector<const MigrationSource*> pending;
  const int highest_applied = applied.empty() ? 0 : applied.rbegin()->first;
  for (const MigrationSource& m : ours) {
    if (applied.count(m.version) != 0) continue;
    if (m.version < highest_applied) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "migration %s is pending but later migration %04d is already "
          "applied; refusing to apply out of order",
          FileName(m), highest_applied));
    }
    pending.push_back(&m);
  }
  return pending;
}

class AdvisoryLock {
 public:
  explicit AdvisoryLock(pqxx::connection& conn) : conn_(conn) {
    pqxx::nontransaction tx(conn_);
    tx.exec_params(std::string(sql::kMigrationLock), kMigrationLockKey);
  }
  ~AdvisoryLock() {
    try {
      pqxx::nontransaction tx(conn_);
      tx.exec_params(std::string(sql::kMigrationUnlock), kMigrationLockKey);
    } catch (...) {
      // The lock dies with the connection anyway.
    }
  }
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  pqxx::connection& conn_;
};

}  // namespace

Migrator::Migrator(absl::Span<const MigrationSource> migrations)
    : migrations_(migrations) {}

absl::StatusOr<MigrationReport> Migrator::Migrate(
    const std::string& database_url) const {
  return GuardPqxx("migrate", [&]() -> absl::StatusOr<MigrationReport> {
    pqxx::connection conn(database_url);
    {
      pqxx::nontransaction tx(conn);
      tx.exec("SET client_min_messages = warning");
    }
    AdvisoryLock lock(conn);
    const std::map<int, AppliedRow> applied = ReadApplied(conn);
    CABLES_ASSIGN_OR_RETURN(const std::vector<const MigrationSource*> pending,
                            Pending(migrations_, applied));
    MigrationReport report;
    report.current_version = applied.empty() ? 0 : applied.rbegin()->first;
    for (const MigrationSource* m : pending) {
      absl::Status status = GuardPqxx(FileName(*m), [&]() -> absl::Status {
        pqxx::work tx(conn);
        tx.exec(std::string(m->sql));
        tx.exec_params(std::string(sql::kInsertSchemaMigration), m->version,
                       std::string(m->name), std::string(m->sha256));
        tx.commit();
        return absl::OkStatus();
      });
      CABLES_RETURN_IF_ERROR(status);
      report.applied.push_back(m->version);
      report.current_version = m->version;
    }
    return report;
  });
}

absl::Status Migrator::Check(const std::string& database_url) const {
  return GuardPqxx("check schema", [&]() -> absl::Status {
    pqxx::connection conn(database_url);
    std::map<int, AppliedRow> applied;
    {
      pqxx::work tx(conn);
      const pqxx::result exists =
          tx.exec(std::string(sql::kSchemaMigrationsExists));
      if (!exists[0][0].as<bool>()) {
        return absl::FailedPreconditionError(
            "database has no schema_migrations table; run cables-migrate");
      }
      for (const auto& row :
           tx.exec(std::string(sql::kSelectSchemaMigrations))) {
        applied[row[0].as<int>()] = {row[1].as<std::string>(),
                                     row[2].as<std::string>()};
      }
    }
    CABLES_ASSIGN_OR_RETURN(const std::vector<const MigrationSource*> pending,
                            Pending(migrations_, applied));
    if (!pending.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database lacks migration ", FileName(*pending[0]),
          pending.size() > 1 ? " and later ones" : "", "; run cables-migrate"));
    }
    return absl::OkStatus();
  });
}

}  // namespace cables::storage
