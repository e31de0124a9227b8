// The indexer against a real database: cables stored through the
// repository reach the index; a new version replaces the document; a
// deleted cable leaves it; a restart resumes from the committed position
// without rebuilding; an index of another database is rebuilt; the thread
// serves the index once caught up.
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/search/index/index_search_repository.h"
#include "services/search/index/index_syncer.h"
#include "services/search/query_parser.h"
#include "storage/pg_cable_repository.h"
#include "storage/search/pg_index_source.h"
#include "storage/testing/test_cables.h"
#include "storage/testing/test_database.h"

namespace cables::search::index {
namespace {

namespace fs = std::filesystem;
using storage::testing::MakeCable;

class IndexSyncerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::testing::TestDatabase::Create("indexsync");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    storage::ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 2;
    auto repo = storage::PgCableRepository::Open(options);
    ASSERT_TRUE(repo.ok()) << repo.status();
    repo_ = *std::move(repo);
    auto source = storage::PgIndexSource::Open(options, repo_.get());
    ASSERT_TRUE(source.ok()) << source.status();
    source_ = *std::move(source);
    dir_ = fs::temp_directory_path() /
           absl::StrCat(
               "index_syncer_pgtest_", getpid(), "_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    OpenIndex();
  }

  void TearDown() override {
    index_.reset();
    fs::remove_all(dir_);
  }

  void OpenIndex() {
    index_.reset();
    auto index = CableIndex::Open(dir_.string());
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = *std::move(index);
  }

  void Store(const std::vector<cables::v1::Cable>& cables) {
    auto r = repo_->BulkUpsert(cables, "test");
    ASSERT_TRUE(r.ok()) << r.status();
  }

