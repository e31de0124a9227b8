#include "storage/pg_cable_repository.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "services/ingest/parser/cable_id.h"
#include "services/ingest/parser/content_hash.h"
#include "storage/connection_pool.h"
#include "storage/deferred_indexes.h"
#include "storage/filter_sql.h"
#include "storage/migrator.h"
#include "storage/pg_encoding.h"
#include "storage/pqxx_status.h"
#include "storage/prepared_statement.h"
#include "storage/sql/repository_queries.h"
#include "storage/sql/tombstone_queries.h"

namespace cables::storage {
namespace {

using cables::v1::Cable;

constexpr int kMaxBatchGet = 1000;
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;

std::string S(absl::string_view sv) { return std::string(sv); }

// The reads of GetCable, BatchGetCables, versions and the reference graph,
// prepared on every connection of the pool.
constexpr PreparedStatement kResolveIds = {"resolve_ids", sql::kResolveIds};
constexpr PreparedStatement kResolveId = {"resolve_id", sql::kResolveId};
constexpr PreparedStatement kSelectCurrentVersions = {
    "select_current_versions", sql::kSelectCurrentVersions};
constexpr PreparedStatement kSelectCurrentVersion = {
    "select_current_version", sql::kSelectCurrentVersion};
constexpr PreparedStatement kSelectParagraphs = {"select_paragraphs",
                                                 sql::kSelectParagraphs};
constexpr PreparedStatement kSelectParagraphsOf = {"select_paragraphs_of",
                                                   sql::kSelectParagraphsOf};
constexpr PreparedStatement kSelectVersion = {"select_version",
                                              sql::kSelectVersion};
constexpr PreparedStatement kSelectVersions = {"select_versions",
                                               sql::kSelectVersions};
constexpr PreparedStatement kSelectReferences = {"select_references",
                                                 sql::kSelectReferences};
constexpr PreparedStatement kSelectCitedBy = {"select_cited_by",
                                              sql::kSelectCitedBy};
constexpr PreparedStatement kCountCitedBy = {"count_cited_by",
                                             sql::kCountCitedBy};
constexpr const PreparedStatement* kPreparedReads[] = {
    &kResolveIds,           &kResolveId,        &kSelectCurrentVersions,
    &kSelectCurrentVersion, &kSelectParagraphs, &kSelectParagraphsOf,
    &kSelectVersion,        &kSelectVersions,   &kSelectReferences,
    &kSelectCitedBy,        &kCountCitedBy};

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (const char c : s) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

absl::Status Validate(const Cable& cable) {
  if (cable.canonical_id().empty()) {
    return absl::InvalidArgumentError("cable has no canonical_id");
  }
  if (!IsLowerHex64(cable.content_sha256())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cable ", cable.canonical_id(),
        ": content_sha256 must be 64 lower-case hex digits, got \"",
        cable.content_sha256().substr(0, 80), "\""));
  }
  return absl::OkStatus();
}

// The cable without what is stored in columns of its own (header, body,
// paragraphs) and without what the storage layer sets (name, version).
std::string SerializeRest(const Cable& cable) {
  Cable rest = cable;
  rest.clear_header();
  rest.clear_body();
  rest.clear_paragraphs();
  rest.clear_name();
  rest.clear_version();
  rest.clear_content_sha512();  // the column content_sha512 holds it
  std::string bytes;
  rest.SerializeToString(&bytes);
  return bytes;
}

