#include "services/common/lru_cache.h"

namespace cables {
namespace {

size_t SizeOf(const std::string& key, const std::string& value) {
  return key.size() + value.size();
}

}  // namespace

std::optional<std::string> LruCache::Get(absl::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void LruCache::Put(std::string key, std::string value) {
  const size_t size = SizeOf(key, value);
  absl::MutexLock lock(&mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= SizeOf(it->second->first, it->second->second);
    order_.erase(it->second);
    index_.erase(it);
  }
  if (size > capacity_) return;
  EvictTo(capacity_ - size);
  order_.emplace_front(std::move(key), std::move(value));
  index_.emplace(order_.front().first, order_.begin());
  bytes_ += size;
}

bool LruCache::Erase(absl::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return false;
  const auto entry = it->second;
  index_.erase(it);
  bytes_ -= SizeOf(entry->first, entry->second);
  order_.erase(entry);
  return true;
}

void LruCache::Clear() {
  absl::MutexLock lock(&mu_);
  index_.clear();
  order_.clear();
  bytes_ = 0;
}

LruCache::Stats LruCache::stats() const {
  absl::MutexLock lock(&mu_);
  return Stats{index_.size(), bytes_, hits_, misses_, evictions_};
}

void LruCache::EvictTo(size_t bytes) {
  while (bytes_ > bytes && !order_.empty()) {
    const Entry& last = order_.back();
    bytes_ -= SizeOf(last.first, last.second);
    index_.erase(absl::string_view(last.first));
    order_.pop_back();
    ++evictions_;
  }
}

}  // namespace cables
