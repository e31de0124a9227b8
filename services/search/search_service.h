// SearchServiceImpl: gRPC (callback API) adapter of the Searcher. Reactors
// never block: each call runs on the BoundedExecutor (RESOURCE_EXHAUSTED
// with RetryInfo when its queue is full). The call's deadline (capped at
// max_call_time) reaches the database as statement_timeout, and a call the
// client cancels sends the database a cancel request for its statement.
//
// Thread-safe. The Searcher and the executor must outlive the service.
#ifndef CABLES_SERVICES_SEARCH_SEARCH_SERVICE_H_
#define CABLES_SERVICES_SEARCH_SEARCH_SERVICE_H_

#include "absl/time/time.h"
#include "cables/v1/search_service.grpc.pb.h"
#include "services/common/bounded_executor.h"
#include "services/search/searcher.h"

namespace cables::search {

class SearchServiceImpl final
    : public cables::v1::SearchService::CallbackService {
 public:
  SearchServiceImpl(const Searcher* searcher, BoundedExecutor* executor,
                    absl::Duration max_call_time = absl::Seconds(10))
      : searcher_(searcher),
        executor_(executor),
        max_call_time_(max_call_time) {}

  grpc::ServerUnaryReactor* SearchCables(
      grpc::CallbackServerContext* context,
      const cables::v1::SearchCablesRequest* request,
      cables::v1::SearchCablesResponse* response) override;
  grpc::ServerUnaryReactor* SuggestCables(
      grpc::CallbackServerContext* context,
      const cables::v1::SuggestCablesRequest* request,
      cables::v1::SuggestCablesResponse* response) override;
  grpc::ServerUnaryReactor* SimilarCables(
      grpc::CallbackServerContext* context,
      const cables::v1::SimilarCablesRequest* request,
      cables::v1::SimilarCablesResponse* response) override;

 private:
  const Searcher* const searcher_;
  BoundedExecutor* const executor_;
  const absl::Duration max_call_time_;
};

}  // namespace cables::search

#endif  // CABLES_SERVICES_SEARCH_SEARCH_SERVICE_H_
