// ConnectionPool: a bounded set of PostgreSQL connections shared by threads.
//
// Each connection is used by one thread at a time (libpqxx connections are
// not thread-safe): Acquire() hands out an exclusive Lease, whose destructor
// returns the connection. At most max_connections exist; Acquire() opens a
// new one while under the bound, otherwise waits up to acquire_timeout.
// Connections found broken are closed and replaced (libpqxx's own silent
// reactivation is disabled, so session state such as temporary tables and
// prepared statements is always rebuilt by the on_connect hook).
//
// Run(fn) wraps a whole transaction: it acquires a lease, calls fn, and on a
// retryable status (kAborted: serialization failure / deadlock; kUnavailable:
// broken connection) retries fn on a healthy connection with exponential
// backoff, up to max_attempts. fn must therefore be safe to re-run: one
// transaction that either commits or leaves no trace.
//
// Internal to storage/: the interface exposes pqxx::connection. Thread-safe.
#ifndef CABLES_STORAGE_CONNECTION_POOL_H_
#define CABLES_STORAGE_CONNECTION_POOL_H_

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "pqxx/connection"
#include "storage/connection_pool_options.h"
#include "storage/pqxx_status.h"
#include "storage/statement_deadline.h"

namespace cables::storage {

class ConnectionPool final {
 public:
  // Called on every new connection before first use (prepare statements,
  // create session temp tables, ...). May throw pqxx exceptions.
  using OnConnect = std::function<void(pqxx::connection&)>;

  // Exclusive use of one connection; returns it to the pool on destruction.
  // Must not outlive the pool.
  class Lease final {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();

    pqxx::connection& connection() const { return *conn_; }
    pqxx::connection* operator->() const { return conn_.get(); }
    // The connection is closed instead of reused when returned.
    void Discard() { discard_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool discard_ = false;
  };

  // Opens one connection to validate the options (kUnavailable if the
  // database cannot be reached, kInvalidArgument for bad options).
  static absl::StatusOr<std::unique_ptr<ConnectionPool>> Create(
      ConnectionPoolOptions options, OnConnect on_connect = nullptr);

  // Use Create(); public only for std::make_unique.
  struct PrivateTag {
    explicit PrivateTag() = default;
  };
  ConnectionPool(PrivateTag, ConnectionPoolOptions options,
                 OnConnect on_connect);

  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A healthy connection within acquire_timeout. kResourceExhausted when all
  // max_connections stay busy for that long; kUnavailable when a new
  // connection cannot be opened.
  absl::StatusOr<Lease> Acquire();

  // Runs fn(connection) -> absl::Status or absl::StatusOr<T>, retrying
  // retryable failures as described above. Exceptions thrown by fn are
  // mapped with StatusFromCurrentException.
  template <typename Fn>
  auto Run(absl::string_view what, Fn&& fn)
      -> std::invoke_result_t<Fn&, pqxx::connection&>;

  const ConnectionPoolOptions& options() const { return options_; }
  // Open connections (idle + leased).
  int open_connections() const;
  // Connections opened since creation (replacements included).
  int64_t connections_opened() const;

  // A snapshot of the pool's usage (for metrics).
  struct Stats {
    std::string application_name;
    int max_connections = 0;
    int open = 0;  // idle + in use (+ being opened)
    int idle = 0;
    int in_use = 0;
    int waiters = 0;  // threads blocked in Acquire
    int64_t opened_total = 0;
    int64_t acquire_timeouts_total = 0;
  };
  Stats stats() const;
  // Snapshots of every pool alive in this process, in creation order.
  static std::vector<Stats> AllStats();

 private:
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect();
  void Release(std::unique_ptr<pqxx::connection> conn, bool discard);
  void SleepBeforeRetry(int attempt) const;
  // Sets the connection's statement_timeout to what remains until
  // `deadline` (kDeadlineExceeded when nothing remains), unless it already
  // holds a value at most a small slack longer; may throw pqxx exceptions
  // (Run guards it).
  absl::Status ApplyDeadline(pqxx::connection& conn, absl::Time deadline);
  // Back to options_.statement_timeout (no round trip when it is there).
  absl::Status RestoreStatementTimeout(pqxx::connection& conn);

  const ConnectionPoolOptions options_;
  const OnConnect on_connect_;
  mutable absl::Mutex mu_;
  absl::CondVar available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t opened_total_ ABSL_GUARDED_BY(mu_) = 0;
  int waiters_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t acquire_timeouts_ ABSL_GUARDED_BY(mu_) = 0;
};

template <typename Fn>
auto ConnectionPool::Run(absl::string_view what, Fn&& fn)
    -> std::invoke_result_t<Fn&, pqxx::connection&> {
  using Result = std::invoke_result_t<Fn&, pqxx::connection&>;
  absl::Status last;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (attempt > 1) SleepBeforeRetry(attempt - 1);
    absl::StatusOr<Lease> lease = Acquire();
    if (!lease.ok()) {
      last = lease.status();
      if (!IsRetryable(last)) return Result(last);
      continue;
    }
    const absl::Time deadline = ScopedStatementDeadline::Current();
    const bool timed = deadline != absl::InfiniteFuture();
    Result result = GuardPqxx(what, [&]() -> Result {
      // A timed run leaves its timeout on the connection; an untimed one
      // puts the pool's back first (both without a round trip when the
      // connection already has it).
      absl::Status applied = timed
                                 ? ApplyDeadline(lease->connection(), deadline)
                                 : RestoreStatementTimeout(lease->connection());
      if (!applied.ok()) return Result(std::move(applied));
      return fn(lease->connection());
    });
    absl::Status status;
    if constexpr (std::is_same_v<Result, absl::Status>) {
      status = result;
    } else {
      status = result.status();
    }
    if (status.ok() || !IsRetryable(status)) return result;
    if (status.code() == absl::StatusCode::kUnavailable ||
        !lease->connection().is_open()) {
      lease->Discard();
    }
    last = status;
  }
  return Result(last);
}

}  // namespace cables::storage

#endif  // CABLES_STORAGE_CONNECTION_POOL_H_
