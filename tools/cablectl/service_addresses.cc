#include "tools/cablectl/service_addresses.h"

#include <cstdlib>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, ingest, "", "ingest service address (env CABLES_INGEST_ADDR)");
ABSL_FLAG(std::string, server, "", "alias of --ingest");
ABSL_FLAG(std::string, metadata, "",
          "metadata service address (env CABLES_METADATA_ADDR)");
ABSL_FLAG(std::string, search, "", "search service address (env CABLES_SEARCH_ADDR)");

namespace cables::cablectl {
namespace {

std::string Pick(const std::string& flag, const char* env, const char* fallback) {
  if (!flag.empty()) return flag;
  const char* value = std::getenv(env);
  if (value != nullptr && *value != '\0') return value;
  return fallback;
}

}  // namespace

std::string IngestAddress() {
  const std::string flag = absl::GetFlag(FLAGS_ingest).empty()
                               ? absl::GetFlag(FLAGS_server)
                               : absl::GetFlag(FLAGS_ingest);
  return Pick(flag, "CABLES_INGEST_ADDR", "127.0.0.1:50051");
}

std::string MetadataAddress() {
  return Pick(absl::GetFlag(FLAGS_metadata), "CABLES_METADATA_ADDR",
              "127.0.0.1:50052");
}

std::string SearchAddress() {
  return Pick(absl::GetFlag(FLAGS_search), "CABLES_SEARCH_ADDR", "127.0.0.1:50053");
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 << 20);
  args.SetMaxSendMessageSize(256 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

}  // namespace cables::cablectl
