// Options of the PostgreSQL connection pool (connection_pool.h). Free of
// libpqxx so services can fill them in.
#ifndef CABLES_STORAGE_CONNECTION_POOL_OPTIONS_H_
#define CABLES_STORAGE_CONNECTION_POOL_OPTIONS_H_

#include <string>

#include "absl/time/time.h"

namespace cables::storage {

struct ConnectionPoolOptions {
  // libpq URL or key=value string, e.g. the DATABASE_URL environment
  // variable. Never compiled in.
  std::string database_url;
  // Upper bound on open connections.
  int max_connections = 8;
  // How long Acquire() waits for a free connection.
  absl::Duration acquire_timeout = absl::Seconds(30);
  // Run(): attempts in all (1 = no retry) for kAborted / kUnavailable.
  int max_attempts = 5;
  // Run(): backoff before retry k is initial_backoff * 2^(k-1) (capped at 1s)
  // with jitter.
  absl::Duration initial_backoff = absl::Milliseconds(10);
  // Per-statement timeout set on each connection (zero: none).
  absl::Duration statement_timeout = absl::ZeroDuration();
  // Reported to the server as application_name.
  std::string application_name = "cables";
  // The database is a read-only hot standby (a read replica): repositories
  // skip session setup that writes (temporary staging tables); use them
  // for reads only.
  bool read_only = false;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_CONNECTION_POOL_OPTIONS_H_
