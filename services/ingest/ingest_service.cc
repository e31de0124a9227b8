#include "services/ingest/ingest_service.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/call_guard.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/common/ingest_metrics.h"
#include "services/common/raw_message.h"

namespace cables::ingest {
namespace {

using cables::v1::ImportCablesRequest;
using cables::v1::ImportCablesResponse;

// Ingest writes are idempotent (same content: UNCHANGED; request ids are
// remembered), so a commit whose outcome is unknown -- the connection died
// during COMMIT -- is safe to retry: UNAVAILABLE tells clients so.
absl::Status RetryableIfInDoubt(absl::Status status) {
  if (!absl::IsUnknown(status)) return status;
  absl::Status retry = absl::UnavailableError(absl::StrCat(
      "the database connection was lost while committing; the outcome is "
      "unknown and sending the same cables again is safe (",
      status.message(), ")"));
  SetErrorReason(&retry, "COMMIT_IN_DOUBT");
  return retry;
}

grpc::Status Saturated() {
  absl::Status status = absl::ResourceExhaustedError(
      "ingest workers are saturated; retry after the delay");
  SetErrorReason(&status, "SERVER_SATURATED");
  SetRetryDelay(&status, absl::Milliseconds(200));
  return ToGrpcStatus(status);
}

grpc::Status ShuttingDown() {
  absl::Status status = absl::UnavailableError(
      "the ingest service is shutting down; every document acknowledged on "
      "this stream is stored: resume after the last acknowledged position");
  SetErrorReason(&status, "SHUTTING_DOWN");
  SetRetryDelay(&status, absl::Milliseconds(500));
  return ToGrpcStatus(status);
}

// One ImportCables stream. Reads documents into a pending batch; a full
// batch (or the rest, when the client half-closes) is committed on the
// executor while the next one is read, so up to max_batches_in_flight
// batches commit at once -- one per core, as separate transactions, each
// atomic. Acknowledgements are written strictly in batch order: a batch's
// acknowledgement waits for every earlier batch's, so an acknowledged
// position always means everything before it is stored. When a batch fails,
// the batches before it are still acknowledged, later ones are not (they
// may be committed: a client resending them gets UNCHANGED), and the stream
// ends with the error once no batch is in flight.
//
// State is guarded by mu_. Pump() decides, under mu_, what to start next
// (a read, a write, a submission, the end); the calls run after mu_ is
// released (Act), because Finish may run OnDone -- which deletes the
// reactor -- on another thread. Finish happens only when no batch is on the
// executor, and is the last thing the calling thread does with the reactor.
//
// ImportCables is a raw method: messages arrive as bytes and are parsed
// here, because the typed callback API reports a message that fails to
// parse exactly like the end of the stream -- the import would then end
// with OK and silently drop the rest. A malformed message ends the stream
// with INVALID_ARGUMENT (reason MALFORMED_REQUEST); what was acknowledged
// before it stays stored.
class ImportReactor final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  ImportReactor(grpc::CallbackServerContext* context, Ingester* ingester,
                BoundedExecutor* executor, const ImportOptions& options)
      : context_(context),
        ingester_(ingester),
        executor_(executor),
        options_(options),
        batch_size_(options.default_batch_size) {
    reading_ = true;
    StartRead(&request_bytes_);
  }

  void OnReadDone(bool ok) override {
    Actions actions;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (finishing_) return;
      if (failure_.has_value() || closing_) {
        // Ending: the message is not taken (nor acknowledged).
      } else if (!ok) {
        reading_done_ = true;
      } else if (!ParseRawMessage(request_bytes_, &request_)) {
        FailLocked(ToGrpcStatus(MalformedRequestError(
                       "a message of the stream",
                       "documents acknowledged before it are stored")),
                   next_seq_);
      } else {
        TakeRequestLocked();
      }
      actions = PumpLocked();
    }
    Act(std::move(actions));
  }

