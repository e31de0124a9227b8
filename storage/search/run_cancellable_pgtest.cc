// RunCancellable against a real PostgreSQL: a cancel stops the running
// statement, and the connection it was sent on is not reused (a late cancel
// request must not strike the next caller's statement or a ROLLBACK).
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/connection_pool.h"
#include "storage/search/run_cancellable.h"
#include "storage/testing/test_database.h"

namespace cables::storage {
namespace {

class RunCancellablePgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::TestDatabase::Create("cancellable", /*migrate=*/false);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 1;
    auto pool = ConnectionPool::Create(options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
  }

  // The backend pid of the pool's connection, read through RunCancellable.
  absl::StatusOr<int> BackendPid(SearchCancellation* cancellation) {
    return RunCancellable<int>(
        *pool_, "pid", cancellation,
        [](pqxx::connection& conn) -> absl::StatusOr<int> {
          pqxx::work tx(conn);
          const int pid = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
          tx.commit();
          return pid;
        });
  }

  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(RunCancellablePgTest, ACancelStopsTheStatementAndRetiresItsConnection) {
  SearchCancellation none;
  const auto before = BackendPid(&none);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(*BackendPid(&none), *before);  // reused while nothing cancels

  SearchCancellation cancellation;
  absl::Notification started;
  std::thread canceller([&] {
    started.WaitForNotification();
    absl::SleepFor(absl::Milliseconds(200));
    cancellation.Cancel();
  });
  const absl::Time start = absl::Now();
  const auto slept =
      RunCancellable<int>(*pool_, "sleep", &cancellation,
                          [&](pqxx::connection& conn) -> absl::StatusOr<int> {
                            pqxx::work tx(conn);
                            started.Notify();
                            tx.exec("SELECT pg_sleep(30)");
                            tx.commit();
                            return 1;
                          });
  canceller.join();
  EXPECT_EQ(slept.status().code(), absl::StatusCode::kCancelled)
      << slept.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));

  // The next caller gets a new connection, which works.
  const auto after = BackendPid(&none);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_NE(*after, *before);
  EXPECT_EQ(pool_->open_connections(), 1);
  EXPECT_EQ(*BackendPid(&none), *after);
}

TEST_F(RunCancellablePgTest, CancelledBeforeItStartsNothingRuns) {
  SearchCancellation cancellation;
  cancellation.Cancel();
  bool ran = false;
  const auto result =
      RunCancellable<int>(*pool_, "nothing", &cancellation,
                          [&](pqxx::connection&) -> absl::StatusOr<int> {
                            ran = true;
                            return 1;
                          });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace cables::storage
