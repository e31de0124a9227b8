// cablectl health [--wait SECONDS] ADDR|ingest|metadata|search: checks a
// service's grpc.health.v1 status; exit 0 when SERVING. Used by scripts
// and container health checks.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/service_addresses.h"

ABSL_FLAG(int, wait, 0, "health: keep trying for this many seconds");

namespace cables::cablectl {

int RunHealth(const std::vector<std::string>& args) {
  std::string address = IngestAddress();
  if (!args.empty()) {
    if (args[0] == "ingest") {
      address = IngestAddress();
    } else if (args[0] == "metadata") {
      address = MetadataAddress();
    } else if (args[0] == "search") {
      address = SearchAddress();
    } else {
      address = args[0];
    }
  }
  auto stub = grpc::health::v1::Health::NewStub(MakeChannel(address));
  const absl::Time give_up = absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_wait));
  std::string last = "no answer";
  do {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = stub->Check(&context, request, &response);
    if (status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      std::printf("%s SERVING\n", address.c_str());
      return kExitOk;
    }
    last = status.ok() ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                             response.status())
                       : status.error_message();
    if (absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < give_up);
  std::fprintf(stderr, "cablectl health: %s: %s\n", address.c_str(), last.c_str());
  return kExitFailure;
}

}  // namespace cables::cablectl
