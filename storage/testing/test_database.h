// TestDatabase: a fresh, uniquely named, migrated database for one test
// suite, on the PostgreSQL cluster that tools/embedded-pg started (never a
// mock). The cluster's URL comes from $DATABASE_URL, else from the file
// <CABLES_BINARY_DIR>/pgtest/database_url that the CTest fixture
// pg_fixture_start writes. The database is dropped on destruction.
//
// Test-only. Not thread-safe (create it in SetUpTestSuite or per test).
#ifndef CABLES_STORAGE_TESTING_TEST_DATABASE_H_
#define CABLES_STORAGE_TESTING_TEST_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cables::storage::testing {

class TestDatabase final {
 public:
  // Creates database "t_<prefix>_<pid>_<n>" and, when `migrate`, applies the
  // embedded migrations. kFailedPrecondition when no cluster URL is known.
  static absl::StatusOr<std::unique_ptr<TestDatabase>> Create(
      absl::string_view prefix, bool migrate = true);

  // Use Create(); public only for std::make_unique.
  struct PrivateTag {
    explicit PrivateTag() = default;
  };
  TestDatabase(PrivateTag, std::string admin_url, std::string name,
               std::string url)
      : admin_url_(std::move(admin_url)),
        name_(std::move(name)),
        url_(std::move(url)) {}

  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // libpq URL of the test database.
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // The cluster URL ($DATABASE_URL or the fixture's file).
  static absl::StatusOr<std::string> ClusterUrl();

  // `url` with its database name replaced by `dbname`.
  static std::string WithDatabase(absl::string_view url,
                                  absl::string_view dbname);

  // Runs one SQL statement (no parameters) on the test database; returns the
  // first column of the first row as text ("" when none). Test helper for
  // inspecting and sabotaging tables.
  absl::StatusOr<std::string> Query(const std::string& sql) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

}  // namespace cables::storage::testing

#endif  // CABLES_STORAGE_TESTING_TEST_DATABASE_H_
