#include "services/metadata/watch_reactor.h"

#include <chrono>
#include <memory>
#include <utility>

#include "services/common/grpc_status.h"

namespace cables::metadata {

WatchReactor::WatchReactor(const MetadataCatalog* catalog,
                           BoundedExecutor* executor,
                           const cables::v1::WatchCablesRequest* request,
                           absl::Duration poll_interval)
    : catalog_(catalog),
      executor_(executor),
      request_(request),
      poll_interval_(poll_interval) {
  Read();
}

void WatchReactor::Read() {
  {
    absl::MutexLock lock(&mu_);
    ++outstanding_;
  }
  if (!executor_->TrySubmit([this] {
        ReadPage();
        EndStep();
      })) {
    // Saturated: keep the stream and try again later.
    ReadAfter(poll_interval_);
    EndStep();
  }
}

void WatchReactor::ReadPage() {
  if (Cancelled()) {
    FinishOnce(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
    return;
  }
  if (!started_) {
    absl::StatusOr<int64_t> start = catalog_->WatchStart(*request_);
    if (!start.ok()) {
      FinishOnce(ToGrpcStatus(start.status()));
      return;
    }
    after_ = *start;
    started_ = true;
  }
  absl::StatusOr<ChangePage> page =
      catalog_->WatchPage(*request_, after_, kPageSize);
  if (!page.ok()) {
    // The client resumes from the last position it received.
    FinishOnce(ToGrpcStatus(page.status()));
    return;
  }
  after_ = page->next_after;
  more_ = page->more;
  pending_.assign(std::make_move_iterator(page->events.begin()),
                  std::make_move_iterator(page->events.end()));
  WriteNextOrRead();
}

void WatchReactor::ReadAfter(absl::Duration delay) {
  bool cancelled;
  {
    absl::MutexLock lock(&mu_);
    cancelled = cancelled_;
    if (!cancelled) {
      ++outstanding_;
      // A new alarm per wait; an earlier one may still be running its
      // callback (gRPC keeps it alive until that returns).
      alarm_ = std::make_unique<grpc::Alarm>();
      alarm_->Set(
          std::chrono::system_clock::now() +
              std::chrono::microseconds(absl::ToInt64Microseconds(delay)),
          [this](bool fired) {
            if (!fired || Cancelled()) {
              FinishOnce(
                  grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
            } else {
              Read();
            }
            EndStep();
          });
    }
  }
  if (cancelled) {
    FinishOnce(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
  }
}

void WatchReactor::WriteNextOrRead() {
  if (!pending_.empty()) {
    current_ = std::move(pending_.front());
    pending_.pop_front();
    StartWrite(&current_);
  } else if (more_) {
    Read();
  } else {
    ReadAfter(poll_interval_);
  }
}

void WatchReactor::OnWriteDone(bool ok) {
  if (!ok || Cancelled()) {
    FinishOnce(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed"));
    return;
  }
  WriteNextOrRead();
}

void WatchReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  // Its callback (not fired) finishes the call.
  if (alarm_ != nullptr) alarm_->Cancel();
}

void WatchReactor::OnDone() {
  bool last;
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
    last = outstanding_ == 0;
  }
  if (last) delete this;
}

bool WatchReactor::Cancelled() {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

void WatchReactor::FinishOnce(const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    finished_ = true;
  }
  Finish(status);
}

void WatchReactor::EndStep() {
  bool last;
  {
    absl::MutexLock lock(&mu_);
    --outstanding_;
    last = done_ && outstanding_ == 0;
  }
  if (last) delete this;
}

}  // namespace cables::metadata