// Lower-case hex SHA-512 of the canonical content serialization, the bytes
// content_sha256 covers (parser/content_hash.h). "" only when OpenSSL fails
// to allocate (the column's CHECK then refuses the write).
std::string ContentSha512(const Cable& cable) {
  const std::string bytes = parser::ContentSerialization(cable);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha512(),
                 nullptr) != 1) {
    return "";
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

// The provenance parameters of kMergeInsertEvents.
struct EventParams {
  std::string agent;
  std::string types, outcomes, details;  // text[] literals

  EventParams(const WriteProvenance& provenance,
              absl::string_view default_agent)
      : agent(provenance.agent.empty() ? std::string(default_agent)
                                       : provenance.agent) {
    std::vector<std::string> t, o, d;
    for (const auto& e : provenance.extra_events) {
      t.emplace_back(EventTypeName(e.type));
      o.emplace_back(e.success ? "success" : "failure");
      d.push_back(WithoutNul(e.detail));
    }
    types = TextArrayLiteral(t);
    outcomes = TextArrayLiteral(o);
    details = TextArrayLiteral(d);
  }
};

// NULL for an unset timestamp.
const char* OptionalTimestamp(bool present,
                              const google::protobuf::Timestamp& ts,
                              std::string* storage) {
  if (!present) return nullptr;
  *storage = TimestampLiteral(ts);
  return storage->c_str();
}

// `sources`: per original index (ords[i]), or empty to use `source`.
void StageCables(pqxx::work& tx, absl::Span<const Cable> cables,
                 absl::Span<const int> ords, absl::string_view source,
                 absl::Span<const std::string> sources) {
  static const std::vector<std::string> kCableColumns = {
      "ord",
      "canonical_id",
      "reference_id",
      "created",
      "released",
      "origin",
      "classification",
      "caveats",
      "tags",
      "tag_kinds",
      "subject",
      "summary",
      "signers",
      "classified_by",
      "classification_reasons",
      "declassify_on",
      "partial",
      "redacted",
      "transmission_id",
      "source_format",
      "paragraph_count",
      "reference_count",
      "content_sha256",
      "content_sha512",
      "source",
      "header",
      "body",
      "cable"};
  static const std::vector<std::string> kParagraphColumns = {
      "ord", "position", "number", "marking", "heading", "text"};
  static const std::vector<std::string> kReferenceColumns = {
      "ord", "position", "cited_id", "kind", "letter", "text"};
  static const std::vector<std::string> kRecipientColumns = {
      "ord", "position", "kind", "route", "name", "precedence", "mcn"};

  const std::string source_text = WithoutNul(source);
  bool any_paragraphs = false, any_references = false, any_recipients = false;
  {
    pqxx::stream_to out(tx, S(sql::kStgCables), kCableColumns);
    std::string created_buf, released_buf;
    for (size_t i = 0; i < cables.size(); ++i) {
      const Cable& c = cables[i];
      any_paragraphs |= c.paragraphs_size() > 0;
      any_references |= c.references_size() > 0;
      any_recipients |= c.recipients_size() > 0;
      std::vector<int> kinds(c.tag_kinds().begin(), c.tag_kinds().end());
      kinds.resize(c.tags_size(), 0);
      out << std::make_tuple(
          ords[i], c.canonical_id(), c.reference_id(),
          OptionalTimestamp(c.has_created(), c.created(), &created_buf),
          OptionalTimestamp(c.has_released(), c.released(), &released_buf),
          c.origin(), c.classification(), TextArrayLiteralOf(c.caveats()),
          TextArrayLiteralOf(c.tags()), IntArrayLiteral(kinds), c.subject(),
          c.summary(), TextArrayLiteralOf(c.signers()),
          TextArrayLiteralOf(c.classified_by()),
          TextArrayLiteralOf(c.classification_reasons()), c.declassify_on(),
          c.partial(), c.redacted(), c.transmission_id(),
          static_cast<int>(c.source_format()), c.paragraphs_size(),
          c.references_size(), c.content_sha256(), ContentSha512(c),
          sources.empty() ? source_text : WithoutNul(sources[ords[i]]),
          c.header(), c.body(), ByteaHex(SerializeRest(c)));
    }
    out.complete();
  }
  if (any_paragraphs) {
    pqxx::stream_to out(tx, S(sql::kStgParagraphs), kParagraphColumns);
    for (size_t i = 0; i < cables.size(); ++i) {
      int position = 0;
      for (const auto& p : cables[i].paragraphs()) {
        out << std::make_tuple(ords[i], position++, p.number(), p.marking(),
                               p.heading(), p.text());
      }
    }
    out.complete();
  }
  if (any_references) {
    pqxx::stream_to out(tx, S(sql::kStgReferences), kReferenceColumns);
    for (size_t i = 0; i < cables.size(); ++i) {
      int position = 0;
      for (const auto& r : cables[i].references()) {
        out << std::make_tuple(ords[i], position++, r.id(),
                               static_cast<int>(r.kind()), r.letter(),
                               r.text());
      }
    }
    out.complete();
  }
  if (any_recipients) {
    pqxx::stream_to out(tx, S(sql::kStgRecipients), kRecipientColumns);
    for (size_t i = 0; i < cables.size(); ++i) {
      int position = 0;
      for (const auto& r : cables[i].recipients()) {
        out << std::make_tuple(ords[i], position++, static_cast<int>(r.kind()),
                               r.route(), r.name(),
                               static_cast<int>(r.precedence()), r.mcn());
      }
    }
    out.complete();
  }
}

// Merges the staged round; fills results[ord].
void Merge(pqxx::work& tx, const EventParams& events, bool defer_vectors,
           std::vector<UpsertResult>& results) {
  tx.exec(S(sql::kMergeMarkUnchanged));
  tx.exec(S(sql::kMergeReviveVersions));
  tx.exec_params(S(sql::kMergeInsertNew), defer_vectors);
  const pqxx::result locked = tx.exec(S(sql::kMergeLockExisting));
  if (!locked.empty()) {
    tx.exec(S(sql::kMergeMarkUnchanged));
    tx.exec(S(sql::kMergeMarkNewVersion));
    tx.exec(S(sql::kMergeFacetsOld));
    tx.exec_params(S(sql::kMergeUpdateCurrent), defer_vectors);
    tx.exec(S(sql::kMergeDeleteOldLists));
  }
  tx.exec(S(sql::kMergeInsertParagraphs));  // before the versions (1b)
  tx.exec(S(sql::kMergeInsertVersions));
  tx.exec(S(sql::kMergeInsertTags));
  tx.exec(S(sql::kMergeInsertReferences));
  tx.exec(S(sql::kMergeInsertRecipients));
  tx.exec(S(sql::kMergeDictionaries));
  tx.exec(S(sql::kMergeAliases));
  tx.exec(S(sql::kMergeFacetsNew));
  tx.exec(S(sql::kMergeApplyFacets));
  tx.exec(S(sql::kMergeStageChanges));
  tx.exec_params(S(sql::kMergeInsertEvents), events.agent, events.types,
                 events.outcomes, events.details);
  for (const auto& row : tx.exec(S(sql::kMergeOutcomes))) {
    const int ord = row[0].as<int>();
    if (row[1].is_null()) {
      // Its cables row vanished between steps 2 and 3: deleted by a
      // concurrent DeleteCable. The pool re-runs the whole transaction.
      throw pqxx::serialization_failure(
          "cable deleted concurrently with its write; retrying");
    }
    const std::string outcome = row[1].as<std::string>();
    UpsertResult& r = results[ord];
    r.version = row[2].as<int>();
    if (outcome == "created") {
      r.outcome = UpsertOutcome::kCreated;
    } else if (outcome == "new_version") {
      r.outcome = UpsertOutcome::kNewVersion;
    } else {
      r.outcome = UpsertOutcome::kUnchanged;
    }
  }
}

std::optional<absl::Time> OptionalMicros(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return absl::FromUnixMicros(f.as<int64_t>());
}

std::string Bytes(const pqxx::field& f) {
  const pqxx::binarystring b(f);
  return b.str();
}

// Builds the complete cable of one version row (id, version, header, body,
// cable[, content_sha512]); paragraphs are added by the caller.
absl::StatusOr<Cable> CableFromRow(const pqxx::row& row) {
  Cable cable;
  if (!cable.ParseFromString(Bytes(row[4]))) {
    return absl::DataLossError(absl::StrCat("stored cable ",
                                            row[0].as<std::string>(),
                                            " is not a valid cables.v1.Cable"));
  }
  cable.set_canonical_id(row[0].as<std::string>());
  cable.set_version(row[1].as<int>());
  cable.set_header(row[2].as<std::string>());
  cable.set_body(row[3].as<std::string>());
  if (row.size() > 5 && !row[5].is_null()) {
    cable.set_content_sha512(row[5].as<std::string>());
  }
  return cable;
}

// Adds the stored paragraphs to the cables (each keyed by id and version).
void AddParagraphs(pqxx::transaction_base& tx, std::vector<Cable*> cables) {
  if (cables.empty()) return;
  std::vector<std::string> ids;
  std::vector<int> versions;
  std::map<std::pair<std::string, int>, Cable*> by_key;
  for (Cable* c : cables) {
    ids.push_back(c->canonical_id());
    versions.push_back(c->version());
    by_key[{c->canonical_id(), c->version()}] = c;
  }
  const pqxx::result rows =
      cables.size() == 1
          ? tx.exec_prepared(kSelectParagraphsOf.name, ids[0], versions[0])
          : tx.exec_prepared(kSelectParagraphs.name, TextArrayLiteral(ids),
                             IntArrayLiteral(versions));
  for (const auto& row : rows) {
    auto it = by_key.find({row[0].as<std::string>(), row[1].as<int>()});
    if (it == by_key.end()) continue;
    auto* p = it->second->add_paragraphs();
    p->set_number(row[2].as<int>());
    p->set_marking(row[3].as<std::string>());
    p->set_heading(row[4].as<std::string>());
    p->set_text(row[5].as<std::string>());
  }
}

// The canonical ids `ids` name in the archive (nullopt when absent): stored
// ids and recorded aliases in one query, then the parser's canonical form of
// the ones still unknown.
std::vector<std::optional<std::string>> ResolveMany(
    pqxx::transaction_base& tx, absl::Span<const std::string> ids) {
  std::vector<std::optional<std::string>> out(ids.size());
  const auto lookup = [&](const std::vector<std::string>& keys,
                          const std::vector<size_t>& slots) {
    const pqxx::result rows =
        keys.size() == 1
            ? tx.exec_prepared(kResolveId.name, keys[0])
            : tx.exec_prepared(kResolveIds.name, TextArrayLiteral(keys));
    for (const auto& row : rows) {
      out[slots[row[0].as<int64_t>() - 1]] = row[1].as<std::string>();
    }
  };
  std::vector<std::string> keys(ids.begin(), ids.end());
  std::vector<size_t> slots(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) slots[i] = i;
  lookup(keys, slots);
  keys.clear();
  slots.clear();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (out[i]) continue;
    absl::StatusOr<std::string> canonical = parser::CanonicalizeCableId(ids[i]);
    if (canonical.ok() && *canonical != ids[i]) {
      keys.push_back(*std::move(canonical));
      slots.push_back(i);
    }
  }
  if (!keys.empty()) lookup(keys, slots);
  return out;
}

