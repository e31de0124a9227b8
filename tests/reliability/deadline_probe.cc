// deadline_probe: calls SearchService.SearchCables with a client deadline
// measured in milliseconds (cablectl's deadlines are whole seconds) and
// prints how the call ended, one line per call:
//
//   <STATUS_CODE_NAME> <elapsed milliseconds> <total_size or -> [message]
//
// e.g. "DEADLINE_EXCEEDED 51.3 - search: deadline reached" or
// "OK 212.0 8489". The status is the one
// the client saw; elapsed is wall time from the start of the call to its
// end, measured on the client. Exit status 0 whenever every call ended
// (whatever its status), 2 on a usage error. Used by fault_deadline_test.sh.
//
//   deadline_probe --search ADDR --deadline_ms 50 [--repeat N] [--facets]
//                  [--cancel_after_ms M] QUERY...
//
// --cancel_after_ms: the client cancels each call (ClientContext::TryCancel)
// that long after its start, as a client that gives up does.
//
// The channel is connected (and waited for) before the first call, so the
// deadline covers the call itself and not the TCP/HTTP2 handshake.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "cables/v1/search_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "services/common/grpc_status.h"

ABSL_FLAG(std::string, search, "127.0.0.1:50053", "search service address");
ABSL_FLAG(int, deadline_ms, 50, "client deadline of each call");
ABSL_FLAG(int, repeat, 1, "number of calls, one after the other");
ABSL_FLAG(bool, facets, false, "ask for facet counts (more work per call)");
ABSL_FLAG(int, cancel_after_ms, 0,
          "cancel each call this long after its start (0: never)");

namespace {}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::fprintf(stderr,
                 "usage: deadline_probe --search ADDR --deadline_ms N "
                 "[--repeat N] [--facets] [--cancel_after_ms M] QUERY...\n");
    return 2;
  }
  const std::string query = absl::StrJoin(
      std::vector<std::string>(args.begin() + 1, args.end()), " ");
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_search),
                                     grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(10))) {
    std::fprintf(stderr, "deadline_probe: cannot connect to %s\n",
                 absl::GetFlag(FLAGS_search).c_str());
    return 1;
  }
  auto stub = cables::v1::SearchService::NewStub(channel);
  for (int i = 0; i < absl::GetFlag(FLAGS_repeat); ++i) {
    grpc::ClientContext context;
    const auto start = std::chrono::steady_clock::now();
    context.set_deadline(
        std::chrono::system_clock::now() +
        std::chrono::milliseconds(absl::GetFlag(FLAGS_deadline_ms)));
    cables::v1::SearchCablesRequest request;
    request.set_query(query);
    request.set_facets(absl::GetFlag(FLAGS_facets));
    cables::v1::SearchCablesResponse response;
    absl::Notification done;
    std::thread canceller;
    if (const int after = absl::GetFlag(FLAGS_cancel_after_ms); after > 0) {
      canceller = std::thread([&context, &done, after] {
        if (!done.WaitForNotificationWithTimeout(absl::Milliseconds(after))) {
          context.TryCancel();
        }
      });
    }
    const grpc::Status status =
        stub->SearchCables(&context, request, &response);
    done.Notify();
    if (canceller.joinable()) canceller.join();
    const double elapsed_ms = std::chrono::duration<double, std::milli>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
    if (status.ok()) {
      std::printf("OK %.1f %lld\n", elapsed_ms,
                  static_cast<long long>(response.total_size()));
    } else {
      std::printf("%s %.1f - %s\n",
                  cables::GrpcCodeConstantName(status.error_code()), elapsed_ms,
                  status.error_message().c_str());
    }
    std::fflush(stdout);
  }
  return 0;
}