  void OnWriteDone(bool ok) override {
    Actions actions;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {
        FailLocked(
            grpc::Status(grpc::StatusCode::CANCELLED, "client went away"),
            /*acknowledge_before=*/0);
      }
      actions = PumpLocked();
    }
    Act(std::move(actions));
  }

  void OnDone() override { delete this; }

 private:
  using Batch = std::vector<ImportCablesRequest::Document>;

  // What Pump decided; run by Act after mu_ is released.
  struct Actions {
    bool read = false;
    bool write = false;  // response_bytes_ holds the next acknowledgement
    std::shared_ptr<Batch> submit;
    int64_t submit_seq = 0;
    bool submit_defer = false;
    std::optional<grpc::Status> finish;
  };

  bool ShuttingDownNow() const {
    return options_.shutting_down && options_.shutting_down();
  }

  // Records the first failure: acknowledgements of batches before
  // `acknowledge_before` (a batch sequence number) are still written.
  void FailLocked(grpc::Status status, int64_t acknowledge_before)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (failure_.has_value()) return;
    failure_ = std::move(status);
    acknowledge_before_ = acknowledge_before;
  }

  void TakeRequestLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (request_.has_options()) {
      const int asked = request_.options().batch_size();
      if (asked < 0) {
        FailLocked(
            ToGrpcStatus(InvalidField("options.batch_size", "must be >= 0")),
            next_seq_);
        return;
      }
      if (asked > 0) batch_size_ = std::min(asked, options_.max_batch_size);
      defer_search_vectors_ = request_.options().defer_search_vectors();
      return;
    }
    if (!request_.has_document()) {
      FailLocked(
          ToGrpcStatus(InvalidField("kind", "send options or a document")),
          next_seq_);
      return;
    }
    auto* document = request_.mutable_document();
    if (document->position() <= last_position_) {
      FailLocked(
          ToGrpcStatus(InvalidField("document.position",
                                    "positions must increase within a stream")),
          next_seq_);
      return;
    }
    last_position_ = document->position();
    pending_bytes_ += document->content().size();
    // A CSV chunk counts for the rows it likely holds (one per ~8 KB).
    pending_items_ += std::max<size_t>(1, document->content().size() / 8192);
    pending_.push_back(std::move(*document));
    if (pending_items_ >= static_cast<size_t>(batch_size_) ||
        pending_bytes_ >= options_.max_batch_bytes) {
      HoldBatchLocked();
    }
  }

  // Moves the pending documents into held_, the batch submitted next.
  void HoldBatchLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    held_ = std::make_shared<Batch>(std::move(pending_));
    pending_.clear();
    pending_bytes_ = 0;
    pending_items_ = 0;
  }

  Actions PumpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Actions a;
    if (finishing_) return a;
    if (!reading_done_ && !closing_ && ShuttingDownNow()) {
      // Stop reading: commit and acknowledge what is held, then end.
      closing_ = true;
    }
    if ((reading_done_ || closing_) && held_ == nullptr && !pending_.empty()) {
      HoldBatchLocked();
    }
    // 1. Submit the held batch when a slot is free (not after a failure).
    if (!failure_.has_value() && held_ != nullptr &&
        in_flight_ < options_.max_batches_in_flight) {
      a.submit = std::move(held_);
      held_ = nullptr;
      a.submit_seq = next_seq_++;
      a.submit_defer = defer_search_vectors_;
      ++in_flight_;
    }
    // 2. Write the next acknowledgement in order, when it is ready.
    if (!writing_) {
      auto it = ready_.find(next_write_seq_);
      if (it != ready_.end() &&
          (!failure_.has_value() || next_write_seq_ < acknowledge_before_)) {
        if (const absl::Status serialized =
                SerializeRawMessage(it->second, &response_bytes_);
            !serialized.ok()) {
          FailLocked(ToGrpcStatus(serialized), 0);
        } else {
          writing_ = true;
          a.write = true;
        }
        ready_.erase(it);
        ++next_write_seq_;
      }
    }
    // 3. Read on unless a full batch waits for a slot.
    if (!reading_ && !reading_done_ && !closing_ && !failure_.has_value() &&
        held_ == nullptr) {
      reading_ = true;
      a.read = true;
    }
    // 4. The end: nothing on the executor, nothing left to write.
    if (in_flight_ == 0 && !writing_ && !a.write && a.submit == nullptr) {
      if (failure_.has_value()) {
        a.finish = *failure_;
      } else if ((reading_done_ || closing_) && held_ == nullptr &&
                 pending_.empty() && ready_.empty()) {
        a.finish = reading_done_ ? grpc::Status::OK : ShuttingDown();
      }
      if (a.finish.has_value()) {
        finishing_ = true;
        a.read = false;
      }
    }
    return a;
  }

  // Runs what PumpLocked decided. A submission or Finish comes last: after
  // either the reactor may be gone (the batch's job may end the stream on
  // another thread).
  void Act(Actions a) {
    if (a.write) StartWrite(&response_bytes_);
    if (a.read) StartRead(&request_bytes_);
    if (a.submit != nullptr) {
      Submit(std::move(a.submit), a.submit_seq, a.submit_defer);
    } else if (a.finish.has_value()) {
      Finish(*a.finish);
    }
  }

  // Commits `batch` (sequence number `seq`) on the executor, then queues its
  // acknowledgement (Done). When the executor is full the stream ends with
  // RESOURCE_EXHAUSTED once the batches in flight are done.
  void Submit(std::shared_ptr<Batch> batch, int64_t seq,
              bool defer_search_vectors) {
    const bool taken =
        executor_->TrySubmit([this, batch, seq, defer_search_vectors] {
          absl::StatusOr<ImportCablesResponse> response =
              context_->IsCancelled()
                  ? absl::CancelledError("cancelled")
                  : ingester_->ImportBatch(*batch, defer_search_vectors);
          if (response.ok()) CountImportBatch(*batch, *response);
          Done(seq, std::move(response));
        });
    // Last: a submission that ends the stream may delete the reactor.
    if (!taken) Done(seq, absl::ResourceExhaustedError("saturated"), true);
  }

  // A batch's outcome: its acknowledgement is queued, or the stream fails.
  void Done(int64_t seq, absl::StatusOr<ImportCablesResponse> response,
            bool saturated = false) {
    Actions actions;
    {
      absl::MutexLock lock(&mu_);
      --in_flight_;
      if (saturated) {
        FailLocked(Saturated(), seq);
      } else if (!response.ok()) {
        FailLocked(absl::IsCancelled(response.status())
                       ? grpc::Status(grpc::StatusCode::CANCELLED, "cancelled")
                       : ToGrpcStatus(RetryableIfInDoubt(response.status())),
                   seq);
      } else {
        ready_.emplace(seq, *std::move(response));
      }
      actions = PumpLocked();
    }
    Act(std::move(actions));
  }

  grpc::CallbackServerContext* const context_;
  Ingester* const ingester_;
  BoundedExecutor* const executor_;
  const ImportOptions options_;
  absl::Mutex mu_;
  grpc::ByteBuffer request_bytes_;   // owned by the single outstanding read
  ImportCablesRequest request_;      // the last message read, parsed
  grpc::ByteBuffer response_bytes_;  // owned by the single outstanding write
  std::vector<ImportCablesRequest::Document> pending_ ABSL_GUARDED_BY(mu_);
  size_t pending_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  size_t pending_items_ ABSL_GUARDED_BY(mu_) = 0;
  // A full batch waiting for a free slot (reading pauses meanwhile).
  std::shared_ptr<Batch> held_ ABSL_GUARDED_BY(mu_);
  int64_t last_position_ ABSL_GUARDED_BY(mu_) = INT64_MIN;
  int batch_size_ ABSL_GUARDED_BY(mu_);
  // From the options message (ImportCablesRequest.Options).
  bool defer_search_vectors_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;  // batches on the executor
  int64_t next_seq_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_write_seq_ ABSL_GUARDED_BY(mu_) = 0;
  // Committed batches whose acknowledgement waits for an earlier one.
  std::map<int64_t, ImportCablesResponse> ready_ ABSL_GUARDED_BY(mu_);
  std::optional<grpc::Status> failure_ ABSL_GUARDED_BY(mu_);
  int64_t acknowledge_before_ ABSL_GUARDED_BY(mu_) = 0;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reading_done_ ABSL_GUARDED_BY(mu_) = false;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;  // shutting down: no more reads
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
};