std::optional<std::string> Resolve(pqxx::work& tx, absl::string_view id) {
  const std::string key(id);
  return ResolveMany(tx, absl::MakeConstSpan(&key, 1))[0];
}

absl::Status NotFound(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("cable ", id, " not found"));
}

// FNV-1a over `parts`, each followed by a separator byte.
uint64_t HashParts(std::initializer_list<absl::string_view> parts) {
  uint64_t h = 1469598103934665603ull;
  const auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  for (absl::string_view part : parts) {
    for (const unsigned char c : part) mix(c);
    mix(0xff);
  }
  return h;
}

// The query's identity, so a token is only accepted by the query that
// produced it.
uint64_t Fingerprint(const ListCablesRequest& request) {
  return HashParts({CableFilterKey(request.filter),
                    request.order == SortOrder::kNewestFirst ? "desc" : "asc",
                    absl::StrCat(static_cast<int>(request.sort_key))});
}

// Ties a cited-by page token to the cable whose citations it pages.
uint64_t CitedByFingerprint(absl::string_view canonical_id) {
  return HashParts({"cited-by", canonical_id});
}

std::string ListQuery(const ListCablesRequest& request,
                      absl::string_view filter_sql) {
  const bool desc = request.order == SortOrder::kNewestFirst;
  absl::string_view micros = sql::kListCreatedMicros;
  absl::string_view keyset =
      desc ? sql::kKeysetCreatedBefore : sql::kKeysetCreatedAfter;
  absl::string_view order =
      desc ? sql::kOrderCreatedDesc : sql::kOrderCreatedAsc;
  if (request.sort_key == SortKey::kReleased) {
    micros = sql::kListReleasedMicros;
    keyset = desc ? sql::kKeysetReleasedBefore : sql::kKeysetReleasedAfter;
    order = desc ? sql::kOrderReleasedDesc : sql::kOrderReleasedAsc;
  } else if (request.sort_key == SortKey::kId) {
    micros = sql::kListNoMicros;
    keyset = desc ? sql::kKeysetIdBefore : sql::kKeysetIdAfter;
    order = desc ? sql::kOrderIdDesc : sql::kOrderIdAsc;
  }
  return absl::StrCat(sql::kListHead, micros, sql::kListFrom, filter_sql,
                      keyset, order);
}

// Appends the transaction's staged changes to the change log. Must be the
// last statement before commit: the lock it takes is held until then.
void AppendChanges(pqxx::work& tx) {
  if (!tx.exec(S(sql::kHasStagedChanges))[0][0].as<bool>()) return;
  tx.exec_params(S(sql::kChangeLogLock), sql::kChangeLogLockKey);
  tx.exec(S(sql::kAppendChanges));
}

}  // namespace

PgCableRepository::PgCableRepository(PrivateTag,
                                     std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}

