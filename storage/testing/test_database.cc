#include "storage/testing/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/migrator.h"
#include "storage/pqxx_status.h"

namespace cables::storage::testing {

absl::StatusOr<std::string> TestDatabase::ClusterUrl() {
  if (const char* env = std::getenv("DATABASE_URL"); env != nullptr && *env) {
    return std::string(env);
  }
  const std::string path =
      std::string(CABLES_BINARY_DIR) + "/pgtest/database_url";
  std::ifstream in(path);
  std::string url;
  if (in && std::getline(in, url) && !url.empty()) {
    return std::string(absl::StripAsciiWhitespace(url));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "no PostgreSQL for *_pgtest: set DATABASE_URL or run "
      "`tools/embedded-pg start --dir ",
      CABLES_BINARY_DIR, "/pgtest` (ctest does this via pg_fixture_start)"));
}

std::string TestDatabase::WithDatabase(absl::string_view url,
                                       absl::string_view dbname) {
  const size_t scheme = url.find("://");
  const size_t start =
      url.find('/', scheme == absl::string_view::npos ? 0 : scheme + 3);
  if (start == absl::string_view::npos) {
    return absl::StrCat(url, "/", dbname);
  }
  const size_t query = url.find('?', start);
  const absl::string_view rest =
      query == absl::string_view::npos ? "" : url.substr(query);
  return absl::StrCat(url.substr(0, start + 1), dbname, rest);
}

absl::StatusOr<std::unique_ptr<TestDatabase>> TestDatabase::Create(
    absl::string_view prefix, bool migrate) {
  CABLES_ASSIGN_OR_RETURN(std::string admin_url, ClusterUrl());
  static std::atomic<int> counter{0};
  std::string clean;
  for (const char c : prefix) {
    clean.push_back(std::isalnum(static_cast<unsigned char>(c))
                        ? absl::ascii_tolower(c)
                        : '_');
  }
  const std::string name =
      absl::StrCat("t_", clean.substr(0, 30), "_", getpid(), "_", counter++);
  CABLES_RETURN_IF_ERROR(
      GuardPqxx("create test database", [&]() -> absl::Status {
        pqxx::connection conn(admin_url);
        pqxx::nontransaction tx(conn);
        tx.exec("SET client_min_messages = warning");
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name) +
                " WITH (FORCE)");
        tx.exec("CREATE DATABASE " + tx.quote_name(name));
        return absl::OkStatus();
      }));
  auto db = std::make_unique<TestDatabase>(PrivateTag(), admin_url, name,
                                           WithDatabase(admin_url, name));
  if (migrate) {
    CABLES_RETURN_IF_ERROR(Migrator().Migrate(db->url()).status());
  }
  return db;
}

TestDatabase::~TestDatabase() {
  if (std::getenv("CABLES_KEEP_TEST_DB") != nullptr) return;
  (void)GuardPqxx("drop test database", [&]() -> absl::Status {
    pqxx::connection conn(admin_url_);
    pqxx::nontransaction tx(conn);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) +
            " WITH (FORCE)");
    return absl::OkStatus();
  });
}

absl::StatusOr<std::string> TestDatabase::Query(const std::string& sql) const {
  return GuardPqxx("test query", [&]() -> absl::StatusOr<std::string> {
    pqxx::connection conn(url_);
    pqxx::work tx(conn);
    const pqxx::result r = tx.exec(sql);
    tx.commit();
    if (r.empty() || r.columns() == 0 || r[0][0].is_null())
      return std::string();
    return r[0][0].as<std::string>();
  });
}

}  // namespace cables::storage::testing