// One VerifyFixity stream: a page of versions is checked on the executor,
// then its progress message is written; the next page starts when the write
// completes. Deleted in OnDone once no page is being checked (in_flight_
// counts submitted pages: a page's job may still be unwinding while the next
// one, started from OnWriteDone, runs).
class VerifyFixityReactor final
    : public grpc::ServerWriteReactor<cables::v1::VerifyFixityResponse> {
 public:
  VerifyFixityReactor(const FixityChecker* checker, BoundedExecutor* executor,
                      const cables::v1::VerifyFixityRequest& request)
      : checker_(checker),
        executor_(executor),
        repair_(request.repair_missing()),
        after_id_(request.resume_after_id()),
        after_version_(request.resume_after_version()),
        page_size_(request.page_size() == 0
                       ? kDefaultFixityPageSize
                       : std::min(request.page_size(), kMaxFixityPageSize)) {
    if (request.page_size() < 0) {
      Finish(ToGrpcStatus(InvalidField("page_size", "must be >= 0")));
      return;
    }
    CheckNextPage();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream broken"));
    } else if (response_.done()) {
      Finish(grpc::Status::OK);
    } else {
      CheckNextPage();
    }
  }
  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
  void OnDone() override {
    bool last;
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
      last = in_flight_ == 0;
    }
    if (last) delete this;
  }

 private:
  void CheckNextPage() {
    {
      absl::MutexLock lock(&mu_);
      ++in_flight_;
    }
    const bool taken = executor_->TrySubmit([this] {
      RunPage();
      bool last;
      {
        absl::MutexLock lock(&mu_);
        last = --in_flight_ == 0 && done_;
      }
      if (last) delete this;
    });
    if (!taken) {
      {
        absl::MutexLock lock(&mu_);
        --in_flight_;
      }
      Finish(Saturated());
    }
  }

  // Runs on the executor; ends with exactly one StartWrite or Finish.
  void RunPage() {
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
        return;
      }
    }
    if (!counted_) {
      auto total = checker_->CountVersions();
      if (!total.ok()) {
        Finish(ToGrpcStatus(total.status()));
        return;
      }
      response_.set_versions_total(*total);
      counted_ = true;
    }
    auto page =
        checker_->CheckPage(after_id_, after_version_, page_size_, repair_);
    if (!page.ok()) {
      Finish(ToGrpcStatus(page.status()));
      return;
    }
    if (page->checked > 0) {
      after_id_ = page->last_id;
      after_version_ = page->last_version;
    }
    response_.set_versions_checked(response_.versions_checked() +
                                   page->checked);
    response_.set_mismatches_total(
        response_.mismatches_total() +
        static_cast<int64_t>(page->mismatches.size()));
    response_.set_missing_sha512(response_.missing_sha512() +
                                 page->missing_sha512);
    response_.set_repaired(response_.repaired() + page->repaired);
    response_.clear_mismatches();
    for (auto& m : page->mismatches) *response_.add_mismatches() = std::move(m);
    response_.set_last_canonical_id(after_id_);
    response_.set_last_version(after_version_);
    response_.set_done(page->done);
    StartWrite(&response_);
  }

  const FixityChecker* const checker_;
  BoundedExecutor* const executor_;
  const bool repair_;
  // Touched only by the single in-flight step (a page's job or a write).
  std::string after_id_;
  int after_version_;
  const int page_size_;
  bool counted_ = false;
  cables::v1::VerifyFixityResponse response_;

  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

