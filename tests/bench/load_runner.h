// LoadRunner: drives a call from N concurrent client threads for a fixed
// time and reports latency percentiles and throughput — the harness of the
// service benchmarks (metadata_bench, and any other closed-loop benchmark).
//
// Each client calls `call(client, iteration)` in a loop (closed loop: the
// next call starts when the previous one returns) after `warmup` calls of
// its own that are not measured. `call` returns false for a failed call
// (counted as an error; its latency is not recorded).
//
// Thread-safety: `call` runs concurrently on `clients` threads.
#ifndef CABLES_TESTS_BENCH_LOAD_RUNNER_H_
#define CABLES_TESTS_BENCH_LOAD_RUNNER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/time/time.h"

namespace cables::bench {

struct LoadStats {
  int64_t calls = 0;
  int64_t errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double mean_ms = 0;
  double qps = 0;
};

struct LoadOptions {
  int clients = 1;
  absl::Duration duration = absl::Seconds(10);
  int warmup = 20;  // unmeasured calls per client
};

LoadStats RunLoad(const LoadOptions& options,
                  const std::function<bool(int client, int64_t i)>& call);

// The same closed loop for calls that complete asynchronously (gRPC's
// callback API): `start(client, i, done)` starts call i of `client` and
// returns; the call calls `done(ok)` exactly once when it completes, on any
// thread. Each client keeps one call in flight, without a thread of its
// own, so the load generator's own CPU use is far lower than with
// `clients` blocking threads -- what a server sees from remote callers.
using AsyncCall = std::function<void(int client, int64_t i,
                                     std::function<void(bool ok)> done)>;
LoadStats RunAsyncLoad(const LoadOptions& options, const AsyncCall& start);

// "name clients=N calls=.. errors=.. p50_ms=.. p99_ms=.. p999_ms=.. qps=.."
std::string FormatStats(const std::string& name, int clients,
                        const LoadStats& stats);

}  // namespace cables::bench

#endif  // CABLES_TESTS_BENCH_LOAD_RUNNER_H_
