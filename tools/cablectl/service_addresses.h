// Where cablectl finds the services: --ingest (alias --server), --metadata,
// --search, else CABLES_INGEST_ADDR / CABLES_METADATA_ADDR /
// CABLES_SEARCH_ADDR, else 127.0.0.1:50051 / :50052 / :50053.
#ifndef CABLES_TOOLS_CABLECTL_SERVICE_ADDRESSES_H_
#define CABLES_TOOLS_CABLECTL_SERVICE_ADDRESSES_H_

#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"

namespace cables::cablectl {

inline constexpr char kDefaultIngestAddress[] = "127.0.0.1:50051";
inline constexpr char kDefaultMetadataAddress[] = "127.0.0.1:50052";
inline constexpr char kDefaultSearchAddress[] = "127.0.0.1:50053";

std::string IngestAddress();
std::string MetadataAddress();
std::string SearchAddress();

// A channel to `address` with message limits suited to imports, round-robin
// load balancing over multi-address targets (ipv4:A:P,B:P, dns:///...),
// retries of read-only calls, TLS when --tls/--tls_ca/--tls_cert/--tls_key
// are set (env CABLES_TLS_CA, CABLES_TLS_CERT, CABLES_TLS_KEY), and the
// bearer token of --token (env CABLES_TOKEN) on every call. A bad TLS
// setting ends cablectl with a message on stderr and exit status 2.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address);

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_SERVICE_ADDRESSES_H_
