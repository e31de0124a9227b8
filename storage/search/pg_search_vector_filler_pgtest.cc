// PgSearchVectorFiller against a real PostgreSQL: deferred vectors
// (WriteProvenance::defer_search_vectors) are NULL until filled, then equal
// to the vectors an ordinary write computes; locked rows are skipped.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/pg_cable_repository.h"
#include "storage/search/pg_search_vector_filler.h"
#include "storage/testing/test_cables.h"
#include "storage/testing/test_database.h"

namespace cables::storage {
namespace {

using testing::MakeCable;
using testing::TestDatabase;

constexpr const char* kMatches =
    "SELECT count(*) FROM cables WHERE search @@ "
    "plainto_tsquery('english', $1)";

class PgSearchVectorFillerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = TestDatabase::Create("vector_filler");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 2;
    auto repo = PgCableRepository::Open(options);
    ASSERT_TRUE(repo.ok()) << repo.status();
    repo_ = *std::move(repo);
    auto filler = PgSearchVectorFiller::Open(options);
    ASSERT_TRUE(filler.ok()) << filler.status();
    filler_ = *std::move(filler);
  }

  std::string Q(const std::string& sql) {
    auto r = db_->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : "";
  }

  void Store(const std::vector<cables::v1::Cable>& cables, bool defer) {
    WriteProvenance provenance;
    provenance.defer_search_vectors = defer;
    auto r = repo_->BulkUpsertWithProvenance(cables, "test", provenance);
    ASSERT_TRUE(r.ok()) << r.status();
  }

