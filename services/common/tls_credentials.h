// Transport security for servers and clients, from PEM files.
//
// Server: TLS when a certificate and key are configured (CABLES_TLS_CERT,
// CABLES_TLS_KEY); mutual TLS -- every client must present a certificate
// signed by the CA, verified -- when CABLES_TLS_CLIENT_CA is set too.
// Client: MakeClientChannel connects with or without TLS and adds an
// `authorization: Bearer <token>` header to every call when a token is set
// (over plaintext too: loopback deployments and tests).
//
// Thread-safe (pure functions).
#ifndef CABLES_SERVICES_COMMON_TLS_CREDENTIALS_H_
#define CABLES_SERVICES_COMMON_TLS_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/server_credentials.h"

namespace cables {

struct ServerTlsFiles {
  std::string cert_file;       // PEM certificate chain; empty: plaintext
  std::string key_file;        // PEM private key
  std::string client_ca_file;  // PEM CA bundle; set: require client certs
};

// Insecure credentials when no files are set. InvalidArgumentError when
// only one of cert/key is set, or a client CA without them; NotFoundError /
// PermissionDeniedError when a file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerTlsFiles& files);

struct ClientChannelOptions {
  // TLS: on when `tls` or any file below is set. With no CA file the
  // system's roots verify the server.
  bool tls = false;
  std::string ca_file;    // PEM CA bundle the server's certificate chains to
  std::string cert_file;  // client certificate (mTLS)
  std::string key_file;   // client key (mTLS)
  // Expected server name when it differs from the address's host.
  std::string server_name;
  // Sent as `authorization: Bearer <token>` on every call (empty: none).
  std::string token;
  // Largest response accepted (0: gRPC's default of 4 MiB).
  int max_receive_message_bytes = 0;
  // Largest request sent (0: no limit set).
  int max_send_message_bytes = 0;
  // A gRPC service config (load balancing, retries) to install, e.g.
  // cables::client::ServiceConfigJson(address, {}); empty: none.
  std::string service_config_json;
};

// A channel to `address` ("host:port"). Errors as MakeServerCredentials.
// Reconnects to a service that went away every 100 ms at first, backing off
// to at most 2 s (gRPC's defaults start at 1 s and grow to 120 s). A failed
// attempt is noticed only while something polls: processes that wait
// between calls should lower GRPC_CLIENT_CHANNEL_BACKUP_POLL_INTERVAL_MS
// (5 s by default), as cablectl does.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeClientChannel(
    absl::string_view address, const ClientChannelOptions& options);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_TLS_CREDENTIALS_H_
