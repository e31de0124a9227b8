// LruCache: a byte-bounded, least-recently-used map of string keys to
// string values (serialized responses). Put evicts the least recently used
// entries until keys + values fit in `capacity_bytes`; a value larger than
// the capacity is not stored. Capacity 0 stores nothing.
//
// Thread-safe (one mutex; Get and Put are O(1) apart from copying).
#ifndef CABLES_SERVICES_COMMON_LRU_CACHE_H_
#define CABLES_SERVICES_COMMON_LRU_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace cables {

class LruCache final {
 public:
  explicit LruCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}
  LruCache(const LruCache&) = delete;
  LruCache& operator=(const LruCache&) = delete;

  // The value of `key` (and marks it most recently used), or nullopt.
  std::optional<std::string> Get(absl::string_view key);
  // Stores `value` under `key`, replacing an older value.
  void Put(std::string key, std::string value);
  // Removes `key`; false when it was not cached.
  bool Erase(absl::string_view key);
  void Clear();

  struct Stats {
    size_t entries = 0;
    size_t bytes = 0;
    int64_t hits = 0;
    int64_t misses = 0;
    int64_t evictions = 0;
  };
  Stats stats() const;
  size_t capacity_bytes() const { return capacity_; }

 private:
  using Entry = std::pair<std::string, std::string>;  // key, value
  void EvictTo(size_t bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::list<Entry> order_ ABSL_GUARDED_BY(mu_);  // most recent first
  // Keys point into the list's entries (stable addresses).
  absl::flat_hash_map<absl::string_view, std::list<Entry>::iterator> index_
      ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t evictions_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_LRU_CACHE_H_
