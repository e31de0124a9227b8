// WatchReactor: the server side of one WatchCables stream (the change
// feed). Reads pages of the change log on the BoundedExecutor, writes their
// events one at a time (the next write only after the previous completed,
// so a slow reader holds at most one page in memory), and when the log has
// nothing new waits `poll_interval` on a gRPC alarm -- never on a reactor
// or worker thread -- before reading again. Runs until the client cancels
// or its deadline passes; a saturated executor delays the next read instead
// of failing the stream.
//
// Created with new by MetadataServiceImpl::WatchCables; deletes itself once
// gRPC is done with it and no read or alarm is outstanding. The catalog and
// the executor must outlive it.
#ifndef CABLES_SERVICES_METADATA_WATCH_REACTOR_H_
#define CABLES_SERVICES_METADATA_WATCH_REACTOR_H_

#include <cstdint>
#include <deque>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "grpcpp/alarm.h"
#include "services/common/bounded_executor.h"
#include "services/metadata/metadata_catalog.h"

namespace cables::metadata {

class WatchReactor final
    : public grpc::ServerWriteReactor<cables::v1::ChangeEvent> {
 public:
  // Changes read per page.
  static constexpr int kPageSize = 500;

  // Starts the stream. `request` must stay valid until OnDone (gRPC owns
  // it).
  WatchReactor(const MetadataCatalog* catalog, BoundedExecutor* executor,
               const cables::v1::WatchCablesRequest* request,
               absl::Duration poll_interval);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // Queues a read of the next page on the executor (or, when it is
  // saturated, retries after the poll interval).
  void Read();
  // The executor task of Read().
  void ReadPage();
  // Waits `delay`, then reads.
  void ReadAfter(absl::Duration delay);
  // Writes the next pending event, or reads on (at once when `more_`).
  // Called with no write, read or alarm outstanding.
  void WriteNextOrRead();
  bool Cancelled();
  // Finishes the call once.
  void FinishOnce(const grpc::Status& status);
  // Ends a read or alarm step; deletes this when gRPC is done and nothing
  // else is outstanding.
  void EndStep();

  const MetadataCatalog* const catalog_;
  BoundedExecutor* const executor_;
  const cables::v1::WatchCablesRequest* const request_;
  const absl::Duration poll_interval_;

  // Touched only by the single outstanding step (read, alarm or write).
  bool started_ = false;
  int64_t after_ = 0;
  bool more_ = false;
  std::deque<cables::v1::ChangeEvent> pending_;
  cables::v1::ChangeEvent current_;

  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  // Reads queued or running plus alarms set and not yet called back.
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
  std::unique_ptr<grpc::Alarm> alarm_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cables::metadata

#endif  // CABLES_SERVICES_METADATA_WATCH_REACTOR_H_
