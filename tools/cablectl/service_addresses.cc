#include "tools/cablectl/service_addresses.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "clients/cpp/client_channel.h"
#include "services/common/tls_credentials.h"

ABSL_FLAG(std::string, ingest, "", "ingest service address (env CABLES_INGEST_ADDR)");
ABSL_FLAG(std::string, server, "", "alias of --ingest");
ABSL_FLAG(std::string, metadata, "",
          "metadata service address (env CABLES_METADATA_ADDR)");
ABSL_FLAG(std::string, search, "", "search service address (env CABLES_SEARCH_ADDR)");
ABSL_FLAG(std::string, token, "",
          "bearer token sent with every call (env CABLES_TOKEN)");
ABSL_FLAG(bool, tls, false, "connect with TLS (system roots unless --tls_ca)");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA bundle that signed the servers' certificates (env "
          "CABLES_TLS_CA; implies --tls)");
ABSL_FLAG(std::string, tls_cert, "",
          "client certificate for mutual TLS (env CABLES_TLS_CERT)");
ABSL_FLAG(std::string, tls_key, "",
          "client key for mutual TLS (env CABLES_TLS_KEY)");
ABSL_FLAG(std::string, tls_server_name, "",
          "expected server name when it differs from the address's host");

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
  return Pick(flag, "CABLES_INGEST_ADDR", kDefaultIngestAddress);
}

std::string MetadataAddress() {
  return Pick(absl::GetFlag(FLAGS_metadata), "CABLES_METADATA_ADDR",
              kDefaultMetadataAddress);
}

std::string SearchAddress() {
  return Pick(absl::GetFlag(FLAGS_search), "CABLES_SEARCH_ADDR", kDefaultSearchAddress);
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  ClientChannelOptions options;
  options.tls = absl::GetFlag(FLAGS_tls);
  options.ca_file = Pick(absl::GetFlag(FLAGS_tls_ca), "CABLES_TLS_CA", "");
  options.cert_file =
      Pick(absl::GetFlag(FLAGS_tls_cert), "CABLES_TLS_CERT", "");
  options.key_file = Pick(absl::GetFlag(FLAGS_tls_key), "CABLES_TLS_KEY", "");
  options.server_name = absl::GetFlag(FLAGS_tls_server_name);
  options.token = Pick(absl::GetFlag(FLAGS_token), "CABLES_TOKEN", "");
  options.max_receive_message_bytes = 256 << 20;
  options.max_send_message_bytes = 256 << 20;
  options.service_config_json = client::ServiceConfigJson(address, {});
  auto channel = MakeClientChannel(address, options);
  if (!channel.ok()) {
    std::fprintf(stderr, "cablectl: %s\n",
                 std::string(channel.status().message()).c_str());
    std::exit(2);
  }
  return *std::move(channel);
}

}  // namespace cables::cablectl
