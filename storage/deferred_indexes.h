// The indexes a bulk write defers: dropped before it, rebuilt in one pass
// after it (CREATE INDEX is an order of magnitude faster than maintaining
// the RUM full-text index row by row). Their definitions are kept in the
// deferred_indexes table (migration 0001), so whoever comes next -- another
// loader, a restarted filler -- can rebuild what a stopped one left dropped.
// Both steps take the bulk-load advisory lock, so they serialize.
//
// Storage-internal (libpqxx); exceptions propagate to the caller's
// ConnectionPool::Run, which maps them to a Status.
#ifndef CABLES_STORAGE_DEFERRED_INDEXES_H_
#define CABLES_STORAGE_DEFERRED_INDEXES_H_

#include "pqxx/pqxx"

namespace cables::storage {

// Remembers and drops the deferred indexes (idempotent); commits.
void DeferIndexes(pqxx::connection& conn);

// Rebuilds every remembered index that does not exist, forgets them, and
// ANALYZEs the cable tables when anything was rebuilt or `analyze`.
// Returns how many indexes were rebuilt.
int RestoreDeferredIndexes(pqxx::connection& conn, bool analyze);

}  // namespace cables::storage

#endif  // CABLES_STORAGE_DEFERRED_INDEXES_H_
