#include "storage/deferred_indexes.h"

#include <string>

#include "absl/strings/string_view.h"
#include "storage/sql/repository_queries.h"

namespace cables::storage {
namespace {

// The RUM full-text index: the one whose row-by-row upkeep dominates writes.
constexpr absl::string_view kDeferredIndexes[] = {"cables_search_idx"};

std::string S(absl::string_view sv) { return std::string(sv); }

}  // namespace

void DeferIndexes(pqxx::connection& conn) {
  pqxx::work tx(conn);
  tx.exec_params(S(sql::kBulkLoadLock), sql::kBulkLoadLockKey);
  for (const absl::string_view name : kDeferredIndexes) {
    tx.exec_params(S(sql::kRememberIndex), S(name));
    // Identifiers cannot be parameters; `name` is a constant of ours.
    tx.exec("DROP INDEX IF EXISTS " + tx.quote_name(S(name)));
  }
  tx.commit();
}

int RestoreDeferredIndexes(pqxx::connection& conn, bool analyze) {
  int rebuilt = 0;
  {
    pqxx::work tx(conn);
    tx.exec_params(S(sql::kBulkLoadLock), sql::kBulkLoadLockKey);
    tx.exec(S(sql::kBuildSettings));
    for (const auto& row : tx.exec(S(sql::kSelectDeferredIndexes))) {
      const std::string name = row[0].as<std::string>();
      // The definition pg_indexes gave when the index was deferred.
      if (!row[2].as<bool>()) {
        tx.exec(row[1].as<std::string>());
        ++rebuilt;
      }
      tx.exec_params(S(sql::kForgetIndex), name);
    }
    tx.commit();
  }
  if (analyze || rebuilt > 0) {
    pqxx::nontransaction tx(conn);
    tx.exec(S(sql::kAnalyzeAfterLoad));
  }
  return rebuilt;
}

}  // namespace cables::storage
