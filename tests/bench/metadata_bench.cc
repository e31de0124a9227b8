// metadata_bench: GetCable and BrowseCables latency and throughput through
// the metadata service, next to the same work done directly against
// PostgreSQL (the repository and catalog in-process, no gRPC), in one run.
//
//   metadata_bench --target HOST:PORT --database URL
//                  [--clients 1,16] [--seconds 10] [--ids 5000]
//
// Ids: the first --ids cables of a listing in id order, visited by each
// client from its own offset with a stride, so clients fetch different
// cables. Prints one FormatStats line (tests/bench/load_runner.h) per
// method, mode and client count, then the gRPC/direct ratios.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "services/metadata/metadata_catalog.h"
#include "storage/metadata/pg_month_counts.h"
#include "storage/pg_cable_repository.h"
#include "tests/bench/load_runner.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50052", "cables-metadata address");
ABSL_FLAG(std::string, database, "", "PostgreSQL URL (direct mode)");
ABSL_FLAG(std::string, clients, "1,16", "client counts, comma separated");
ABSL_FLAG(int, seconds, 10, "measurement time per run");
ABSL_FLAG(int, ids, 5000, "distinct cables to fetch");
ABSL_FLAG(bool, prime, true,
          "fetch every id once through the service first (reported as the "
          "cold-cache figure) so the timed gRPC runs find a warm cache");
ABSL_FLAG(std::string, methods, "",
          "methods to run, comma separated (GetCable, BrowseCables, "
          "BrowseCables(filter)); empty: all");
ABSL_FLAG(bool, callback_clients, true,
          "also run each gRPC load from callback-API clients (one call in "
          "flight per client, no thread per client: the load generator "
          "takes less of the shared cores)");
ABSL_FLAG(std::string, browse_filter, "tags:\"PGOV\"",
          "filter of the filtered browse call");