PgCableRepository::~PgCableRepository() = default;

absl::StatusOr<std::unique_ptr<PgCableRepository>> PgCableRepository::Open(
    const ConnectionPoolOptions& options) {
  if (options.database_url.empty()) {
    return absl::InvalidArgumentError(
        "no database URL: set DATABASE_URL (e.g. from tools/embedded-pg "
        "start)");
  }
  CABLES_RETURN_IF_ERROR(Migrator().Check(options.database_url));
  // A read replica cannot hold temporary tables; it is never written.
  const bool read_only = options.read_only;
  CABLES_ASSIGN_OR_RETURN(
      std::unique_ptr<ConnectionPool> pool,
      ConnectionPool::Create(options, [read_only](pqxx::connection& conn) {
        RegisterPrepared(conn, kPreparedReads);
        if (read_only) return;
        pqxx::nontransaction tx(conn);
        tx.exec(S(sql::kCreateStagingTables));
      }));
  auto repository =
      std::make_unique<PgCableRepository>(PrivateTag(), std::move(pool));
  repository->default_agent_ = options.application_name;
  return repository;
}

absl::StatusOr<UpsertResult> PgCableRepository::UpsertCable(
    const Cable& cable, absl::string_view source) {
  CABLES_ASSIGN_OR_RETURN(std::vector<UpsertResult> results,
                          BulkUpsert(absl::MakeConstSpan(&cable, 1), source));
  return results.front();
}

absl::StatusOr<std::vector<UpsertResult>> PgCableRepository::BulkUpsert(
    absl::Span<const Cable> cables, absl::string_view source) {
  return BulkUpsertWithProvenance(cables, source, WriteProvenance());
}

absl::StatusOr<std::vector<UpsertResult>>
PgCableRepository::BulkUpsertWithProvenance(absl::Span<const Cable> cables,
                                            absl::string_view source,
                                            const WriteProvenance& provenance) {
  if (!provenance.sources.empty() &&
      provenance.sources.size() != cables.size()) {
    return absl::InvalidArgumentError(
        "provenance.sources must hold one source per cable");
  }
  const EventParams events(provenance, default_agent_);
  std::vector<UpsertResult> results(cables.size());
  if (cables.empty()) return results;
  // Rounds: the k-th occurrence of an id goes to round k, so every round
  // holds distinct ids and occurrences apply in input order.
  std::vector<std::vector<int>> rounds;
  {
    absl::flat_hash_map<absl::string_view, int> seen;
    seen.reserve(cables.size());
    for (size_t i = 0; i < cables.size(); ++i) {
      CABLES_RETURN_IF_ERROR(Validate(cables[i]));
      results[i].canonical_id = cables[i].canonical_id();
      const int round = seen[cables[i].canonical_id()]++;
      if (round >= static_cast<int>(rounds.size())) rounds.emplace_back();
      rounds[round].push_back(static_cast<int>(i));
    }
  }
  return pool_->Run(
      "bulk upsert",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::vector<UpsertResult>> {
        pqxx::work tx(conn);
        for (size_t r = 0; r < rounds.size(); ++r) {
          if (r > 0) tx.exec(S(sql::kTruncateStaging));
          if (rounds.size() == 1) {
            StageCables(tx, cables, rounds[0], source, provenance.sources);
          } else {
            std::vector<Cable> subset;
            subset.reserve(rounds[r].size());
            for (const int i : rounds[r]) subset.push_back(cables[i]);
            StageCables(tx, subset, rounds[r], source, provenance.sources);
          }
          Merge(tx, events, provenance.defer_search_vectors, results);
        }
        AppendChanges(tx);
        tx.commit();
        return results;
      });
}

absl::StatusOr<std::string> PgCableRepository::ResolveId(absl::string_view id) {
  return pool_->Run("resolve id",
                    [&](pqxx::connection& conn) -> absl::StatusOr<std::string> {
                      pqxx::work tx(conn);
                      std::optional<std::string> found = Resolve(tx, id);
                      if (!found) return NotFound(id);
                      return *found;
                    });
}

absl::StatusOr<Cable> PgCableRepository::GetCable(absl::string_view id) {
  CABLES_ASSIGN_OR_RETURN(auto cables, BatchGetCables({std::string(id)}));
  if (!cables[0].has_value()) return NotFound(id);
  return *std::move(cables[0]);
}

absl::StatusOr<std::vector<std::optional<Cable>>>
PgCableRepository::BatchGetCables(absl::Span<const std::string> ids) {
  if (ids.size() > static_cast<size_t>(kMaxBatchGet)) {
    return absl::InvalidArgumentError(
        absl::StrCat("at most ", kMaxBatchGet, " ids per batch get"));
  }
  return pool_->Run(
      "batch get cables",
      [&](pqxx::connection& conn)
          -> absl::StatusOr<std::vector<std::optional<Cable>>> {
        // Three reads, no BEGIN/COMMIT: ids and aliases only grow, and the
        // paragraphs are read by (id, version) of the rows just read, which
        // never change -- so every statement sees a consistent answer.
        pqxx::nontransaction tx(conn);
        const std::vector<std::optional<std::string>> resolved =
            ResolveMany(tx, ids);
        std::vector<std::string> wanted;
        for (const auto& r : resolved) {
          if (r) wanted.push_back(*r);
        }
        absl::flat_hash_map<std::string, Cable> found;
        if (!wanted.empty()) {
          const pqxx::result rows =
              wanted.size() == 1
                  ? tx.exec_prepared(kSelectCurrentVersion.name, wanted[0])
                  : tx.exec_prepared(kSelectCurrentVersions.name,
                                     TextArrayLiteral(wanted));
          for (const auto& row : rows) {
            CABLES_ASSIGN_OR_RETURN(Cable cable, CableFromRow(row));
            std::string key = cable.canonical_id();
            found.emplace(std::move(key), std::move(cable));
          }
          std::vector<Cable*> all;
          for (auto& [key, cable] : found) all.push_back(&cable);
          AddParagraphs(tx, all);
        }
        std::vector<std::optional<Cable>> out;
        out.reserve(ids.size());
        for (const auto& r : resolved) {
          auto it = r ? found.find(*r) : found.end();
          if (it == found.end()) {
            out.emplace_back(std::nullopt);
          } else {
            out.emplace_back(it->second);
          }
        }
        return out;
      });
}

