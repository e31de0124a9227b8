#include "services/metadata/metadata_service.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "services/common/call_deadline.h"
#include "services/common/call_guard.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/common/raw_message.h"
#include "services/common/status_macros.h"
#include "services/metadata/watch_reactor.h"
#include "storage/statement_deadline.h"

namespace cables::metadata {
namespace {

absl::Status Saturated() {
  absl::Status status =
      absl::ResourceExhaustedError("metadata workers are saturated; retry");
  SetErrorReason(&status, "SERVER_SATURATED");
  SetRetryDelay(&status, absl::Milliseconds(100));
  return status;
}

template <typename Request, typename Response, typename Method>
grpc::ServerUnaryReactor* Dispatch(grpc::CallbackServerContext* context,
                                   const Request* request, Response* response,
                                   BoundedExecutor* executor, Method method) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time deadline = CallDeadline(*context);
  const bool taken = executor->TrySubmit([reactor, context, request, response,
                                          deadline, method] {
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      return;
    }
    // The client's deadline bounds the SQL the call runs.
    storage::ScopedStatementDeadline scope(deadline);
    auto result = method(*request);
    if (result.ok()) {
      *response = *std::move(result);
      reactor->Finish(grpc::Status::OK);
    } else {
      reactor->Finish(ToGrpcStatus(result.status()));
    }
  });
  if (!taken) reactor->Finish(ToGrpcStatus(Saturated()));
  return reactor;
}

// Streams an export: a page is fetched on the executor, then its cables are
// written one at a time from OnWriteDone. Deleted in OnDone.
class ExportReactor final : public grpc::ServerWriteReactor<cables::v1::Cable> {
 public:
  ExportReactor(const MetadataCatalog* catalog, BoundedExecutor* executor,
                const cables::v1::ExportCablesRequest* request,
                absl::Time deadline)
      : catalog_(catalog),
        executor_(executor),
        request_(request),
        deadline_(deadline) {
    FetchPage();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream broken"));
      return;
    }
    WriteNextOrFetch();
  }
  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
  void OnDone() override {
    // A fetch may still be running on the executor (OnDone can even run
    // inside its Finish): the last of the two deletes.
    bool last;
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
      last = !fetching_;
    }
    if (last) delete this;
  }

 private:
  void FetchPage() {
    {
      absl::MutexLock lock(&mu_);
      fetching_ = true;
    }
    const bool taken = executor_->TrySubmit([this] {
      bool cancelled;
      {
        absl::MutexLock lock(&mu_);
        cancelled = cancelled_;
      }
      if (cancelled) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      } else {
        storage::ScopedStatementDeadline scope(deadline_);
        auto page = catalog_->Export(*request_, token_);
        if (!page.ok()) {
          Finish(ToGrpcStatus(page.status()));
        } else {
          last_page_ = page->next_page_token.empty();
          token_ = std::move(page->next_page_token);
          pending_.assign(std::make_move_iterator(page->cables.begin()),
                          std::make_move_iterator(page->cables.end()));
          WriteNextOrFetch();
        }
      }
      bool last;
      {
        absl::MutexLock lock(&mu_);
        fetching_ = false;
        last = done_;
      }
      if (last) delete this;
    });
    if (!taken) {
      {
        absl::MutexLock lock(&mu_);
        fetching_ = false;
      }
      Finish(ToGrpcStatus(Saturated()));
    }
  }

  // Called with no write in flight.
  void WriteNextOrFetch() {
    if (!pending_.empty()) {
      current_ = std::move(pending_.front());
      pending_.pop_front();
      StartWrite(&current_);
    } else if (last_page_) {
      Finish(grpc::Status::OK);
    } else {
      FetchPage();
    }
  }

  const MetadataCatalog* const catalog_;
  BoundedExecutor* const executor_;
  const cables::v1::ExportCablesRequest* const request_;
  const absl::Time deadline_;
  // Touched only by whoever holds the single in-flight step (fetch or write).
  std::string token_;
  bool last_page_ = false;
  std::deque<cables::v1::Cable> pending_;
  cables::v1::Cable current_;

  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool fetching_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

#define CABLES_METADATA_UNARY(Method, Request, Response)             \
  grpc::ServerUnaryReactor* MetadataServiceImpl::Method(             \
      grpc::CallbackServerContext* context, const Request* request,  \
      Response* response) {                                          \
    if (auto* r = GuardUnary(context, Scope::kRead)) return r;       \
    const MetadataCatalog* catalog = catalog_;                       \
    return Dispatch(                                                 \
        context, request, response, executor_,                       \
        [catalog](const Request& r) { return catalog->Method(r); }); \
  }

