#include "services/ingest/ingest_service.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"

namespace cables::ingest {
namespace {

using cables::v1::ImportCablesRequest;
using cables::v1::ImportCablesResponse;

grpc::Status Saturated() {
  absl::Status status = absl::ResourceExhaustedError(
      "ingest workers are saturated; retry after the delay");
  SetErrorReason(&status, "SERVER_SATURATED");
  SetRetryDelay(&status, absl::Milliseconds(200));
  return ToGrpcStatus(status);
}

// One ImportCables stream. Reads documents into a pending batch; when the
// batch is full (or the client half-closes) it is committed on the executor
// and acknowledged; reading resumes after the acknowledgement is written.
// State is guarded by mu_; at most one batch is in flight. Every
// StartRead/StartWrite/Finish happens after mu_ is released (Act), because
// Finish may run OnDone -- which deletes the reactor -- on another thread.
class ImportReactor final
    : public grpc::ServerBidiReactor<ImportCablesRequest, ImportCablesResponse> {
 public:
  ImportReactor(grpc::CallbackServerContext* context, Ingester* ingester,
                BoundedExecutor* executor, const ImportOptions& options)
      : context_(context),
        ingester_(ingester),
        executor_(executor),
        options_(options),
        batch_size_(options.default_batch_size) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      step = ok ? TakeRequestLocked() : EndOfInputLocked();
    }
    Act(std::move(step));
  }

  void OnWriteDone(bool ok) override {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      if (!ok) {
        step = Step::Finish(
            grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
      } else if (reading_done_) {
        step = Step::Finish(grpc::Status::OK);
      } else {
        step = Step::Read();
      }
    }
    Act(std::move(step));
  }

  void OnDone() override { delete this; }

 private:
  struct Step {
    enum class Kind { kRead, kWrite, kFinish, kSubmit };
    Kind kind = Kind::kRead;
    grpc::Status status;
    std::shared_ptr<std::vector<ImportCablesRequest::Document>> batch;
    static Step Read() { return {Kind::kRead, {}, nullptr}; }
    static Step Write() { return {Kind::kWrite, {}, nullptr}; }
    static Step Finish(grpc::Status s) { return {Kind::kFinish, std::move(s), nullptr}; }
  };

  void Act(Step step) {
    switch (step.kind) {
      case Step::Kind::kRead:
        StartRead(&request_);
        return;
      case Step::Kind::kWrite:
        StartWrite(&response_);
        return;
      case Step::Kind::kFinish:
        Finish(step.status);
        return;
      case Step::Kind::kSubmit:
        Submit(std::move(step.batch));
        return;
    }
  }

  Step TakeRequestLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (request_.has_options()) {
      const int asked = request_.options().batch_size();
      if (asked < 0) {
        return Step::Finish(
            ToGrpcStatus(InvalidField("options.batch_size", "must be >= 0")));
      }
      if (asked > 0) batch_size_ = std::min(asked, options_.max_batch_size);
      return Step::Read();
    }
    if (!request_.has_document()) {
      return Step::Finish(
          ToGrpcStatus(InvalidField("kind", "send options or a document")));
    }
    auto* document = request_.mutable_document();
    if (document->position() <= last_position_) {
      return Step::Finish(ToGrpcStatus(InvalidField(
          "document.position", "positions must increase within a stream")));
    }
    last_position_ = document->position();
    pending_bytes_ += document->content().size();
    // A CSV chunk counts for the rows it likely holds (one per ~8 KB).
    pending_items_ += std::max<size_t>(1, document->content().size() / 8192);
    pending_.push_back(std::move(*document));
    if (pending_items_ >= static_cast<size_t>(batch_size_) ||
        pending_bytes_ >= options_.max_batch_bytes) {
      return TakeBatchLocked();
    }
    return Step::Read();
  }

  Step EndOfInputLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    reading_done_ = true;
    if (pending_.empty()) return Step::Finish(grpc::Status::OK);
    return TakeBatchLocked();
  }

  Step TakeBatchLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Step step{Step::Kind::kSubmit, {}, nullptr};
    step.batch = std::make_shared<std::vector<ImportCablesRequest::Document>>(
        std::move(pending_));
    pending_.clear();
    pending_bytes_ = 0;
    pending_items_ = 0;
    return step;
  }

  // Commits `batch` on the executor, then writes its acknowledgement.
  void Submit(std::shared_ptr<std::vector<ImportCablesRequest::Document>> batch) {
    const bool taken = executor_->TrySubmit([this, batch] {
      if (context_->IsCancelled()) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
        return;
      }
      auto response = ingester_->ImportBatch(*batch);
      if (!response.ok()) {
        Finish(ToGrpcStatus(response.status()));
        return;
      }
      response_ = *std::move(response);  // no write is in flight
      StartWrite(&response_);
    });
    if (!taken) Finish(Saturated());
  }

  grpc::CallbackServerContext* const context_;
  Ingester* const ingester_;
  BoundedExecutor* const executor_;
  const ImportOptions options_;
  absl::Mutex mu_;
  ImportCablesRequest request_;    // owned by the single outstanding read
  ImportCablesResponse response_;  // owned by the single outstanding write
  std::vector<ImportCablesRequest::Document> pending_ ABSL_GUARDED_BY(mu_);
  size_t pending_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  size_t pending_items_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t last_position_ ABSL_GUARDED_BY(mu_) = INT64_MIN;
  int batch_size_ ABSL_GUARDED_BY(mu_);
  bool reading_done_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

grpc::ServerUnaryReactor* IngestServiceImpl::IngestCable(
    grpc::CallbackServerContext* context,
    const cables::v1::IngestCableRequest* request,
    cables::v1::IngestCableResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool taken =
      executor_->TrySubmit([this, context, request, response, reactor] {
        if (context->IsCancelled()) {
          reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
          return;
        }
        auto result = ingester_->IngestCable(*request);
        if (result.ok()) {
          *response = *std::move(result);
          reactor->Finish(grpc::Status::OK);
        } else {
          reactor->Finish(ToGrpcStatus(result.status()));
        }
      });
  if (!taken) reactor->Finish(Saturated());
  return reactor;
}

grpc::ServerBidiReactor<ImportCablesRequest, ImportCablesResponse>*
IngestServiceImpl::ImportCables(grpc::CallbackServerContext* context) {
  return new ImportReactor(context, ingester_, executor_, options_);
}

}  // namespace cables::ingest
