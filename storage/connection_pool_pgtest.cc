// ConnectionPool against a real PostgreSQL (tools/embedded-pg).
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/connection_pool.h"
#include "storage/statement_deadline.h"
#include "storage/testing/test_database.h"

namespace cables::storage {
namespace {

class ConnectionPoolPgTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = testing::TestDatabase::Create("pool", /*migrate=*/false);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }
  static void TearDownTestSuite() { db_.reset(); }
  static ConnectionPoolOptions Options(int max_connections) {
    ConnectionPoolOptions o;
    o.database_url = db_->url();
    o.max_connections = max_connections;
    o.acquire_timeout = absl::Milliseconds(200);
    o.initial_backoff = absl::Milliseconds(1);
    return o;
  }
  static std::unique_ptr<testing::TestDatabase> db_;
};
std::unique_ptr<testing::TestDatabase> ConnectionPoolPgTest::db_;

TEST_F(ConnectionPoolPgTest, BoundedAndExclusive) {
  auto pool = ConnectionPool::Create(Options(2));
  ASSERT_TRUE(pool.ok()) << pool.status();
  {
    auto a = (*pool)->Acquire();
    auto b = (*pool)->Acquire();
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(&a->connection(), &b->connection());
    auto c = (*pool)->Acquire();
    EXPECT_EQ(c.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_EQ((*pool)->open_connections(), 2);
  }
  auto d = (*pool)->Acquire();
  EXPECT_TRUE(d.ok());
  EXPECT_EQ((*pool)->connections_opened(), 2);  // reused, not reopened
}

TEST_F(ConnectionPoolPgTest, BadUrlIsUnavailable) {
  ConnectionPoolOptions o = Options(1);
  o.database_url = "postgresql://postgres@127.0.0.1:1/x?connect_timeout=2";
  EXPECT_EQ(ConnectionPool::Create(o).status().code(),
            absl::StatusCode::kUnavailable);
  o.database_url = "";
  EXPECT_EQ(ConnectionPool::Create(o).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ConnectionPoolPgTest, RetriesSerializationFailures) {
  auto pool = ConnectionPool::Create(Options(1));
  ASSERT_TRUE(pool.ok());
  int calls = 0;
  absl::StatusOr<int> r =
      (*pool)->Run("t", [&](pqxx::connection& conn) -> absl::StatusOr<int> {
        pqxx::work tx(conn);
        if (++calls < 3) {
          tx.exec(
              "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; "
              "END $$");
        }
        return tx.exec("SELECT 41 + 1")[0][0].as<int>();
      });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(calls, 3);
}

TEST_F(ConnectionPoolPgTest, ReplacesBrokenConnections) {
  auto pool = ConnectionPool::Create(Options(1));
  ASSERT_TRUE(pool.ok());
  const int64_t opened = (*pool)->connections_opened();
  int calls = 0;
  absl::Status s =
      (*pool)->Run("t", [&](pqxx::connection& conn) -> absl::Status {
        pqxx::nontransaction tx(conn);
        if (++calls == 1)
          tx.exec("SELECT pg_terminate_backend(pg_backend_pid())");
        tx.exec("SELECT 1");
        return absl::OkStatus();
      });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(calls, 2);
  EXPECT_EQ((*pool)->connections_opened(), opened + 1);
  EXPECT_EQ((*pool)->open_connections(), 1);
}

TEST_F(ConnectionPoolPgTest, ReplacesConnectionsKilledWhileIdle) {
  auto pool = ConnectionPool::Create(Options(1));
  ASSERT_TRUE(pool.ok());
  int pid = 0;
  {
    auto lease = (*pool)->Acquire();
    ASSERT_TRUE(lease.ok());
    pid = lease->connection().backendpid();
  }
  ASSERT_TRUE(
      db_->Query("SELECT pg_terminate_backend(" + std::to_string(pid) + ")")
          .ok());
  absl::StatusOr<int> r =
      (*pool)->Run("t", [](pqxx::connection& conn) -> absl::StatusOr<int> {
        pqxx::work tx(conn);
        return tx.exec("SELECT 7")[0][0].as<int>();
      });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, 7);
}

TEST_F(ConnectionPoolPgTest, DoesNotRetryOtherErrors) {
  auto pool = ConnectionPool::Create(Options(1));
  ASSERT_TRUE(pool.ok());
  int calls = 0;
  absl::Status s =
      (*pool)->Run("t", [&](pqxx::connection& conn) -> absl::Status {
        ++calls;
        pqxx::work tx(conn);
        tx.exec("SELECT 1/0");
        return absl::OkStatus();
      });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(calls, 1);
}

TEST_F(ConnectionPoolPgTest, GivesUpAfterMaxAttempts) {
  ConnectionPoolOptions o = Options(1);
  o.max_attempts = 3;
  auto pool = ConnectionPool::Create(o);
  ASSERT_TRUE(pool.ok());
  int calls = 0;
  absl::Status s =
      (*pool)->Run("t", [&](pqxx::connection& conn) -> absl::Status {
        ++calls;
        pqxx::work tx(conn);
        tx.exec(
            "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40P01'; END $$");
        return absl::OkStatus();
      });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(calls, 3);
}

TEST_F(ConnectionPoolPgTest, ManyThreadsShareFewConnections) {
  ConnectionPoolOptions o = Options(3);
  o.acquire_timeout = absl::Seconds(30);
  std::atomic<int> hooks{0};
  auto pool = ConnectionPool::Create(o, [&](pqxx::connection&) { ++hooks; });
  ASSERT_TRUE(pool.ok());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        absl::StatusOr<int> r = (*pool)->Run(
            "t", [](pqxx::connection& conn) -> absl::StatusOr<int> {
              pqxx::work tx(conn);
              return tx.exec("SELECT count(*) FROM pg_class")[0][0].as<int>();
            });
        if (r.ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_LE((*pool)->open_connections(), 3);
  EXPECT_EQ(hooks.load(), (*pool)->connections_opened());
}

TEST_F(ConnectionPoolPgTest, StatementsObeyTheCallersDeadline) {
  ConnectionPoolOptions o = Options(1);
  o.statement_timeout = absl::Seconds(30);
  auto pool = ConnectionPool::Create(o);
  ASSERT_TRUE(pool.ok());
  auto sleep = [&](pqxx::connection& conn) -> absl::Status {
    pqxx::work tx(conn);
    tx.exec("SELECT pg_sleep(5)");
    return absl::OkStatus();
  };
  auto timeout = [&]() {
    return (*pool)->Run("show", [](pqxx::connection& conn)
                                    -> absl::StatusOr<std::string> {
      pqxx::nontransaction tx(conn);
      return tx.exec("SHOW statement_timeout")[0][0].as<std::string>();
    });
  };
  {
    ScopedStatementDeadline scope(absl::Now() + absl::Milliseconds(300));
    const absl::Time start = absl::Now();
    EXPECT_EQ((*pool)->Run("sleep", sleep).code(),
              absl::StatusCode::kDeadlineExceeded);
    EXPECT_LT(absl::Now() - start, absl::Seconds(3));
    {
      ScopedStatementDeadline passed(absl::Now() - absl::Seconds(1));
      EXPECT_EQ((*pool)->Run("sleep", sleep).code(),
                absl::StatusCode::kDeadlineExceeded);
    }
  }
  // Outside the scope the pool's own timeout is back on the connection.
  EXPECT_EQ(ScopedStatementDeadline::Current(), absl::InfiniteFuture());
  auto shown = timeout();
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_EQ(*shown, "30s");
  EXPECT_EQ((*pool)->connections_opened(), 1);
}

}  // namespace
}  // namespace cables::storage
