#include "tests/bench/load_runner.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"

namespace cables::bench {
namespace {

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i =
      std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()));
  return sorted[i];
}

LoadStats Summarize(const std::vector<std::vector<double>>& latencies,
                    const std::vector<int64_t>& errors, double seconds) {
  std::vector<double> all;
  LoadStats stats;
  for (size_t c = 0; c < latencies.size(); ++c) {
    all.insert(all.end(), latencies[c].begin(), latencies[c].end());
    stats.errors += errors[c];
  }
  std::sort(all.begin(), all.end());
  stats.calls = static_cast<int64_t>(all.size());
  stats.p50_ms = Percentile(all, 0.50);
  stats.p99_ms = Percentile(all, 0.99);
  stats.p999_ms = Percentile(all, 0.999);
  double sum = 0;
  for (const double v : all) sum += v;
  stats.mean_ms = all.empty() ? 0 : sum / all.size();
  stats.qps = seconds > 0 ? stats.calls / seconds : 0;
  return stats;
}

// One asynchronous client's closed loop: the next call starts from the
// previous one's completion. Each phase counts `done` down once when it
// ends.
class AsyncClient {
 public:
  AsyncClient(int client, const AsyncCall& start)
      : client_(client), start_(start) {}

  // `calls` unmeasured calls.
  void Warm(int64_t calls, absl::BlockingCounter* done) {
    done_ = done;
    warm_left_ = calls;
    if (warm_left_ == 0) {
      done_->DecrementCount();
    } else {
      Next(/*measured=*/false);
    }
  }
  // Measured calls until `end`.
  void Measure(absl::Time end, absl::BlockingCounter* done) {
    done_ = done;
    end_ = end;
    Next(/*measured=*/true);
  }

  std::vector<double> latencies;
  int64_t errors = 0;

 private:
  void Next(bool measured) {
    const absl::Time begin = absl::Now();
    if (measured && begin >= end_) {
      done_->DecrementCount();
      return;
    }
    start_(client_, i_++, [this, begin, measured](bool ok) {
      if (measured) {
        if (ok) {
          latencies.push_back(absl::ToDoubleMilliseconds(absl::Now() - begin));
        } else {
          ++errors;
        }
        Next(true);
      } else if (--warm_left_ > 0) {
        Next(false);
      } else {
        done_->DecrementCount();
      }
    });
  }

  const int client_;
  const AsyncCall& start_;
  absl::BlockingCounter* done_ = nullptr;
  int64_t i_ = 0;
  int64_t warm_left_ = 0;
  absl::Time end_;
};

}  // namespace

LoadStats RunAsyncLoad(const LoadOptions& options, const AsyncCall& start) {
  std::vector<std::unique_ptr<AsyncClient>> clients;
  for (int c = 0; c < options.clients; ++c) {
    clients.push_back(std::make_unique<AsyncClient>(c, start));
  }
  absl::BlockingCounter warm(options.clients);
  for (auto& client : clients) client->Warm(options.warmup, &warm);
  warm.Wait();
  absl::BlockingCounter measured(options.clients);
  const absl::Time begin = absl::Now();
  const absl::Time end = begin + options.duration;
  for (auto& client : clients) client->Measure(end, &measured);
  measured.Wait();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - begin);
  std::vector<std::vector<double>> latencies;
  std::vector<int64_t> errors;
  for (auto& client : clients) {
    latencies.push_back(std::move(client->latencies));
    errors.push_back(client->errors);
  }
  return Summarize(latencies, errors, seconds);
}

LoadStats RunLoad(const LoadOptions& options,
                  const std::function<bool(int client, int64_t i)>& call) {
  std::vector<std::vector<double>> latencies(options.clients);
  std::vector<int64_t> errors(options.clients, 0);
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  absl::Time end;
  std::vector<std::thread> threads;
  for (int c = 0; c < options.clients; ++c) {
    threads.emplace_back([&, c] {
      int64_t i = 0;
      for (; i < options.warmup; ++i) call(c, i);
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      while (true) {
        const absl::Time start = absl::Now();
        if (start >= end) break;
        const bool ok = call(c, i++);
        const absl::Time stop = absl::Now();
        if (ok) {
          latencies[c].push_back(absl::ToDoubleMilliseconds(stop - start));
        } else {
          ++errors[c];
        }
      }
    });
  }
  while (ready.load() < options.clients) absl::SleepFor(absl::Milliseconds(5));
  const absl::Time start = absl::Now();
  end = start + options.duration;
  go.store(true);
  for (auto& t : threads) t.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return Summarize(latencies, errors, seconds);
}

std::string FormatStats(const std::string& name, int clients,
                        const LoadStats& s) {
  return absl::StrFormat(
      "%-22s clients=%-3d calls=%-7d errors=%-4d p50_ms=%-8.3f p99_ms=%-8.3f "
      "p999_ms=%-8.3f qps=%.0f",
      name, clients, s.calls, s.errors, s.p50_ms, s.p99_ms, s.p999_ms, s.qps);
}

}  // namespace cables::bench
