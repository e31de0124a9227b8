// Where cablectl finds the services: --ingest (alias --server), --metadata,
// --search, else CABLES_INGEST_ADDR / CABLES_METADATA_ADDR /
// CABLES_SEARCH_ADDR, else 127.0.0.1:50051 / :50052 / :50053.
#ifndef CABLES_TOOLS_CABLECTL_SERVICE_ADDRESSES_H_
#define CABLES_TOOLS_CABLECTL_SERVICE_ADDRESSES_H_

#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"

namespace cables::cablectl {

std::string IngestAddress();
std::string MetadataAddress();
std::string SearchAddress();

// An insecure channel to `address` with message limits suited to imports.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address);

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_SERVICE_ADDRESSES_H_
