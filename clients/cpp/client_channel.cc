#include "clients/cpp/client_channel.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cables::client {
namespace {

// Read-only services: a retried call has no side effect.
constexpr absl::string_view kRetryPolicy = R"json(
  "methodConfig": [{
    "name": [{"service": "cables.v1.MetadataService"},
             {"service": "cables.v1.SearchService"}],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.1s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }])json";

}  // namespace

bool IsMultiAddressTarget(absl::string_view target) {
  for (const absl::string_view scheme : {"dns:", "ipv4:", "ipv6:"}) {
    if (absl::StartsWithIgnoreCase(target, scheme)) return true;
  }
  return false;
}

std::string ServiceConfigJson(absl::string_view target,
                              const ChannelOptions& options) {
  bool round_robin = options.load_balancing == LoadBalancing::kRoundRobin;
  if (options.load_balancing == LoadBalancing::kAuto) {
    round_robin = IsMultiAddressTarget(target);
  }
  std::string json = absl::StrCat(R"json({"loadBalancingConfig": [{")json",
                                  round_robin ? "round_robin" : "pick_first",
                                  R"json(": {}}])json");
  if (options.retry_reads) absl::StrAppend(&json, ",", kRetryPolicy);
  absl::StrAppend(&json, "}");
  return json;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    absl::string_view target, const ChannelOptions& options) {
  if (target.empty()) {
    return absl::InvalidArgumentError("channel target is empty");
  }
  for (const char c : target) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(
          absl::StrCat("channel target contains whitespace: '", target, "'"));
    }
  }
  if (options.max_message_bytes <= 0) {
    return absl::InvalidArgumentError("max_message_bytes must be positive");
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  args.SetServiceConfigJSON(ServiceConfigJson(target, options));
  // The configuration above is the whole truth: ignore any service config
  // published in DNS TXT records.
  args.SetInt(GRPC_ARG_SERVICE_CONFIG_DISABLE_RESOLUTION, 1);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, options.retry_reads ? 1 : 0);
  // Find a restarted server within ~2 s, not gRPC's default of up to 120 s.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  auto credentials = options.credentials != nullptr
                         ? options.credentials
                         : grpc::InsecureChannelCredentials();
  return grpc::CreateCustomChannel(std::string(target), credentials, args);
}

}  // namespace cables::client
