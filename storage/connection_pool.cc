#include "storage/connection_pool.h"

#include <algorithm>
#include <random>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pqxx/pqxx"

namespace cables::storage {
namespace {

// Every live pool, for ConnectionPool::AllStats.
struct PoolRegistry {
  absl::Mutex mu;
  std::vector<const ConnectionPool*> pools ABSL_GUARDED_BY(mu);
};

PoolRegistry& Pools() {
  static PoolRegistry registry;
  return registry;
}

}  // namespace

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_),
      conn_(std::move(other.conn_)),
      discard_(other.discard_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && conn_ != nullptr) {
    pool_->Release(std::move(conn_), discard_);
  }
}

absl::StatusOr<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(
    ConnectionPoolOptions options, OnConnect on_connect) {
  if (options.database_url.empty()) {
    return absl::InvalidArgumentError(
        "connection pool: empty database URL (set DATABASE_URL)");
  }
  if (options.max_connections < 1 || options.max_attempts < 1) {
    return absl::InvalidArgumentError(
        "connection pool: max_connections and max_attempts must be >= 1");
  }
  auto pool = std::make_unique<ConnectionPool>(PrivateTag(), std::move(options),
                                               std::move(on_connect));
  // Fail fast on a wrong URL or an unreachable server.
  absl::StatusOr<Lease> lease = pool->Acquire();
  if (!lease.ok()) return lease.status();
  return pool;
}

ConnectionPool::ConnectionPool(PrivateTag, ConnectionPoolOptions options,
                               OnConnect on_connect)
    : options_(std::move(options)), on_connect_(std::move(on_connect)) {
  absl::MutexLock lock(&Pools().mu);
  Pools().pools.push_back(this);
}

ConnectionPool::~ConnectionPool() {
  {
    absl::MutexLock lock(&Pools().mu);
    auto& pools = Pools().pools;
    pools.erase(std::remove(pools.begin(), pools.end(), this), pools.end());
  }
  absl::MutexLock lock(&mu_);
  // Leases must not outlive the pool; wait for stragglers anyway.
  mu_.Await(absl::Condition(
      +[](ConnectionPool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
        return p->open_ == static_cast<int>(p->idle_.size());
      },
      this));
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> ConnectionPool::Connect() {
  return GuardPqxx(
      "connect to database",
      [&]() -> absl::StatusOr<std::unique_ptr<pqxx::connection>> {
        auto conn = std::make_unique<pqxx::connection>(options_.database_url);
    // libpqxx 6 silently reconnects broken connections, which would lose
    // session state (temp tables); the pool replaces them instead.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
        {
          pqxx::nontransaction tx(*conn);
          tx.exec_params("SELECT set_config('application_name', $1, false)",
                         options_.application_name);
          tx.exec("SET client_min_messages = warning");
        }
        // Through set_variable, which remembers the value client-side:
        // ApplyDeadline and RestoreStatementTimeout read it without a round
        // trip.
        conn->set_variable("statement_timeout",
                           absl::StrCat(absl::ToInt64Milliseconds(
                               options_.statement_timeout)));
        if (on_connect_) on_connect_(*conn);
        return conn;
      });
}

namespace {

// The statement_timeout (ms) last set on `conn` with set_variable; -1 when
// unknown.
int64_t CurrentTimeoutMs(pqxx::connection& conn) {
  int64_t ms = -1;
  if (!absl::SimpleAtoi(conn.get_variable("statement_timeout"), &ms)) {
    return -1;
  }
  return ms;
}

}  // namespace

absl::Status ConnectionPool::ApplyDeadline(pqxx::connection& conn,
                                           absl::Time deadline) {
  absl::Duration left = deadline - absl::Now();
  if (options_.statement_timeout > absl::ZeroDuration()) {
    left = std::min(left, options_.statement_timeout);
  }
  // statement_timeout counts whole milliseconds; 0 would mean "none".
  const int64_t ms = absl::ToInt64Milliseconds(left);
  if (ms < 1) {
    return absl::DeadlineExceededError(
        "the call's deadline passed before its database work started");
  }
  // A timeout already on the connection that is no shorter than what is left
  // and at most kDeadlineSlack longer is kept: consecutive calls with similar
  // deadlines then cost no round trip. Statements may thus run up to the
  // slack past the deadline.
  const int64_t current = CurrentTimeoutMs(conn);
  const int64_t slack = std::max<int64_t>(20, ms / 10);
  if (current >= ms && current <= ms + slack) return absl::OkStatus();
  conn.set_variable("statement_timeout", absl::StrCat(ms));
  return absl::OkStatus();
}

absl::Status ConnectionPool::RestoreStatementTimeout(pqxx::connection& conn) {
  const int64_t want = absl::ToInt64Milliseconds(options_.statement_timeout);
  if (CurrentTimeoutMs(conn) == want) return absl::OkStatus();
  conn.set_variable("statement_timeout", absl::StrCat(want));
  return absl::OkStatus();
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  const absl::Time deadline = absl::Now() + options_.acquire_timeout;
  std::unique_ptr<pqxx::connection> conn;
  {
    absl::MutexLock lock(&mu_);
    while (idle_.empty() && open_ >= options_.max_connections) {
      ++waiters_;
      const bool timed_out = available_.WaitWithDeadline(&mu_, deadline);
      --waiters_;
      if (timed_out && idle_.empty() && open_ >= options_.max_connections) {
        ++acquire_timeouts_;
        return absl::ResourceExhaustedError(
            absl::StrCat("connection pool: all ", options_.max_connections,
                         " connections busy for ",
                         absl::FormatDuration(options_.acquire_timeout)));
      }
    }
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserve a slot, connect outside the lock
    }
  }
  if (conn != nullptr && conn->is_open()) return Lease(this, std::move(conn));
  if (conn != nullptr) conn.reset();  // broken while idle: replace it
  absl::StatusOr<std::unique_ptr<pqxx::connection>> fresh = Connect();
  absl::MutexLock lock(&mu_);
  if (!fresh.ok()) {
    --open_;
    available_.Signal();
    return fresh.status();
  }
  ++opened_total_;
  return Lease(this, *std::move(fresh));
}