absl::StatusOr<ListCablesResponse> PgCableRepository::ListCables(
    const ListCablesRequest& request) {
  const int page_size =
      request.page_size == 0 ? kDefaultPageSize : request.page_size;
  if (page_size < 1 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size must be 1..", kMaxPageSize));
  }
  const uint64_t fingerprint = Fingerprint(request);
  std::optional<PageCursor> cursor;
  if (!request.page_token.empty()) {
    CABLES_ASSIGN_OR_RETURN(cursor, DecodePageCursor(request.page_token));
    if (cursor->query_fingerprint != fingerprint) {
      return absl::InvalidArgumentError(
          "page token belongs to a different query (filter or order changed)");
    }
  }
  CABLES_ASSIGN_OR_RETURN(const SqlFilter filter,
                          CompileCableFilter(request.filter, 5));
  std::string sort_key = "-infinity";
  std::string after_id;
  if (cursor) {
    if (cursor->sort_micros) {
      sort_key = TimestampLiteral(TimestampFromMicros(*cursor->sort_micros));
    }
    after_id = cursor->canonical_id;
  }
  const std::string query = ListQuery(request, filter.where);
  std::vector<std::string> params = {cursor.has_value() ? "true" : "false",
                                     sort_key, after_id,
                                     absl::StrCat(page_size + 1)};
  params.insert(params.end(), filter.params.begin(), filter.params.end());
  return pool_->Run(
      "list cables",
      [&](pqxx::connection& conn) -> absl::StatusOr<ListCablesResponse> {
        pqxx::work tx(conn);
        const pqxx::result rows =
            tx.exec_params(query, pqxx::prepare::make_dynamic_params(params));
        ListCablesResponse response;
        const int n = std::min<int>(rows.size(), page_size);
        for (int i = 0; i < n; ++i) {
          const auto& row = rows[i];
          Cable cable;
          if (!cable.ParseFromString(Bytes(row[2]))) {
            return absl::DataLossError(absl::StrCat(
                "stored cable ", row[0].as<std::string>(), " is corrupt"));
          }
          cable.set_canonical_id(row[0].as<std::string>());
          cable.set_version(row[3].as<int>());
          response.cables.push_back(std::move(cable));
        }
        if (static_cast<int>(rows.size()) > page_size) {
          const auto& last = rows[page_size - 1];
          PageCursor next;
          if (!last[1].is_null()) next.sort_micros = last[1].as<int64_t>();
          next.canonical_id = last[0].as<std::string>();
          next.query_fingerprint = fingerprint;
          response.next_page_token = EncodePageCursor(next);
        }
        return response;
      });
}

absl::StatusOr<FacetCounts> PgCableRepository::GetFacetCounts(
    const CableFilter& filter, int limit) {
  if (limit < 1) return absl::InvalidArgumentError("facet limit must be >= 1");
  const bool unfiltered = IsUnfiltered(filter);
  CABLES_ASSIGN_OR_RETURN(const SqlFilter compiled,
                          CompileCableFilter(filter, 2));
  const std::string query = absl::StrCat(sql::kFacetCountsHead, compiled.where,
                                         sql::kFacetCountsTail);
  std::vector<std::string> params = {absl::StrCat(limit)};
  params.insert(params.end(), compiled.params.begin(), compiled.params.end());
  return pool_->Run(
      "facet counts",
      [&](pqxx::connection& conn) -> absl::StatusOr<FacetCounts> {
        pqxx::work tx(conn);
        FacetCounts counts;
        const pqxx::result rows =
            unfiltered ? tx.exec_params(S(sql::kFacetCountsAll), limit)
                       : tx.exec_params(
                             query, pqxx::prepare::make_dynamic_params(params));
        for (const auto& row : rows) {
          const std::string facet = row[0].as<std::string>();
          FacetValue value{row[1].as<std::string>(), row[2].as<int64_t>()};
          if (facet == "total") {
            counts.total = value.count;
          } else if (facet == "origin") {
            counts.origins.push_back(std::move(value));
          } else if (facet == "classification") {
            counts.classifications.push_back(std::move(value));
          } else if (facet == "caveat") {
            counts.caveats.push_back(std::move(value));
          } else if (facet == "tag") {
            counts.tags.push_back(std::move(value));
          } else if (facet == "year") {
            counts.years.push_back(std::move(value));
          }
        }
        // Counter rows come in no particular order.
        const auto by_count = [](const FacetValue& a, const FacetValue& b) {
          return a.count != b.count ? a.count > b.count : a.value < b.value;
        };
        for (auto* v : {&counts.origins, &counts.classifications,
                        &counts.caveats, &counts.tags}) {
          std::sort(v->begin(), v->end(), by_count);
        }
        std::sort(counts.years.begin(), counts.years.end(),
                  [](const FacetValue& a, const FacetValue& b) {
                    return a.value < b.value;
                  });
        return counts;
      });
}