  std::set<std::string> Find(const std::string& query) {
    IndexSearchRepository repo(index_.get());
    storage::SearchRequest request;
    auto parsed = ParseSearchQuery(query);
    EXPECT_TRUE(parsed.ok());
    request.query = *parsed;
    request.page_size = 100;
    auto r = repo.Search(request, nullptr);
    EXPECT_TRUE(r.ok()) << r.status();
    std::set<std::string> ids;
    if (r.ok()) {
      for (const auto& h : r->hits) ids.insert(h.canonical_id);
    }
    return ids;
  }

  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::unique_ptr<storage::PgCableRepository> repo_;
  std::unique_ptr<storage::PgIndexSource> source_;
  fs::path dir_;
  std::unique_ptr<CableIndex> index_;
};

TEST_F(IndexSyncerTest, BuildsThenFollowsTheChangeLog) {
  Store({MakeCable("05ALMATY1", "2005-01-01", "wheat harvest"),
         MakeCable("05ALMATY2", "2005-01-02", "oil pipeline"),
         MakeCable("05ALMATY3", "2005-01-03", "wheat exports", "05ALMATY1")});
  IndexSyncer syncer(index_.get(), source_.get(), {.batch = 2});
  ASSERT_TRUE(syncer.CatchUp().ok());
  EXPECT_EQ(index_->document_count(), 3);
  EXPECT_TRUE(index_->state().complete);
  EXPECT_EQ(syncer.stats().built, 3);
  EXPECT_EQ(Find("wheat"), std::set<std::string>({"05ALMATY1", "05ALMATY3"}));

  // Created after the build: appears.
  Store({MakeCable("05ALMATY4", "2005-01-04", "wheat prices")});
  ASSERT_TRUE(syncer.CatchUp().ok());
  EXPECT_EQ(Find("wheat"),
            std::set<std::string>({"05ALMATY1", "05ALMATY3", "05ALMATY4"}));
  // A new version replaces the document (no duplicate, old words gone).
  cables::v1::Cable changed = MakeCable("05ALMATY1", "2005-01-01", "barley");
  Store({changed});
  ASSERT_TRUE(syncer.CatchUp().ok());
  EXPECT_EQ(Find("wheat"), std::set<std::string>({"05ALMATY3", "05ALMATY4"}));
  EXPECT_EQ(Find("barley"), std::set<std::string>({"05ALMATY1"}));
  EXPECT_EQ(index_->document_count(), 4);
  auto head = repo_->LastChangePosition();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(index_->state().position, *head);
}

TEST_F(IndexSyncerTest, DeletedCablesLeaveTheIndex) {
  Store({MakeCable("06PARIS1", "2006-01-01", "cheese"),
         MakeCable("06PARIS2", "2006-01-02", "cheese wine")});
  IndexSyncer syncer(index_.get(), source_.get());
  ASSERT_TRUE(syncer.CatchUp().ok());
  ASSERT_EQ(Find("cheese").size(), 2u);
  // A deletion as the change log records it (kind 3): the cables row goes,
  // a change is appended (what the repository's delete path writes).
  ASSERT_TRUE(db_->Query("DELETE FROM cables WHERE canonical_id = "
                         "'06PARIS2'; INSERT INTO cable_changes (position, "
                         "canonical_id, version, kind) VALUES "
                         "(nextval('cable_changes_position_seq'), "
                         "'06PARIS2', 1, 3)")
                  .ok());
  ASSERT_TRUE(syncer.CatchUp().ok());
  EXPECT_EQ(Find("cheese"), std::set<std::string>({"06PARIS1"}));
  EXPECT_EQ(index_->document_count(), 1);
}

TEST_F(IndexSyncerTest, RestartResumesWithoutRebuilding) {
  std::vector<cables::v1::Cable> batch;
  for (int i = 1; i <= 30; ++i) {
    batch.push_back(MakeCable(absl::StrCat("07ROME", i), "2007-02-02",
                              absl::StrCat("pasta number", i)));
  }
  Store(batch);
  {
    IndexSyncer syncer(index_.get(), source_.get(), {.batch = 4});
    ASSERT_TRUE(syncer.CatchUp().ok());
    EXPECT_EQ(syncer.stats().built, 30);
  }
  const int64_t position = index_->state().position;
  OpenIndex();  // a restart
  EXPECT_EQ(index_->state().position, position);
  EXPECT_EQ(index_->document_count(), 30);
  Store({MakeCable("07ROME99", "2007-02-03", "pasta late")});
  IndexSyncer syncer(index_.get(), source_.get(), {.batch = 4});
  ASSERT_TRUE(syncer.CatchUp().ok());
  EXPECT_EQ(syncer.stats().built, 0);  // no rebuild
  EXPECT_EQ(syncer.stats().applied, 1);
  EXPECT_EQ(Find("pasta").size(), 31u);

  // An interrupted full build resumes from its committed cursor.
  IndexState partial = index_->state();
  ASSERT_TRUE(index_->Clear().ok());
  partial.complete = false;
  partial.build_cursor = "07ROME3";  // ids sort as text: 1, 10..19, 2, ...
  ASSERT_TRUE(index_->Commit(partial).ok());
  IndexSyncer resumed(index_.get(), source_.get(), {.batch = 4});
  ASSERT_TRUE(resumed.CatchUp().ok());
  EXPECT_LT(resumed.stats().built, 31);
  EXPECT_TRUE(index_->state().complete);
}

TEST_F(IndexSyncerTest, AnIndexOfAnotherDatabaseIsRebuilt) {
  Store({MakeCable("08OSLO1", "2008-01-01", "fjord")});
  IndexState foreign;
  foreign.source = "elsewhere/1";
  foreign.position = 0;
  foreign.complete = true;
  ASSERT_TRUE(index_->Commit(foreign).ok());
  IndexSyncer syncer(index_.get(), source_.get());
  ASSERT_TRUE(syncer.CatchUp().ok());
  EXPECT_EQ(syncer.stats().rebuilds, 1);
  EXPECT_EQ(Find("fjord"), std::set<std::string>({"08OSLO1"}));
  EXPECT_NE(index_->state().source, "elsewhere/1");
}

TEST_F(IndexSyncerTest, TheThreadMarksTheIndexReady) {
  Store({MakeCable("09BERN1", "2009-01-01", "chocolate")});
  IndexSyncer syncer(index_.get(), source_.get(),
                     {.poll_interval = absl::Milliseconds(20)});
  EXPECT_FALSE(index_->ready());
  syncer.Start();
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (!index_->ready() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(index_->ready());
  Store({MakeCable("09BERN2", "2009-01-02", "chocolate fondue")});
  while (Find("chocolate").size() < 2 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(Find("chocolate").size(), 2u);
  syncer.Stop();
}

}  // namespace
}  // namespace cables::search::index
