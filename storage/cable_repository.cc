#include "storage/cable_repository.h"

namespace cables::storage {

absl::string_view UpsertOutcomeName(UpsertOutcome outcome) {
  switch (outcome) {
    case UpsertOutcome::kCreated:
      return "created";
    case UpsertOutcome::kNewVersion:
      return "new_version";
    case UpsertOutcome::kUnchanged:
      return "unchanged";
  }
  return "unknown";
}

}  // namespace cables::storage