absl::StatusOr<std::vector<ReferenceInfo>> PgCableRepository::GetReferences(
    absl::string_view id) {
  return pool_->Run(
      "get references",
      [&](pqxx::connection& conn)
          -> absl::StatusOr<std::vector<ReferenceInfo>> {
        pqxx::work tx(conn);
        const std::optional<std::string> canonical = Resolve(tx, id);
        if (!canonical) return NotFound(id);
        std::vector<ReferenceInfo> refs;
        for (const auto& row :
             tx.exec_prepared(kSelectReferences.name, *canonical)) {
          ReferenceInfo info;
          info.reference.set_id(row[0].as<std::string>());
          info.reference.set_kind(
              static_cast<cables::v1::Reference::Kind>(row[1].as<int>()));
          info.reference.set_letter(row[2].as<std::string>());
          info.reference.set_text(row[3].as<std::string>());
          info.in_archive = row[4].as<bool>();
          info.cited_subject = row[5].as<std::string>();
          info.cited_created = OptionalMicros(row[6]);
          refs.push_back(std::move(info));
        }
        return refs;
      });
}

absl::StatusOr<CitedByPage> PgCableRepository::GetCitedBy(
    absl::string_view id, int limit, absl::string_view page_token) {
  if (limit < 1) return absl::InvalidArgumentError("limit must be >= 1");
  std::optional<PageCursor> cursor;
  if (!page_token.empty()) {
    CABLES_ASSIGN_OR_RETURN(cursor, DecodePageCursor(page_token));
  }
  return pool_->Run(
      "get cited by",
      [&](pqxx::connection& conn) -> absl::StatusOr<CitedByPage> {
        pqxx::work tx(conn);
        std::optional<std::string> canonical = Resolve(tx, id);
        if (!canonical) {
          // Not in the archive (yet): cited-by still works on its canonical
          // form, since references keep ids of absent cables.
          absl::StatusOr<std::string> c = parser::CanonicalizeCableId(id);
          canonical = c.ok() ? *c : std::string(id);
        }
        const uint64_t fingerprint = CitedByFingerprint(*canonical);
        if (cursor && cursor->query_fingerprint != fingerprint) {
          return absl::InvalidArgumentError(
              "page token belongs to the citations of another cable");
        }
        CitedByPage page;
        page.total = tx.exec_prepared(kCountCitedBy.name, *canonical)[0][0]
                         .as<int64_t>();
        const std::string sort_key =
            cursor && cursor->sort_micros
                ? TimestampLiteral(TimestampFromMicros(*cursor->sort_micros))
                : "-infinity";
        const pqxx::result rows = tx.exec_prepared(
            kSelectCitedBy.name, *canonical, limit + 1, cursor.has_value(),
            sort_key, cursor ? cursor->canonical_id : std::string());
        const int n = std::min<int>(rows.size(), limit);
        for (int i = 0; i < n; ++i) {
          const auto& row = rows[i];
          CitingCable c;
          c.canonical_id = row[0].as<std::string>();
          c.subject = row[1].as<std::string>();
          c.created = OptionalMicros(row[2]);
          c.letter = row[3].as<std::string>();
          page.cables.push_back(std::move(c));
        }
        if (static_cast<int>(rows.size()) > limit) {
          PageCursor next;
          if (!rows[limit - 1][2].is_null()) {
            next.sort_micros = rows[limit - 1][2].as<int64_t>();
          }
          next.canonical_id = page.cables.back().canonical_id;
          next.query_fingerprint = fingerprint;
          page.next_page_token = EncodePageCursor(next);
        }
        return page;
      });
}

absl::StatusOr<std::vector<VersionInfo>> PgCableRepository::ListVersions(
    absl::string_view id) {
  return pool_->Run(
      "list versions",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::vector<VersionInfo>> {
        pqxx::work tx(conn);
        const std::optional<std::string> canonical = Resolve(tx, id);
        if (!canonical) return NotFound(id);
        std::vector<VersionInfo> out;
        for (const auto& row :
             tx.exec_prepared(kSelectVersions.name, *canonical)) {
          VersionInfo v;
          v.version = row[0].as<int>();
          v.content_sha256 = row[1].as<std::string>();
          v.source = row[2].as<std::string>();
          v.source_format =
              static_cast<cables::v1::SourceFormat>(row[3].as<int>());
          v.ingested_at = absl::FromUnixMicros(row[4].as<int64_t>());
          v.current = row[5].as<bool>();
          out.push_back(std::move(v));
        }
        return out;
      });
}

absl::StatusOr<Cable> PgCableRepository::GetVersion(absl::string_view id,
                                                    int version) {
  return pool_->Run(
      "get version", [&](pqxx::connection& conn) -> absl::StatusOr<Cable> {
        pqxx::work tx(conn);
        const std::optional<std::string> canonical = Resolve(tx, id);
        if (!canonical) return NotFound(id);
        const pqxx::result rows =
            tx.exec_prepared(kSelectVersion.name, *canonical, version);
        if (rows.empty()) {
          return absl::NotFoundError(
              absl::StrCat("cable ", id, " has no version ", version));
        }
        CABLES_ASSIGN_OR_RETURN(Cable cable, CableFromRow(rows[0]));
        AddParagraphs(tx, {&cable});
        return cable;
      });
}

absl::StatusOr<std::vector<ChangeRecord>> PgCableRepository::ListChanges(
    int64_t after, int limit) {
  if (limit < 1 || limit > 10000) {
    return absl::InvalidArgumentError(
        absl::StrCat("change log limit must be 1..10000, got ", limit));
  }
  return pool_->Run(
      "list changes",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::vector<ChangeRecord>> {
        pqxx::read_transaction tx(conn);
        std::vector<ChangeRecord> out;
        for (const auto& row :
             tx.exec_params(S(sql::kListChanges), after, limit)) {
          ChangeRecord c;
          c.position = row[0].as<int64_t>();
          c.canonical_id = row[1].as<std::string>();
          c.version = row[2].as<int>();
          c.kind = static_cast<ChangeKind>(row[3].as<int>());
          c.content_sha256 = row[4].as<std::string>();
          c.changed_at = absl::FromUnixMicros(row[5].as<int64_t>());
          out.push_back(std::move(c));
        }
        return out;
      });
}