// One ImportBag stream: the archive's chunks are collected (at most
// max_bag_bytes); when the client half-closes, the bag is verified and
// stored on the executor, which finishes the call. Only one read or the
// final job is ever in flight, so no lock is needed.
class ImportBagReactor final
    : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  ImportBagReactor(grpc::CallbackServerContext* context,
                   const BagImporter* bags, BoundedExecutor* executor,
                   size_t max_bytes, grpc::ByteBuffer* response)
      : context_(context),
        bags_(bags),
        executor_(executor),
        max_bytes_(max_bytes),
        response_(response) {
    StartRead(&request_bytes_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Submit();
      return;
    }
    if (!ParseRawMessage(request_bytes_, &request_)) {
      Finish(ToGrpcStatus(MalformedRequestError(
          "a message of the stream", "nothing of the bag was stored")));
      return;
    }
    if (request_.has_header()) {
      const std::string& name = request_.header().bag_name();
      if (header_seen_ || !archive_.empty()) {
        Finish(ToGrpcStatus(
            InvalidField("header", "must be the first message, sent once")));
        return;
      }
      if (name.size() > 255 || name.find('\0') != std::string::npos) {
        Finish(ToGrpcStatus(InvalidField(
            "header.bag_name", "at most 255 bytes, without NUL bytes")));
        return;
      }
      header_seen_ = true;
      bag_name_ = name;
    } else if (request_.has_chunk()) {
      if (archive_.size() + request_.chunk().size() > max_bytes_) {
        absl::Status status = absl::ResourceExhaustedError(absl::StrCat(
            "the bag archive exceeds the limit of ", max_bytes_, " bytes"));
        AddFieldViolation(&status, "chunk",
                          absl::StrCat("archive over ", max_bytes_, " bytes"));
        SetErrorReason(&status, "BAG_TOO_LARGE");
        Finish(ToGrpcStatus(status));
        return;
      }
      archive_.append(request_.chunk());
    } else {
      Finish(ToGrpcStatus(InvalidField("kind", "send a header or a chunk")));
      return;
    }
    StartRead(&request_bytes_);
  }

  void OnDone() override { delete this; }

 private:
  void Submit() {
    const bool taken = executor_->TrySubmit([this] {
      if (context_->IsCancelled()) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
        return;
      }
      auto response = bags_->ImportArchive(archive_, bag_name_);
      archive_.clear();
      if (!response.ok()) {
        Finish(ToGrpcStatus(response.status()));
        return;
      }
      const absl::Status serialized = SerializeRawMessage(*response, response_);
      Finish(serialized.ok() ? grpc::Status::OK : ToGrpcStatus(serialized));
    });
    if (!taken) Finish(Saturated());
  }

  grpc::CallbackServerContext* const context_;
  const BagImporter* const bags_;
  BoundedExecutor* const executor_;
  const size_t max_bytes_;
  grpc::ByteBuffer* const response_;  // an ImportBagResponse, serialized
  grpc::ByteBuffer request_bytes_;    // owned by the single outstanding read
  cables::v1::ImportBagRequest request_;  // the last message read, parsed
  bool header_seen_ = false;
  std::string bag_name_;
  std::string archive_;
};

}  // namespace

