#include "services/metadata/cable_cache.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace cables::metadata {

std::optional<std::string> CableCache::LookupBytes(
    absl::string_view canonical_id) {
  if (!synced()) return std::nullopt;
  return store_->Get(canonical_id);
}

std::optional<cables::v1::Cable> CableCache::Lookup(
    absl::string_view canonical_id) {
  std::optional<std::string> bytes = LookupBytes(canonical_id);
  if (!bytes.has_value()) return std::nullopt;
  cables::v1::Cable cable;
  if (!cable.ParseFromString(*bytes)) return std::nullopt;
  return cable;
}

uint64_t CableCache::ReadTicket() const {
  absl::MutexLock lock(&mu_);
  return epoch_;
}

void CableCache::Insert(const cables::v1::Cable& cable, uint64_t ticket) {
  if (!synced()) return;
  std::string bytes = cable.SerializeAsString();
  absl::MutexLock lock(&mu_);
  // Under mu_, so no invalidation can slip between the check and the Put.
  if (ticket != epoch_ || !synced()) return;
  store_->Put(cable.canonical_id(), std::move(bytes));
}

void CableCache::Invalidate(const std::vector<std::string>& canonical_ids,
                            int64_t position) {
  absl::MutexLock lock(&mu_);
  ++epoch_;
  for (const std::string& id : canonical_ids) store_->Erase(id);
  position_.store(position, std::memory_order_release);
}

void CableCache::SetSynced(bool synced, int64_t position) {
  absl::MutexLock lock(&mu_);
  ++epoch_;
  position_.store(position, std::memory_order_release);
  synced_.store(synced, std::memory_order_release);
  if (!synced) store_->Clear();
}

std::optional<std::string> CableCache::SnapshotKey(
    absl::string_view request_key) const {
  if (!synced()) return std::nullopt;
  // Cable ids never contain '@', so snapshot keys cannot collide with them.
  return absl::StrCat("@", position_.load(std::memory_order_acquire), "/",
                      request_key);
}

std::optional<std::string> CableCache::GetSnapshot(absl::string_view key) {
  if (!synced()) return std::nullopt;
  return store_->Get(key);
}

void CableCache::PutSnapshot(std::string key, std::string value) {
  if (!synced()) return;
  store_->Put(std::move(key), std::move(value));
}

}  // namespace cables::metadata