void ConnectionPool::Release(std::unique_ptr<pqxx::connection> conn,
                             bool discard) {
  if (discard || !conn->is_open()) {
    conn.reset();  // close outside the lock
    absl::MutexLock lock(&mu_);
    --open_;
    available_.Signal();
    return;
  }
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(conn));
  available_.Signal();
}

void ConnectionPool::SleepBeforeRetry(int attempt) const {
  thread_local std::minstd_rand rng(std::random_device{}());
  absl::Duration backoff = options_.initial_backoff;
  for (int i = 1; i < attempt && backoff < absl::Seconds(1); ++i) backoff *= 2;
  backoff = std::min(backoff, absl::Seconds(1));
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  absl::SleepFor(backoff * jitter(rng));
}

int ConnectionPool::open_connections() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

int64_t ConnectionPool::connections_opened() const {
  absl::MutexLock lock(&mu_);
  return opened_total_;
}

ConnectionPool::Stats ConnectionPool::stats() const {
  Stats stats;
  stats.application_name = options_.application_name;
  stats.max_connections = options_.max_connections;
  absl::MutexLock lock(&mu_);
  stats.open = open_;
  stats.idle = static_cast<int>(idle_.size());
  stats.in_use = open_ - stats.idle;
  stats.waiters = waiters_;
  stats.opened_total = opened_total_;
  stats.acquire_timeouts_total = acquire_timeouts_;
  return stats;
}

std::vector<ConnectionPool::Stats> ConnectionPool::AllStats() {
  std::vector<Stats> out;
  absl::MutexLock lock(&Pools().mu);
  for (const ConnectionPool* pool : Pools().pools) out.push_back(pool->stats());
  return out;
}

}  // namespace cables::storage
