#include "services/search/search_service.h"

#include <utility>

#include "services/common/call_deadline.h"
#include "services/common/call_guard.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "storage/search/search_cancellation.h"

namespace cables::search {
namespace {

// A unary call whose cancellation reaches the running database statement.
// Deleted by gRPC's OnDone, after Finish.
class SearchCall final : public grpc::ServerUnaryReactor {
 public:
  void OnCancel() override { cancellation_.Cancel(); }
  void OnDone() override { delete this; }
  storage::SearchCancellation* cancellation() { return &cancellation_; }

 private:
  storage::SearchCancellation cancellation_;
};

template <typename Request, typename Response, typename Method>
grpc::ServerUnaryReactor* Dispatch(grpc::CallbackServerContext* context,
                                   const Request* request, Response* response,
                                   BoundedExecutor* executor,
                                   absl::Duration cap, Method method) {
  auto* call = new SearchCall();  // deleted in OnDone
  const absl::Time deadline = CallDeadline(*context, cap);
  const bool taken =
      executor->TrySubmit([call, context, request, response, deadline, method] {
        if (context->IsCancelled()) {
          call->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
          return;
        }
        auto result = method(*request, deadline, call->cancellation());
        if (result.ok()) {
          *response = *std::move(result);
          call->Finish(grpc::Status::OK);
        } else {
          call->Finish(ToGrpcStatus(result.status()));
        }
      });
  if (!taken) {
    absl::Status status =
        absl::ResourceExhaustedError("search workers are saturated; retry");
    SetErrorReason(&status, "SERVER_SATURATED");
    SetRetryDelay(&status, absl::Milliseconds(100));
    call->Finish(ToGrpcStatus(status));
  }
  return call;
}

}  // namespace

grpc::ServerUnaryReactor* SearchServiceImpl::SearchCables(
    grpc::CallbackServerContext* context,
    const cables::v1::SearchCablesRequest* request,
    cables::v1::SearchCablesResponse* response) {
  if (auto* r = GuardUnary(context, Scope::kRead)) return r;
  const Searcher* searcher = searcher_;
  return Dispatch(context, request, response, executor_, max_call_time_,
                  [searcher](const auto& r, absl::Time d, auto* c) {
                    return searcher->Search(r, d, c);
                  });
}

grpc::ServerUnaryReactor* SearchServiceImpl::SuggestCables(
    grpc::CallbackServerContext* context,
    const cables::v1::SuggestCablesRequest* request,
    cables::v1::SuggestCablesResponse* response) {
  if (auto* r = GuardUnary(context, Scope::kRead)) return r;
  const Searcher* searcher = searcher_;
  return Dispatch(context, request, response, executor_, max_call_time_,
                  [searcher](const auto& r, absl::Time d, auto* c) {
                    return searcher->Suggest(r, d, c);
                  });
}

grpc::ServerUnaryReactor* SearchServiceImpl::SimilarCables(
    grpc::CallbackServerContext* context,
    const cables::v1::SimilarCablesRequest* request,
    cables::v1::SimilarCablesResponse* response) {
  if (auto* r = GuardUnary(context, Scope::kRead)) return r;
  const Searcher* searcher = searcher_;
  return Dispatch(context, request, response, executor_, max_call_time_,
                  [searcher](const auto& r, absl::Time d, auto* c) {
                    return searcher->Similar(r, d, c);
                  });
}

}  // namespace cables::search
