// Process metrics in the names of the Prometheus client libraries,
// computed from /proc at scrape time: process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds.
//
// Thread-safe; Linux only (elsewhere the values are 0).
#ifndef CABLES_SERVICES_COMMON_PROCESS_METRICS_H_
#define CABLES_SERVICES_COMMON_PROCESS_METRICS_H_

#include "services/common/metrics.h"

namespace cables {

// Registers the process metrics as callbacks on `registry` (idempotent).
void RegisterProcessMetrics(MetricsRegistry* registry);

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_PROCESS_METRICS_H_
