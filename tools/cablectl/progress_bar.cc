#include "tools/cablectl/progress_bar.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace cables::cablectl {

ProgressBar::ProgressBar(uint64_t total_bytes)
    : total_bytes_(total_bytes),
      on_terminal_(isatty(STDERR_FILENO) == 1),
      start_(absl::Now()) {}

void ProgressBar::Update(int64_t items, uint64_t bytes) {
  if (!on_terminal_) return;
  const absl::Time now = absl::Now();
  if (now - last_draw_ < absl::Milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::max(1e-3, absl::ToDoubleSeconds(now - start_));
  const double mb = static_cast<double>(bytes) / 1e6;
  const double rate = static_cast<double>(items) / seconds;
  std::string bar;
  std::string eta = "--:--";
  if (total_bytes_ > 0) {
    const double fraction =
        std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes_));
    const int filled = static_cast<int>(fraction * 30);
    bar = absl::StrCat("[", std::string(filled, '#'),
                       std::string(30 - filled, '.'), "] ",
                       static_cast<int>(fraction * 100), "% ");
    if (fraction > 0.001) {
      const int left = static_cast<int>(seconds / fraction - seconds);
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%02d:%02d", left / 60, left % 60);
      eta = buf;
    }
  }
  std::fprintf(stderr, "\r\033[K%s%lld cables  %.1f MB  %.0f cables/s  %.1f MB/s  ETA %s",
               bar.c_str(), static_cast<long long>(items), mb, rate, mb / seconds,
               eta.c_str());
  std::fflush(stderr);
}

void ProgressBar::Done() {
  if (on_terminal_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace cables::cablectl
