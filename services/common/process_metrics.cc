#include "services/common/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "services/common/read_file.h"

namespace cables {
namespace {

using Samples = std::vector<MetricsRegistry::Sample>;

Samples One(double value) { return {MetricsRegistry::Sample{{}, value}}; }

// Fields of /proc/self/stat after the command name (field 3 is index 0).
std::vector<std::string> StatFields() {
  absl::StatusOr<std::string> stat = ReadFileToString("/proc/self/stat");
  if (!stat.ok()) return {};
  const size_t close = stat->rfind(')');
  if (close == std::string::npos) return {};
  return absl::StrSplit(absl::string_view(*stat).substr(close + 2), ' ',
                        absl::SkipEmpty());
}

double StatField(int field_number) {  // 1-based, as in proc(5)
  const std::vector<std::string> fields = StatFields();
  const size_t index = static_cast<size_t>(field_number - 3);
  double value = 0;
  // A malformed field reads as 0.
  if (index < fields.size() && !absl::SimpleAtod(fields[index], &value)) {
    value = 0;
  }
  return value;
}

double BootTimeSeconds() {
  absl::StatusOr<std::string> stat = ReadFileToString("/proc/stat");
  if (!stat.ok()) return 0;
  for (absl::string_view line : absl::StrSplit(*stat, '\n')) {
    if (absl::ConsumePrefix(&line, "btime ")) {
      double value = 0;
      return absl::SimpleAtod(line, &value) ? value : 0;
    }
  }
  return 0;
}

double OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  double count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the directory stream's own descriptor
}

}  // namespace

void RegisterProcessMetrics(MetricsRegistry* registry) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // The start time does not change: compute it once.
  const double boot = BootTimeSeconds();
  const double start = boot > 0 ? boot + StatField(22) / ticks
                                : absl::ToUnixSeconds(absl::Now());
  registry->AddCallback("process_cpu_seconds_total",
                        "Total user and system CPU time spent in seconds.",
                        MetricType::kCounter, [ticks] {
                          const std::vector<std::string> f = StatFields();
                          double user = 0, system = 0;
                          if (f.size() > 12) {
                            // Fields 14 and 15: utime, stime.
                            if (!absl::SimpleAtod(f[11], &user)) user = 0;
                            if (!absl::SimpleAtod(f[12], &system)) system = 0;
                          }
                          return One((user + system) / ticks);
                        });
  registry->AddCallback("process_resident_memory_bytes",
                        "Resident memory size in bytes.", MetricType::kGauge,
                        [page] { return One(StatField(24) * page); });
  registry->AddCallback("process_virtual_memory_bytes",
                        "Virtual memory size in bytes.", MetricType::kGauge,
                        [] { return One(StatField(23)); });
  registry->AddCallback("process_open_fds", "Number of open file descriptors.",
                        MetricType::kGauge, [] { return One(OpenFds()); });
  registry->AddCallback("process_max_fds",
                        "Maximum number of open file descriptors.",
                        MetricType::kGauge, [] {
                          rlimit limit{};
                          getrlimit(RLIMIT_NOFILE, &limit);
                          return One(static_cast<double>(limit.rlim_cur));
                        });
  registry->AddCallback(
      "process_start_time_seconds",
      "Start time of the process since unix epoch in seconds.",
      MetricType::kGauge, [start] { return One(start); });
}

}  // namespace cables
