#include "storage/metadata/pg_record_store.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/connection_pool.h"
#include "storage/pg_encoding.h"
#include "storage/sql/record_queries.h"
#include "storage/sql/repository_queries.h"

namespace cables::storage {
namespace {

std::string S(absl::string_view sv) { return std::string(sv); }

// NULL (nullptr) for an open bound, else a timestamptz literal in `buf`.
const char* TimeParam(const std::optional<absl::Time>& t, std::string* buf) {
  if (!t.has_value()) return nullptr;
  *buf = absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", *t, absl::UTCTimeZone());
  return buf->c_str();
}

// The filter parameters $1..$5 of a query.
struct FilterParams {
  std::string from_buf, until_buf;
  const char* from;
  const char* until;
  int set_kind;
  std::string values;
  int year;

  explicit FilterParams(const RecordQuery& q)
      : from(TimeParam(q.from, &from_buf)),
        until(TimeParam(q.until, &until_buf)),
        set_kind(static_cast<int>(q.set.kind)),
        values(TextArrayLiteral(q.set.values)),
        year(q.set.year) {}
};

absl::StatusOr<RecordHeader> HeaderFromRow(const pqxx::row& row) {
  RecordHeader h;
  h.canonical_id = row[0].as<std::string>();
  h.position = row[1].as<int64_t>();
  h.datestamp = absl::FromUnixMicros(row[2].as<int64_t>());
  h.deleted = row[3].as<bool>();
  h.origin = row[4].as<std::string>();
  if (!row[5].is_null()) h.created = absl::FromUnixMicros(row[5].as<int64_t>());
  CABLES_ASSIGN_OR_RETURN(h.tags, ParseTextArray(row[6].c_str()));
  if (!row[7].is_null()) {
    const pqxx::binarystring bytes(row[7]);
    cables::v1::Cable cable;
    if (!cable.ParseFromString(bytes.str())) {
      return absl::DataLossError(absl::StrCat(
          "stored cable ", h.canonical_id, " is not a valid cables.v1.Cable"));
    }
    cable.set_canonical_id(h.canonical_id);
    cable.set_version(row[8].as<int>());
    h.cable = std::move(cable);
  }
  return h;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgRecordStore>> PgRecordStore::Open(
    const ConnectionPoolOptions& options) {
  CABLES_ASSIGN_OR_RETURN(auto pool, ConnectionPool::Create(options));
  return std::make_unique<PgRecordStore>(PrivateTag(), std::move(pool));
}

PgRecordStore::PgRecordStore(PrivateTag, std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}

PgRecordStore::~PgRecordStore() = default;

absl::StatusOr<std::vector<RecordHeader>> PgRecordStore::ListRecords(
    const RecordQuery& query) {
  if (query.limit < 1 || query.limit > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("record limit must be 1..1000, got ", query.limit));
  }
  const FilterParams fp(query);
  std::string after_buf;
  const std::optional<absl::Time> after =
      query.has_cursor ? std::optional<absl::Time>(query.after_datestamp)
                       : std::optional<absl::Time>();
  const char* after_time = TimeParam(after, &after_buf);
  return pool_->Run(
      "list records",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::vector<RecordHeader>> {
        pqxx::read_transaction tx(conn);
        const pqxx::result rows = tx.exec_params(
            S(sql::kListRecords), fp.from, fp.until, fp.set_kind, fp.values,
            fp.year, query.with_metadata, query.has_cursor, after_time,
            query.after_position, query.limit);
        std::vector<RecordHeader> out;
        out.reserve(rows.size());
        for (const auto& row : rows) {
          CABLES_ASSIGN_OR_RETURN(RecordHeader h, HeaderFromRow(row));
          out.push_back(std::move(h));
        }
        return out;
      });
}

absl::StatusOr<int64_t> PgRecordStore::CountRecords(const RecordQuery& query) {
  const FilterParams fp(query);
  return pool_->Run("count records",
                    [&](pqxx::connection& conn) -> absl::StatusOr<int64_t> {
                      pqxx::read_transaction tx(conn);
                      return tx
                          .exec_params(S(sql::kCountRecords), fp.from, fp.until,
                                       fp.set_kind, fp.values, fp.year)[0][0]
                          .as<int64_t>();
                    });
}

absl::StatusOr<std::optional<RecordHeader>> PgRecordStore::GetRecord(
    absl::string_view canonical_id, bool with_metadata) {
  return pool_->Run(
      "get record",
      [&](pqxx::connection& conn)
          -> absl::StatusOr<std::optional<RecordHeader>> {
        pqxx::read_transaction tx(conn);
        const pqxx::result rows =
            tx.exec_params(S(sql::kGetRecord), S(canonical_id), with_metadata);
        if (rows.empty()) return std::optional<RecordHeader>();
        CABLES_ASSIGN_OR_RETURN(RecordHeader h, HeaderFromRow(rows[0]));
        return std::optional<RecordHeader>(std::move(h));
      });
}

absl::StatusOr<std::optional<absl::Time>> PgRecordStore::EarliestDatestamp() {
  return pool_->Run(
      "earliest datestamp",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::optional<absl::Time>> {
        pqxx::read_transaction tx(conn);
        const pqxx::field f = tx.exec(S(sql::kEarliestDatestamp))[0][0];
        if (f.is_null()) return std::optional<absl::Time>();
        return std::optional<absl::Time>(absl::FromUnixMicros(f.as<int64_t>()));
      });
}

absl::StatusOr<RecordSetValues> PgRecordStore::ListSetValues() {
  return pool_->Run(
      "list set values",
      [&](pqxx::connection& conn) -> absl::StatusOr<RecordSetValues> {
        pqxx::read_transaction tx(conn);
        RecordSetValues out;
        for (const auto& row : tx.exec(S(sql::kSetValues))) {
          const std::string kind = row[0].as<std::string>();
          std::string value = row[1].as<std::string>();
          if (kind == "origin") {
            out.origins.push_back(std::move(value));
          } else if (kind == "tag") {
            out.tags.push_back(std::move(value));
          } else {
            int year = 0;
            if (absl::SimpleAtoi(value, &year)) out.years.push_back(year);
          }
        }
        std::sort(out.origins.begin(), out.origins.end());
        std::sort(out.years.begin(), out.years.end());
        std::sort(out.tags.begin(), out.tags.end());
        return out;
      });
}

absl::StatusOr<absl::Time> PgRecordStore::CommittedBefore() {
  return pool_->Run("committed before",
                    [&](pqxx::connection& conn) -> absl::StatusOr<absl::Time> {
                      pqxx::work tx(conn);
                      const int64_t micros =
                          tx.exec_params(S(sql::kCommittedBefore),
                                         sql::kChangeLogLockKey)[0][1]
                              .as<int64_t>();
                      tx.commit();  // releases the lock
                      return absl::FromUnixMicros(micros);
                    });
}

}  // namespace cables::storage
