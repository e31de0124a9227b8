// ProgressBar: a one-line progress display on a terminal (cables, MB,
// rate, ETA), redrawn at most 10 times a second; silent when stderr is not
// a terminal. Not thread-safe.
#ifndef CABLES_TOOLS_CABLECTL_PROGRESS_BAR_H_
#define CABLES_TOOLS_CABLECTL_PROGRESS_BAR_H_

#include <cstdint>

#include "absl/time/time.h"

namespace cables::cablectl {

class ProgressBar {
 public:
  // `total_bytes` 0: unknown (no percentage or ETA).
  explicit ProgressBar(uint64_t total_bytes);

  void Update(int64_t items, uint64_t bytes);
  // Clears the line.
  void Done();
  bool on_terminal() const { return on_terminal_; }

 private:
  const uint64_t total_bytes_;
  const bool on_terminal_;
  const absl::Time start_;
  absl::Time last_draw_ = absl::InfinitePast();
};

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_PROGRESS_BAR_H_