  // Cables the PostgreSQL full-text search finds for `words` (bound).
  std::string Matches(const std::string& words) {
    pqxx::connection conn(db_->url());
    pqxx::nontransaction tx(conn);
    return tx.exec_params(kMatches, words)[0][0].as<std::string>();
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<PgCableRepository> repo_;
  std::unique_ptr<PgSearchVectorFiller> filler_;
};

TEST_F(PgSearchVectorFillerTest, DeferredVectorsAreFilledAsAWriteWouldCompute) {
  Store({MakeCable("05ALMATY1", "2005-01-01", "zanzibar quartz"),
         MakeCable("05ALMATY2", "2005-01-02", "zanzibar quartz"),
         MakeCable("05ALMATY3", "2005-01-03", "zanzibar quartz")},
        /*defer=*/true);
  Store({MakeCable("05ALMATY9", "2005-01-09", "zanzibar quartz")},
        /*defer=*/false);
  EXPECT_EQ(Q("SELECT count(*) FROM cables"), "4");
  EXPECT_EQ(Matches("zanzibar"), "1");  // only the ordinary write
  auto pending = filler_->CountPending();
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_EQ(*pending, 3);

  auto filled = filler_->Fill(2, nullptr);  // a partial batch, in id order
  ASSERT_TRUE(filled.ok()) << filled.status();
  EXPECT_EQ(*filled, 2);
  EXPECT_EQ(Q("SELECT string_agg(canonical_id, ',') FROM cables "
              "WHERE search IS NULL"),
            "05ALMATY3");
  filled = filler_->Fill(100, nullptr);
  ASSERT_TRUE(filled.ok()) << filled.status();
  EXPECT_EQ(*filled, 1);
  filled = filler_->Fill(100, nullptr);
  ASSERT_TRUE(filled.ok()) << filled.status();
  EXPECT_EQ(*filled, 0);
  EXPECT_EQ(*filler_->CountPending(), 0);
  EXPECT_EQ(Matches("zanzibar quartz"), "4");

  // Filled vectors equal the ones an ordinary write computes.
  Store({MakeCable("05ALMATY8", "2005-01-08", "zanzibar quartz")},
        /*defer=*/false);
  EXPECT_EQ(Q("SELECT count(*) FROM cables WHERE search = "
              "cables_search_vector(subject, (SELECT body FROM cable_versions "
              "v WHERE v.canonical_id = cables.canonical_id AND v.version = "
              "cables.current_version))"),
            "5");
}

TEST_F(PgSearchVectorFillerTest, ADeferredNewVersionDropsTheOldVector) {
  Store({MakeCable("05ALMATY1", "2005-01-01", "zanzibar quartz")},
        /*defer=*/false);
  cables::v1::Cable changed =
      MakeCable("05ALMATY1", "2005-01-01", "obsidian lantern");
  Store({changed}, /*defer=*/true);
  EXPECT_EQ(Q("SELECT current_version FROM cables"), "2");
  // The old text is not found any more, the new one not yet.
  EXPECT_EQ(Matches("zanzibar"), "0");
  EXPECT_EQ(Matches("obsidian"), "0");
  ASSERT_EQ(*filler_->Fill(10, nullptr), 1);
  EXPECT_EQ(Matches("zanzibar"), "0");
  EXPECT_EQ(Matches("obsidian lantern"), "1");
}

TEST_F(PgSearchVectorFillerTest, LockedRowsAreSkippedNotWaitedFor) {
  Store({MakeCable("05ALMATY1"), MakeCable("05ALMATY2")}, /*defer=*/true);
  pqxx::connection other(db_->url());
  pqxx::work tx(other);
  tx.exec("SELECT 1 FROM cables WHERE canonical_id = '05ALMATY1' FOR UPDATE");
  auto filled = filler_->Fill(10, nullptr);  // would hang if it waited
  ASSERT_TRUE(filled.ok()) << filled.status();
  EXPECT_EQ(*filled, 1);
  tx.abort();
  EXPECT_EQ(*filler_->Fill(10, nullptr), 1);
  EXPECT_EQ(*filler_->CountPending(), 0);
}

TEST_F(PgSearchVectorFillerTest, TheIndexIsDeferredAndRebuiltInOnePass) {
  Store({MakeCable("05ALMATY1", "2005-01-01", "zanzibar quartz"),
         MakeCable("05ALMATY2", "2005-01-02", "zanzibar quartz")},
        /*defer=*/true);
  const std::string kIndexExists =
      "SELECT count(*) FROM pg_indexes WHERE indexname = 'cables_search_idx'";
  ASSERT_TRUE(filler_->DeferIndex().ok());
  ASSERT_TRUE(filler_->DeferIndex().ok());  // idempotent
  EXPECT_EQ(Q(kIndexExists), "0");
  EXPECT_EQ(*filler_->Fill(100, nullptr), 2);

  // A cancelled rebuild leaves the index deferred for the next one.
  SearchCancellation cancelled;
  cancelled.Cancel();
  EXPECT_EQ(filler_->RestoreIndex(&cancelled).status().code(),
            absl::StatusCode::kCancelled);
  EXPECT_EQ(Q(kIndexExists), "0");

  auto rebuilt = filler_->RestoreIndex(nullptr);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(*rebuilt, 1);
  EXPECT_EQ(Q(kIndexExists), "1");
  EXPECT_EQ(Q("SELECT count(*) FROM deferred_indexes"), "0");
  EXPECT_EQ(*filler_->RestoreIndex(nullptr), 0);
  // The rebuilt index answers the ranked search.
  EXPECT_EQ(Q("SET enable_seqscan = off; SELECT count(*) FROM (SELECT 1 FROM "
              "cables WHERE search @@ plainto_tsquery('english', 'zanzibar') "
              "ORDER BY search <=> plainto_tsquery('english', 'zanzibar') "
              "LIMIT 10) x"),
            "2");
}

TEST_F(PgSearchVectorFillerTest, RefusesABadLimit) {
  EXPECT_EQ(filler_->Fill(0, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(filler_->Fill(10001, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PgSearchVectorFillerTest, AReadOnlyDatabaseIsAFailedPrecondition) {
  Store({MakeCable("05ALMATY1")}, /*defer=*/true);
  // Sessions that may only read, as on a standby.
  ConnectionPoolOptions options;
  options.database_url = absl::StrCat(
      db_->url(), db_->url().find('?') == std::string::npos ? "?" : "&",
      "options=-c%20default_transaction_read_only%3Don");
  options.max_connections = 1;
  auto standby_like = PgSearchVectorFiller::Open(options);
  ASSERT_TRUE(standby_like.ok()) << standby_like.status();
  EXPECT_EQ((*standby_like)->Fill(10, nullptr).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(*filler_->CountPending(), 1);
}

}  // namespace
}  // namespace cables::storage