grpc::ServerUnaryReactor* IngestServiceImpl::IngestCable(
    grpc::CallbackServerContext* context,
    const cables::v1::IngestCableRequest* request,
    cables::v1::IngestCableResponse* response) {
  if (auto* r = GuardUnary(context, Scope::kWrite)) return r;
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool taken = executor_->TrySubmit([this, context, request, response,
                                           reactor] {
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      return;
    }
    auto result = ingester_->IngestCable(*request);
    CountIngestCable(*request, result);
    if (result.ok()) {
      *response = *std::move(result);
      reactor->Finish(grpc::Status::OK);
    } else {
      reactor->Finish(ToGrpcStatus(RetryableIfInDoubt(result.status())));
    }
  });
  if (!taken) reactor->Finish(Saturated());
  return reactor;
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
IngestServiceImpl::ImportCables(grpc::CallbackServerContext* context) {
  if (auto* r = GuardBidi<grpc::ByteBuffer, grpc::ByteBuffer>(context,
                                                              Scope::kWrite)) {
    return r;
  }
  return new ImportReactor(context, ingester_, executor_, options_);
}

grpc::ServerReadReactor<grpc::ByteBuffer>* IngestServiceImpl::ImportBag(
    grpc::CallbackServerContext* context, grpc::ByteBuffer* response) {
  if (auto* r = GuardReader<grpc::ByteBuffer>(context, Scope::kWrite)) {
    return r;
  }
  return new ImportBagReactor(context, &ingester_->bags(), executor_,
                              options_.max_bag_bytes, response);
}

grpc::ServerWriteReactor<cables::v1::VerifyFixityResponse>*
IngestServiceImpl::VerifyFixity(
    grpc::CallbackServerContext* context,
    const cables::v1::VerifyFixityRequest* request) {
  if (auto* r = GuardWriter<cables::v1::VerifyFixityResponse>(context,
                                                              Scope::kWrite)) {
    return r;
  }
  return new VerifyFixityReactor(&ingester_->fixity(), executor_, *request);
}

}  // namespace cables::ingest
