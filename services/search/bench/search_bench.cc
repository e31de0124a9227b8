// search_bench: latency and throughput of SearchCables under a fixed query
// mix (bench/search-queries.txt), at a given number of concurrent clients.
//
//   search_bench --queries FILE --clients N --seconds S
//                (--target HOST:PORT | --database URL) [--page_size 20]
//
// --target: through the gRPC service (cables-search), one channel per
// client. --database: the same SQL without the service -- the
// PgSearchRepository in-process (libpqxx, one pooled connection per client).
// First --warmup passes over the whole mix by one client (untimed: caches
// warm), then each client walks its own shuffled order of the mix (seeded
// by the client number), one query at a time, for --seconds. Prints
// "key=value" lines: p50_ms, p99_ms, qps, errors, then one
// "query=... n=... mean_ms=... p99_ms=..." line per query.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cables/v1/search_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "services/search/searcher.h"
#include "storage/search/pg_search_repository.h"

ABSL_FLAG(std::string, queries, "bench/search-queries.txt", "query mix");
ABSL_FLAG(std::string, target, "", "gRPC address of cables-search");
ABSL_FLAG(std::string, database, "", "PostgreSQL URL (direct mode)");
ABSL_FLAG(int, clients, 1, "concurrent clients");
ABSL_FLAG(int, seconds, 20, "measurement time");
ABSL_FLAG(int, page_size, 20, "page size");
ABSL_FLAG(int, warmup, 1, "untimed passes over the mix before measuring");

namespace {

using cables::v1::SearchCablesRequest;
using cables::v1::SearchCablesResponse;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * v.size()));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::vector<std::string> queries;
  {
    std::ifstream in(absl::GetFlag(FLAGS_queries));
    std::string line;
    while (std::getline(in, line)) {
      const absl::string_view q = absl::StripAsciiWhitespace(line);
      if (q.empty() || q[0] == '#') continue;
      queries.emplace_back(q);
    }
  }
  if (queries.empty()) {
    std::fprintf(stderr, "search_bench: no queries\n");
    return 2;
  }
  const int clients = absl::GetFlag(FLAGS_clients);
  std::unique_ptr<cables::storage::PgSearchRepository> repository;
  std::unique_ptr<cables::search::Searcher> searcher;
  if (!absl::GetFlag(FLAGS_database).empty()) {
    cables::storage::ConnectionPoolOptions options;
    options.database_url = absl::GetFlag(FLAGS_database);
    options.max_connections = clients;
    auto repo = cables::storage::PgSearchRepository::Open(options);
    if (!repo.ok()) {
      std::fprintf(stderr, "search_bench: %s\n",
                   repo.status().ToString().c_str());
      return 1;
    }
    repository = *std::move(repo);
    searcher = std::make_unique<cables::search::Searcher>(repository.get());
  }
  // One call: true when it succeeded.
  auto make_caller = [&](int client) {
    std::shared_ptr<cables::v1::SearchService::Stub> stub;
    if (!searcher) {
      grpc::ChannelArguments args;
      args.SetInt("client_index", client);  // distinct channels
      stub = cables::v1::SearchService::NewStub(
          grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target),
                                    grpc::InsecureChannelCredentials(), args));
    }
    return [&, stub](const std::string& q) {
      SearchCablesRequest request;
      request.set_query(q);
      request.set_page_size(absl::GetFlag(FLAGS_page_size));
      if (searcher) {
        return searcher
            ->Search(request, absl::Now() + absl::Seconds(30), nullptr)
            .ok();
      }
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(30));
      SearchCablesResponse response;
      return stub->SearchCables(&context, request, &response).ok();
    };
  };

  std::mutex mu;
  std::vector<double> all;
  std::map<std::string, std::vector<double>> per_query;
  std::atomic<int64_t> errors{0};
  const absl::Duration run = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::vector<std::thread> threads;
  absl::Time start;
  {
    auto call = make_caller(clients);
    for (int pass = 0; pass < absl::GetFlag(FLAGS_warmup); ++pass) {
      for (const std::string& q : queries) call(q);
    }
  }
  start = absl::Now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto call = make_caller(c);
      std::vector<int> order(queries.size());
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin(), order.end(), std::mt19937(c + 1));
      std::vector<std::pair<int, double>> mine;
      const absl::Time begin = absl::Now();
      for (size_t i = 0; absl::Now() - begin < run; ++i) {
        const int qi = order[i % order.size()];
        const absl::Time t0 = absl::Now();
        if (!call(queries[qi])) errors.fetch_add(1);
        mine.emplace_back(qi, absl::ToDoubleMilliseconds(absl::Now() - t0));
      }
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& [qi, ms] : mine) {
        all.push_back(ms);
        per_query[queries[qi]].push_back(ms);
      }
    });
  }
  for (auto& t : threads) t.join();
  (void)start;
  const double seconds = absl::ToDoubleSeconds(run);
  std::printf("mode=%s clients=%d queries=%zu calls=%zu errors=%lld\n",
              searcher ? "direct" : "grpc", clients, queries.size(), all.size(),
              static_cast<long long>(errors.load()));
  std::printf("p50_ms=%.2f p99_ms=%.2f qps=%.1f\n", Percentile(all, 0.50),
              Percentile(all, 0.99), all.size() / seconds);
  for (const auto& [q, v] : per_query) {
    double sum = 0;
    for (const double x : v) sum += x;
    std::printf("query=%s n=%zu mean_ms=%.2f p99_ms=%.2f\n", q.c_str(),
                v.size(), sum / v.size(), Percentile(v, 0.99));
  }
  return errors.load() == 0 ? 0 : 1;
}
