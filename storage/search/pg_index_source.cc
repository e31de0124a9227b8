#include "storage/search/pg_index_source.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/connection_pool.h"
#include "storage/pg_encoding.h"

namespace cables::storage {
namespace {

constexpr int kMaxBatch = 10000;

constexpr const char* kCableColumns =
    "SELECT c.canonical_id, c.reference_id, "
    "(extract(epoch FROM c.created) * 1000000)::bigint, c.origin, "
    "c.classification, c.caveats::text, c.tags::text, c.subject, "
    "c.signers::text, v.body FROM cables c JOIN cable_versions v ON "
    "v.canonical_id = c.canonical_id AND v.version = c.current_version ";

constexpr const char* kScanCables =
    "WHERE c.canonical_id > $1 ORDER BY c.canonical_id LIMIT $2";
constexpr const char* kReadCables = "WHERE c.canonical_id = ANY($1::text[])";

constexpr const char* kParagraphs =
    "SELECT p.canonical_id, p.number, p.text FROM cables c JOIN "
    "cable_paragraphs p ON p.canonical_id = c.canonical_id AND p.version = "
    "c.current_version WHERE c.canonical_id = ANY($1::text[]) ORDER BY "
    "p.canonical_id, p.position";

constexpr const char* kCitedIds =
    "SELECT citing_id, cited_id FROM cable_references WHERE citing_id = "
    "ANY($1::text[]) AND cited_id <> '' ORDER BY citing_id, position";

// (pg_control_system() would name the cluster but needs pg_monitor.)
constexpr const char* kIdentity =
    "SELECT d.datname || '/' || d.oid::text FROM pg_database d WHERE "
    "d.datname = current_database()";

void AddArray(absl::string_view literal,
              google::protobuf::RepeatedPtrField<std::string>* out) {
  auto values = ParseTextArray(literal);
  if (!values.ok()) return;
  for (std::string& v : *values) out->Add(std::move(v));
}

cables::v1::Cable CableFromRow(const pqxx::row& row) {
  cables::v1::Cable cable;
  cable.set_canonical_id(row[0].c_str());
  cable.set_reference_id(row[1].c_str());
  if (!row[2].is_null()) {
    *cable.mutable_created() = TimestampFromMicros(row[2].as<int64_t>());
  }
  cable.set_origin(row[3].c_str());
  cable.set_classification(row[4].c_str());
  AddArray(row[5].c_str(), cable.mutable_caveats());
  AddArray(row[6].c_str(), cable.mutable_tags());
  cable.set_subject(row[7].c_str());
  AddArray(row[8].c_str(), cable.mutable_signers());
  cable.set_body(row[9].c_str());
  return cable;
}

// The cables of `rows`, completed with their paragraphs and cited ids.
std::vector<cables::v1::Cable> Complete(pqxx::work& tx,
                                        const pqxx::result& rows) {
  std::vector<cables::v1::Cable> cables;
  cables.reserve(rows.size());
  std::vector<std::string> ids;
  absl::flat_hash_map<std::string, size_t> at;
  for (const auto& row : rows) {
    cables.push_back(CableFromRow(row));
    ids.push_back(cables.back().canonical_id());
    at[ids.back()] = cables.size() - 1;
  }
  if (ids.empty()) return cables;
  const std::string array = TextArrayLiteral(ids);
  for (const auto& row : tx.exec_params(kParagraphs, array)) {
    auto it = at.find(row[0].c_str());
    if (it == at.end()) continue;
    auto* p = cables[it->second].add_paragraphs();
    p->set_number(row[1].as<int>());
    p->set_text(row[2].c_str());
  }
  for (const auto& row : tx.exec_params(kCitedIds, array)) {
    auto it = at.find(row[0].c_str());
    if (it == at.end()) continue;
    auto* ref = cables[it->second].add_references();
    ref->set_id(row[1].c_str());
    ref->set_kind(cables::v1::Reference::CABLE);
  }
  return cables;
}

absl::Status CheckLimit(size_t n) {
  if (n < 1 || n > static_cast<size_t>(kMaxBatch)) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch size must be 1..", kMaxBatch));
  }
  return absl::OkStatus();
}

}  // namespace

PgIndexSource::PgIndexSource(std::unique_ptr<ConnectionPool> pool,
                             CableRepository* changes)
    : pool_(std::move(pool)), changes_(changes) {}
PgIndexSource::~PgIndexSource() = default;

absl::StatusOr<std::unique_ptr<PgIndexSource>> PgIndexSource::Open(
    const ConnectionPoolOptions& options, CableRepository* changes) {
  CABLES_ASSIGN_OR_RETURN(auto pool, ConnectionPool::Create(options));
  return std::unique_ptr<PgIndexSource>(
      new PgIndexSource(std::move(pool), changes));
}

absl::StatusOr<std::vector<cables::v1::Cable>> PgIndexSource::ScanCables(
    absl::string_view after_id, int limit) {
  CABLES_RETURN_IF_ERROR(
      CheckLimit(limit < 1 ? 0 : static_cast<size_t>(limit)));
  return pool_->Run("scan cables",
                    [&](pqxx::connection& conn)
                        -> absl::StatusOr<std::vector<cables::v1::Cable>> {
                      pqxx::work tx(conn);
                      const pqxx::result rows = tx.exec_params(
                          absl::StrCat(kCableColumns, kScanCables),
                          std::string(after_id), limit);
                      auto cables = Complete(tx, rows);
                      tx.commit();
                      return cables;
                    });
}

absl::StatusOr<std::vector<cables::v1::Cable>> PgIndexSource::ReadCables(
    absl::Span<const std::string> ids) {
  if (ids.empty()) return std::vector<cables::v1::Cable>();
  CABLES_RETURN_IF_ERROR(CheckLimit(ids.size()));
  const std::string array =
      TextArrayLiteral(std::vector<std::string>(ids.begin(), ids.end()));
  return pool_->Run("read cables",
                    [&](pqxx::connection& conn)
                        -> absl::StatusOr<std::vector<cables::v1::Cable>> {
                      pqxx::work tx(conn);
                      const pqxx::result rows = tx.exec_params(
                          absl::StrCat(kCableColumns, kReadCables), array);
                      auto cables = Complete(tx, rows);
                      tx.commit();
                      return cables;
                    });
}

absl::StatusOr<std::vector<ChangeRecord>> PgIndexSource::ListChanges(
    int64_t after, int limit) {
  return changes_->ListChanges(after, limit);
}

absl::StatusOr<int64_t> PgIndexSource::LastChangePosition() {
  return changes_->LastChangePosition();
}

absl::StatusOr<std::string> PgIndexSource::Identity() {
  return pool_->Run("identity",
                    [](pqxx::connection& conn) -> absl::StatusOr<std::string> {
                      pqxx::nontransaction tx(conn);
                      return std::string(tx.exec(kIdentity)[0][0].c_str());
                    });
}

}  // namespace cables::storage