namespace {

using cables::bench::FormatStats;
using cables::bench::LoadOptions;
using cables::bench::LoadStats;
using cables::bench::RunAsyncLoad;
using cables::bench::RunLoad;

int Fail(const std::string& what) {
  std::fprintf(stderr, "metadata_bench: %s\n", what.c_str());
  return 1;
}

// true for OK; otherwise reports the first few failures on stderr.
bool Check(const grpc::Status& status) {
  static std::atomic<int> reported{0};
  if (status.ok()) return true;
  if (reported++ < 5) {
    std::fprintf(stderr, "metadata_bench: call failed: %d %s\n",
                 static_cast<int>(status.error_code()),
                 status.error_message().c_str());
  }
  return false;
}

// Starts one callback-API call; `done(ok)` when it completes.
template <typename Request, typename Response, typename Invoke>
void StartAsync(Request request, std::function<void(bool)> done,
                Invoke invoke) {
  struct Call {
    grpc::ClientContext context;
    Request request;
    Response response;
  };
  auto* call = new Call;
  call->request = std::move(request);
  invoke(&call->context, &call->request, &call->response,
         [call, done = std::move(done)](grpc::Status status) {
           delete call;
           done(Check(status));
         });
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::vector<int> client_counts;
  for (absl::string_view c :
       absl::StrSplit(absl::GetFlag(FLAGS_clients), ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(c, &n) || n < 1) return Fail("bad --clients");
    client_counts.push_back(n);
  }
  int max_clients = 1;
  for (int n : client_counts) max_clients = std::max(max_clients, n);

  cables::storage::ConnectionPoolOptions pool;
  pool.database_url = absl::GetFlag(FLAGS_database);
  pool.max_connections = max_clients;
  pool.application_name = "metadata_bench";
  auto repository = cables::storage::PgCableRepository::Open(pool);
  if (!repository.ok()) return Fail(repository.status().ToString());
  auto months = cables::storage::PgMonthCounts::Open(pool);
  if (!months.ok()) return Fail(months.status().ToString());
  cables::metadata::MetadataCatalog catalog(repository->get(), months->get());

  // The ids to fetch.
  std::vector<std::string> ids;
  cables::storage::ListCablesRequest list;
  list.sort_key = cables::storage::SortKey::kId;
  list.order = cables::storage::SortOrder::kOldestFirst;
  list.page_size = 1000;
  while (static_cast<int>(ids.size()) < absl::GetFlag(FLAGS_ids)) {
    auto page = (*repository)->ListCables(list);
    if (!page.ok()) return Fail(page.status().ToString());
    for (const auto& c : page->cables) ids.push_back(c.canonical_id());
    if (page->next_page_token.empty()) break;
    list.page_token = page->next_page_token;
  }
  if (ids.empty()) return Fail("the database holds no cables");

  std::vector<std::unique_ptr<cables::v1::MetadataService::Stub>> stubs;
  for (int c = 0; c < max_clients; ++c) {
    grpc::ChannelArguments args;
    args.SetInt("cables_bench_client", c);  // one connection per client
    args.SetMaxReceiveMessageSize(64 << 20);
    stubs.push_back(cables::v1::MetadataService::NewStub(
        grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target),
                                  grpc::InsecureChannelCredentials(), args)));
  }
  const auto id_for = [&](int client, int64_t i) -> const std::string& {
    return ids[(client * 7919 + i * 31) % ids.size()];
  };
  const std::string browse_filter = absl::GetFlag(FLAGS_browse_filter);

  struct Method {
    std::string name;
    std::function<bool(int, int64_t)> grpc_call;
    cables::bench::AsyncCall grpc_async_call;
    std::function<bool(int, int64_t)> direct_call;
  };
  std::vector<Method> methods;
  const auto get_request = [&](int c, int64_t i) {
    cables::v1::GetCableRequest req;
    req.set_name("cables/" + id_for(c, i));
    return req;
  };
  methods.push_back(
      {"GetCable",
       [&](int c, int64_t i) {
         grpc::ClientContext ctx;
         cables::v1::Cable out;
         return Check(stubs[c]->GetCable(&ctx, get_request(c, i), &out));
       },
       [&](int c, int64_t i, std::function<void(bool)> done) {
         StartAsync<cables::v1::GetCableRequest, cables::v1::Cable>(
             get_request(c, i), std::move(done),
             [&, c](auto* ctx, auto* req, auto* out, auto on_done) {
               stubs[c]->async()->GetCable(ctx, req, out, std::move(on_done));
             });
       },
       [&](int c, int64_t i) {
         return (*repository)->GetCable(id_for(c, i)).ok();
       }});
  for (const bool filtered : {false, true}) {
    const auto browse_request = [&, filtered] {
      cables::v1::BrowseCablesRequest req;
      if (filtered) req.set_filter(browse_filter);
      return req;
    };
    methods.push_back(
        {filtered ? "BrowseCables(filter)" : "BrowseCables",
         [&, browse_request](int c, int64_t) {
           grpc::ClientContext ctx;
           cables::v1::BrowseCablesResponse out;
           return Check(stubs[c]->BrowseCables(&ctx, browse_request(), &out));
         },
         [&, browse_request](int c, int64_t, std::function<void(bool)> done) {
           StartAsync<cables::v1::BrowseCablesRequest,
                      cables::v1::BrowseCablesResponse>(
               browse_request(), std::move(done),
               [&, c](auto* ctx, auto* req, auto* out, auto on_done) {
                 stubs[c]->async()->BrowseCables(ctx, req, out,
                                                 std::move(on_done));
               });
         },
         [&, browse_request](int, int64_t) {
           return catalog.BrowseCables(browse_request()).ok();
         }});
  }

  std::printf("# metadata_bench: %zu ids, %d s per run\n", ids.size(),
              absl::GetFlag(FLAGS_seconds));
  if (absl::GetFlag(FLAGS_prime)) {
    // Every id once through the service, from max_clients threads: what a
    // cold cable cache costs, and a warm cache for the runs below.
    std::atomic<size_t> next{0};
    std::atomic<int64_t> errors{0};
    const absl::Time start = absl::Now();
    std::vector<std::thread> threads;
    for (int c = 0; c < max_clients; ++c) {
      threads.emplace_back([&, c] {
        for (size_t i = next++; i < ids.size(); i = next++) {
          grpc::ClientContext ctx;
          cables::v1::GetCableRequest req;
          req.set_name("cables/" + ids[i]);
          cables::v1::Cable out;
          if (!stubs[c]->GetCable(&ctx, req, &out).ok()) ++errors;
        }
      });
    }
    for (std::thread& t : threads) t.join();
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    std::printf(
        "GetCable grpc first visit of each id (cold cable cache) clients=%d "
        "calls=%zu errors=%lld qps=%.0f\n",
        max_clients, ids.size(), static_cast<long long>(errors.load()),
        seconds > 0 ? static_cast<double>(ids.size()) / seconds : 0);
  }
  const std::string only = absl::GetFlag(FLAGS_methods);
  const std::vector<std::string> selected =
      absl::StrSplit(only, ',', absl::SkipEmpty());
  for (const Method& m : methods) {
    if (!selected.empty() &&
        std::find(selected.begin(), selected.end(), m.name) == selected.end()) {
      continue;
    }
    for (const int clients : client_counts) {
      LoadOptions options;
      options.clients = clients;
      options.duration = absl::Seconds(absl::GetFlag(FLAGS_seconds));
      options.warmup = m.name == "GetCable" ? 50 : 3;
      const LoadStats direct = RunLoad(options, m.direct_call);
      const LoadStats grpc = RunLoad(options, m.grpc_call);
      std::printf("%s\n",
                  FormatStats(m.name + " direct", clients, direct).c_str());
      std::printf("%s\n", FormatStats(m.name + " grpc", clients, grpc).c_str());
      if (absl::GetFlag(FLAGS_callback_clients)) {
        const LoadStats async = RunAsyncLoad(options, m.grpc_async_call);
        std::printf(
            "%s\n",
            FormatStats(m.name + " grpc-callback", clients, async).c_str());
      }
      std::printf("%-22s clients=%-3d grpc/direct p50=%.2f p99=%.2f qps=%.2f\n",
                  (m.name + " ratio").c_str(), clients,
                  direct.p50_ms > 0 ? grpc.p50_ms / direct.p50_ms : 0,
                  direct.p99_ms > 0 ? grpc.p99_ms / direct.p99_ms : 0,
                  direct.qps > 0 ? grpc.qps / direct.qps : 0);
      std::fflush(stdout);
    }
  }
  return 0;
}