absl::StatusOr<int64_t> PgCableRepository::LastChangePosition() {
  return pool_->Run(
      "last change position",
      [&](pqxx::connection& conn) -> absl::StatusOr<int64_t> {
        pqxx::read_transaction tx(conn);
        return tx.exec(S(sql::kLastChangePosition))[0][0].as<int64_t>();
      });
}

namespace {

// The candidate keys of `id` for a tombstone lookup: itself and its
// canonical form.
std::vector<std::string> TombstoneKeys(absl::string_view id) {
  std::vector<std::string> keys = {std::string(id)};
  absl::StatusOr<std::string> canonical = parser::CanonicalizeCableId(id);
  if (canonical.ok() && *canonical != id) keys.push_back(*std::move(canonical));
  return keys;
}

std::optional<Tombstone> FindTombstone(pqxx::transaction_base& tx,
                                       absl::string_view id) {
  const pqxx::result rows = tx.exec_params(S(sql::kSelectTombstone),
                                           TextArrayLiteral(TombstoneKeys(id)));
  if (rows.empty()) return std::nullopt;
  Tombstone t;
  t.canonical_id = rows[0][0].as<std::string>();
  t.version = rows[0][1].as<int>();
  t.content_sha256 = rows[0][2].as<std::string>();
  t.reason = rows[0][3].as<std::string>();
  t.deleted_at = absl::FromUnixMicros(rows[0][4].as<int64_t>());
  t.position = rows[0][5].as<int64_t>();
  return t;
}

absl::Status DeletedNotFound(const Tombstone& t) {
  return absl::NotFoundError(absl::StrCat(
      "cable ", t.canonical_id, " was deleted at ",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t.deleted_at, absl::UTCTimeZone()),
      t.reason.empty() ? "" : absl::StrCat(" (", t.reason, ")")));
}

}  // namespace

absl::StatusOr<Tombstone> PgCableRepository::DeleteCable(
    absl::string_view id, absl::string_view reason) {
  const std::string reason_text = WithoutNul(reason);
  return pool_->Run(
      "delete cable", [&](pqxx::connection& conn) -> absl::StatusOr<Tombstone> {
        pqxx::work tx(conn);
        const std::optional<std::string> canonical = Resolve(tx, id);
        if (!canonical) {
          if (auto t = FindTombstone(tx, id)) return DeletedNotFound(*t);
          return NotFound(id);
        }
        const pqxx::result locked =
            tx.exec_params(S(sql::kDeleteLockCable), *canonical);
        if (locked.empty()) {
          // Deleted by a concurrent call after Resolve.
          if (auto t = FindTombstone(tx, *canonical))
            return DeletedNotFound(*t);
          return NotFound(id);
        }
        Tombstone t;
        t.canonical_id = *canonical;
        t.version = locked[0][0].as<int>();
        t.content_sha256 = locked[0][1].as<std::string>();
        t.reason = reason_text;
        tx.exec_params(S(sql::kDeleteFacets), *canonical);
        tx.exec(S(sql::kMergeApplyFacets));
        const pqxx::result stamp = tx.exec_params(
            S(sql::kDeleteRecordTombstone), *canonical, reason_text);
        t.deleted_at = absl::FromUnixMicros(stamp[0][0].as<int64_t>());
        tx.exec_params(S(sql::kDeleteCurrent), *canonical);
        tx.exec_params(S(sql::kDeleteStageChange), *canonical, t.version,
                       t.content_sha256);
        tx.exec_params(S(sql::kDeleteRecordEvent), *canonical, t.version,
                       reason_text.empty()
                           ? std::string("deleted")
                           : absl::StrCat("deleted: ", reason_text),
                       default_agent_);
        AppendChanges(tx);
        t.position = tx.exec_params(S(sql::kDeletePosition), *canonical)[0][0]
                         .as<int64_t>();
        tx.commit();
        return t;
      });
}

absl::StatusOr<std::optional<Tombstone>> PgCableRepository::GetTombstone(
    absl::string_view id) {
  return pool_->Run(
      "get tombstone",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::optional<Tombstone>> {
        pqxx::read_transaction tx(conn);
        return FindTombstone(tx, id);
      });
}

absl::Status PgCableRepository::BeginBulkLoad() {
  return pool_->Run("begin bulk load",
                    [](pqxx::connection& conn) -> absl::Status {
                      DeferIndexes(conn);
                      return absl::OkStatus();
                    });
}

absl::Status PgCableRepository::EndBulkLoad() {
  return pool_->Run("end bulk load",
                    [](pqxx::connection& conn) -> absl::Status {
                      RestoreDeferredIndexes(conn, /*analyze=*/true);
                      return absl::OkStatus();
                    });
}

