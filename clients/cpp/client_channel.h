// MakeChannel: the gRPC channel a C++ client of the Cable Archive services
// should use. It sets
//   - the load-balancing policy: round_robin for targets that can name
//     several servers (dns:///cables-search-headless:50053, ipv4:a:p,b:p,
//     ipv6:...), so calls -- not just connections -- spread over every
//     ready replica; pick_first for a plain HOST:PORT (one connection, as
//     cablectl does); or what ChannelOptions asks for;
//   - retries for the read-only services (cables.v1.MetadataService and
//     cables.v1.SearchService): up to 3 attempts on UNAVAILABLE with
//     exponential backoff. Ingest calls are not retried by the channel
//     (ImportCables resumes from its acknowledgements instead);
//   - message size limits in both directions;
//   - reconnect backoff from 100 ms up to 2 s (gRPC's default grows to
//     120 s), so a restarted server is found again within ~2 s.
//
// Example:
//   auto channel =
//   cables::client::MakeChannel("dns:///cables-search-headless:50053"); if
//   (!channel.ok()) return channel.status(); auto stub =
//   cables::v1::SearchService::NewStub(*channel);
//
// Thread safety: MakeChannel is thread-safe; a channel is shared by any
// number of threads and stubs.
#ifndef CABLES_CLIENTS_CPP_CLIENT_CHANNEL_H_
#define CABLES_CLIENTS_CPP_CLIENT_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"

namespace cables::client {

enum class LoadBalancing {
  kAuto,        // round_robin for multi-address targets, else pick_first
  kPickFirst,   // one connection to the first address that answers
  kRoundRobin,  // one connection per address, calls spread over them
};

struct ChannelOptions {
  LoadBalancing load_balancing = LoadBalancing::kAuto;
  // Largest message sent or received (imports and exports are large).
  int max_message_bytes = 256 << 20;
  // Retry read-only calls on UNAVAILABLE (see the file comment).
  bool retry_reads = true;
  // nullptr: plaintext (grpc::InsecureChannelCredentials()).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
};

// True when `target` names a resolver that may return several addresses:
// the dns:, ipv4: and ipv6: schemes.
bool IsMultiAddressTarget(absl::string_view target);

// The service config JSON MakeChannel installs for `target` and `options`
// (exposed for tests and for clients that build channels themselves).
std::string ServiceConfigJson(absl::string_view target,
                              const ChannelOptions& options);

// Returns a channel to `target` (any gRPC target string: HOST:PORT,
// dns:///HOST:PORT, ipv4:ADDR:PORT[,ADDR:PORT...], unix:PATH). Connecting
// is lazy: an unreachable server shows up as UNAVAILABLE on the first call.
// kInvalidArgument when `target` is empty or contains whitespace, or when
// max_message_bytes is not positive.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    absl::string_view target, const ChannelOptions& options = {});

}  // namespace cables::client

#endif  // CABLES_CLIENTS_CPP_CLIENT_CHANNEL_H_
