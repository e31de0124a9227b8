// SearchCancellation: lets another thread stop a running search query.
//
// The caller (e.g. a gRPC reactor's OnCancel) calls Cancel(); the
// repository registers, while its statement runs, a handler that sends the
// server a cancel request (PQcancel) for that connection. Cancel() before
// the query starts makes the repository refuse to start it. The handler is
// never called after ClearHandler() returns.
//
// Thread-safe.
#ifndef CABLES_STORAGE_SEARCH_SEARCH_CANCELLATION_H_
#define CABLES_STORAGE_SEARCH_SEARCH_CANCELLATION_H_

#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace cables::storage {

class SearchCancellation final {
 public:
  SearchCancellation() = default;
  SearchCancellation(const SearchCancellation&) = delete;
  SearchCancellation& operator=(const SearchCancellation&) = delete;

  // Marks the call cancelled and runs the registered handler, if any.
  void Cancel();
  bool cancelled() const;

  // Registers `handler`; false (handler not kept) when already cancelled.
  bool SetHandler(std::function<void()> handler);
  void ClearHandler();

 private:
  mutable absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void()> handler_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_SEARCH_CANCELLATION_H_