absl::Status PgCableRepository::Ping() {
  return pool_->Run("ping", [&](pqxx::connection& conn) -> absl::Status {
    pqxx::nontransaction tx(conn);
    tx.exec(S(sql::kPing));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<std::string>>
PgCableRepository::LookupIngestRequest(absl::string_view request_id) {
  return pool_->Run("lookup ingest request",
                    [&](pqxx::connection& conn)
                        -> absl::StatusOr<std::optional<std::string>> {
                      pqxx::work tx(conn);
                      const pqxx::result rows = tx.exec_params(
                          S(sql::kLookupIngestRequest), S(request_id));
                      if (rows.empty()) return std::optional<std::string>();
                      return std::optional<std::string>(Bytes(rows[0][0]));
                    });
}

absl::Status PgCableRepository::RecordIngestRequest(
    absl::string_view request_id, absl::string_view response) {
  if (request_id.empty()) {
    return absl::InvalidArgumentError("empty request id");
  }
  return pool_->Run(
      "record ingest request", [&](pqxx::connection& conn) -> absl::Status {
        pqxx::work tx(conn);
        const pqxx::binarystring bytes(response.data(), response.size());
        const pqxx::result r =
            tx.exec_params(S(sql::kRecordIngestRequest), S(request_id), bytes);
        tx.commit();
        if (r.affected_rows() == 0) {
          return absl::AlreadyExistsError(absl::StrCat(
              "ingest request ", request_id, " already has a response"));
        }
        return absl::OkStatus();
      });
}

// --- Fixity and provenance ---------------------------------------------------

absl::StatusOr<std::vector<CableEvent>> PgCableRepository::ListEvents(
    const ListEventsRequest& request) {
  if (request.limit < 1 || request.limit > 10000) {
    return absl::InvalidArgumentError(
        absl::StrCat("event list limit must be 1..10000, got ", request.limit));
  }
  const std::string type =
      request.type ? std::string(EventTypeName(*request.type)) : "";
  const std::string outcome =
      !request.success ? "" : (*request.success ? "success" : "failure");
  return pool_->Run(
      "list events",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::vector<CableEvent>> {
        pqxx::work tx(conn);
        std::string canonical;
        if (!request.canonical_id.empty()) {
          std::optional<std::string> found = Resolve(tx, request.canonical_id);
          if (!found) return NotFound(request.canonical_id);
          canonical = *std::move(found);
        }
        std::vector<CableEvent> out;
        for (const auto& row : tx.exec_params(
                 S(sql::kListEvents), canonical, type, outcome, request.version,
                 request.after_event_id, request.limit)) {
          CableEvent e;
          e.event_id = row[0].as<int64_t>();
          e.canonical_id = row[1].as<std::string>();
          e.version = row[2].as<int>();
          e.type = EventTypeFromName(row[3].as<std::string>())
                       .value_or(EventType::kIngestion);
          e.time = absl::FromUnixMicros(row[4].as<int64_t>());
          e.success = row[5].as<std::string>() == "success";
          e.detail = row[6].as<std::string>();
          e.agent = row[7].as<std::string>();
          out.push_back(std::move(e));
        }
        return out;
      });
}

absl::Status PgCableRepository::RecordEvents(
    absl::Span<const CableEvent> events) {
  if (events.empty()) return absl::OkStatus();
  std::vector<std::string> ids, types, outcomes, details, agents;
  std::vector<int> versions;
  for (const CableEvent& e : events) {
    if (e.canonical_id.empty() || e.agent.empty()) {
      return absl::InvalidArgumentError(
          "an event needs a canonical id and an agent");
    }
    ids.push_back(e.canonical_id);
    versions.push_back(e.version);
    types.emplace_back(EventTypeName(e.type));
    outcomes.emplace_back(e.success ? "success" : "failure");
    details.push_back(WithoutNul(e.detail));
    agents.push_back(WithoutNul(e.agent));
  }
  return pool_->Run(
      "record events", [&](pqxx::connection& conn) -> absl::Status {
        pqxx::work tx(conn);
        tx.exec_params(S(sql::kRecordEvents), TextArrayLiteral(ids),
                       IntArrayLiteral(versions), TextArrayLiteral(types),
                       TextArrayLiteral(outcomes), TextArrayLiteral(details),
                       TextArrayLiteral(agents));
        tx.commit();
        return absl::OkStatus();
      });
}

absl::StatusOr<std::vector<StoredVersion>> PgCableRepository::ScanVersions(
    absl::string_view after_id, int after_version, int limit) {
  if (limit < 1 || limit > 5000) {
    return absl::InvalidArgumentError(
        absl::StrCat("version scan limit must be 1..5000, got ", limit));
  }
  return pool_->Run(
      "scan versions",
      [&](pqxx::connection& conn)
          -> absl::StatusOr<std::vector<StoredVersion>> {
        pqxx::read_transaction tx(conn);
        std::vector<StoredVersion> out;
        for (const auto& row : tx.exec_params(
                 S(sql::kScanVersions), S(after_id), after_version, limit)) {
          StoredVersion v;
          v.canonical_id = row[0].as<std::string>();
          v.version = row[1].as<int>();
          if (!row[5].is_null()) v.content_sha512 = row[5].as<std::string>();
          v.content_sha256 = row[6].as<std::string>();
          absl::StatusOr<Cable> cable = CableFromRow(row);
          if (cable.ok()) {
            v.cable = *std::move(cable);
          } else {
            v.content_status = cable.status();
            v.cable.set_canonical_id(v.canonical_id);
            v.cable.set_version(v.version);
            v.cable.set_header(row[2].as<std::string>());
            v.cable.set_body(row[3].as<std::string>());
          }
          out.push_back(std::move(v));
        }
        return out;
      });
}

absl::StatusOr<int64_t> PgCableRepository::CountVersions() {
  return pool_->Run(
      "count versions", [&](pqxx::connection& conn) -> absl::StatusOr<int64_t> {
        pqxx::read_transaction tx(conn);
        return tx.exec(S(sql::kCountVersions))[0][0].as<int64_t>();
      });
}

absl::StatusOr<int64_t> PgCableRepository::RepairContentSha512(
    absl::Span<const Sha512Repair> repairs, absl::string_view agent) {
  if (repairs.empty()) return 0;
  if (agent.empty()) return absl::InvalidArgumentError("no agent given");
  std::vector<std::string> ids, sha256, sha512;
  std::vector<int> versions;
  for (const Sha512Repair& r : repairs) {
    ids.push_back(r.canonical_id);
    versions.push_back(r.version);
    sha256.push_back(r.content_sha256);
    sha512.push_back(r.content_sha512);
  }
  return pool_->Run(
      "repair sha512", [&](pqxx::connection& conn) -> absl::StatusOr<int64_t> {
        pqxx::work tx(conn);
        const pqxx::result r =
            tx.exec_params(S(sql::kRepairSha512), TextArrayLiteral(ids),
                           IntArrayLiteral(versions), TextArrayLiteral(sha256),
                           TextArrayLiteral(sha512), S(agent));
        tx.commit();
        return static_cast<int64_t>(r.affected_rows());
      });
}

}  // namespace cables::storage