grpc::ServerUnaryReactor* MetadataServiceImpl::GetCable(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request_bytes,
    grpc::ByteBuffer* response) {
  if (auto* r = GuardUnary(context, Scope::kRead)) return r;
  auto request = std::make_shared<cables::v1::GetCableRequest>();
  if (!ParseRawMessage(*request_bytes, request.get())) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(MalformedRequestError("the request")));
    return reactor;
  }
  // A cached cable is answered on the reactor: no database, no thread hop,
  // and (without a read mask) no parse or serialization either.
  if (std::optional<std::string> cached =
          catalog_->GetCachedCableBytes(*request);
      cached.has_value()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    *response = RawMessageFromBytes(*std::move(cached));
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  const MetadataCatalog* catalog = catalog_;
  return Dispatch(context, request.get(), response, executor_,
                  // Holds the request until the executor is done with it.
                  [catalog, request](const cables::v1::GetCableRequest& r)
                      -> absl::StatusOr<grpc::ByteBuffer> {
                    // The cache just missed: read without asking it again.
                    CABLES_ASSIGN_OR_RETURN(cables::v1::Cable cable,
                                            catalog->ReadCable(r));
                    grpc::ByteBuffer bytes;
                    CABLES_RETURN_IF_ERROR(SerializeRawMessage(cable, &bytes));
                    return bytes;
                  });
}
CABLES_METADATA_UNARY(BatchGetCables, cables::v1::BatchGetCablesRequest,
                      cables::v1::BatchGetCablesResponse)
CABLES_METADATA_UNARY(ListCables, cables::v1::ListCablesRequest,
                      cables::v1::ListCablesResponse)
CABLES_METADATA_UNARY(BrowseCables, cables::v1::BrowseCablesRequest,
                      cables::v1::BrowseCablesResponse)
CABLES_METADATA_UNARY(ListCableReferences,
                      cables::v1::ListCableReferencesRequest,
                      cables::v1::ListCableReferencesResponse)
CABLES_METADATA_UNARY(ListCitingCables, cables::v1::ListCitingCablesRequest,
                      cables::v1::ListCitingCablesResponse)
CABLES_METADATA_UNARY(ListCableVersions, cables::v1::ListCableVersionsRequest,
                      cables::v1::ListCableVersionsResponse)
CABLES_METADATA_UNARY(DiffCableVersions, cables::v1::DiffCableVersionsRequest,
                      cables::v1::DiffCableVersionsResponse)
CABLES_METADATA_UNARY(GetParagraph, cables::v1::GetParagraphRequest,
                      cables::v1::CableParagraph)
CABLES_METADATA_UNARY(ListCableEvents, cables::v1::ListCableEventsRequest,
                      cables::v1::ListCableEventsResponse)

#undef CABLES_METADATA_UNARY

grpc::ServerWriteReactor<cables::v1::Cable>* MetadataServiceImpl::ExportCables(
    grpc::CallbackServerContext* context,
    const cables::v1::ExportCablesRequest* request) {
  if (auto* r = GuardWriter<cables::v1::Cable>(context, Scope::kRead)) return r;
  // Deleted in OnDone.
  return new ExportReactor(catalog_, executor_, request,
                           CallDeadline(*context));
}

grpc::ServerUnaryReactor* MetadataServiceImpl::DeleteCable(
    grpc::CallbackServerContext* context,
    const cables::v1::DeleteCableRequest* request,
    cables::v1::CableTombstone* response) {
  if (auto* r = GuardUnary(context, Scope::kWrite)) return r;
  const MetadataCatalog* catalog = catalog_;
  return Dispatch(context, request, response, executor_,
                  [catalog](const cables::v1::DeleteCableRequest& r) {
                    return catalog->DeleteCable(r);
                  });
}

grpc::ServerWriteReactor<cables::v1::ChangeEvent>*
MetadataServiceImpl::WatchCables(
    grpc::CallbackServerContext* context,
    const cables::v1::WatchCablesRequest* request) {
  if (auto* r = GuardWriter<cables::v1::ChangeEvent>(context, Scope::kRead)) {
    return r;
  }
  // Deletes itself in OnDone.
  return new WatchReactor(catalog_, executor_, request, watch_poll_interval_);
}

}  // namespace cables::metadata
