#include "services/search/index/cable_index.h"

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/search/index/cable_document.h"
#include "storage/testing/test_cables.h"

namespace cables::search::index {
namespace {

namespace fs = std::filesystem;

class CableIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           absl::StrCat(
               "cable_index_test_", getpid(), "_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<CableIndex> Open() {
    auto index = CableIndex::Open(dir_.string());
    EXPECT_TRUE(index.ok()) << index.status();
    return index.ok() ? *std::move(index) : nullptr;
  }

  fs::path dir_;
};

TEST_F(CableIndexTest, StateIsCommittedWithTheDocuments) {
  {
    auto index = Open();
    ASSERT_NE(index, nullptr);
    EXPECT_EQ(index->state().position, 0);
    EXPECT_FALSE(index->state().complete);
    ASSERT_TRUE(index->Put(storage::testing::MakeCable("05ALMATY1")).ok());
    ASSERT_TRUE(index->Put(storage::testing::MakeCable("05ALMATY2")).ok());
    ASSERT_TRUE(index->Commit({42, "db/1", "", true}).ok());
  }
  auto index = Open();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->state().position, 42);
  EXPECT_EQ(index->state().source, "db/1");
  EXPECT_TRUE(index->state().complete);
  EXPECT_EQ(index->document_count(), 2);
  EXPECT_GT(index->SizeBytes(), 0);
  // Replacing by id keeps one document per cable.
  ASSERT_TRUE(index->Put(storage::testing::MakeCable("05ALMATY2")).ok());
  ASSERT_TRUE(index->Delete("05ALMATY1").ok());
  ASSERT_TRUE(index->Commit({43, "db/1", "", true}).ok());
  EXPECT_EQ(index->document_count(), 1);
  EXPECT_EQ(index->Put(cables::v1::Cable()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CableIndexTest, ReadersSeeEachCommit) {
  auto index = Open();
  ASSERT_NE(index, nullptr);
  {
    auto reader = index->Acquire();
    ASSERT_TRUE(reader.ok()) << reader.status();
    EXPECT_EQ(reader->db().get_doccount(), 0u);
  }
  ASSERT_TRUE(index->Put(storage::testing::MakeCable("06PARIS1")).ok());
  ASSERT_TRUE(index->Commit({1, "db", "", true}).ok());
  auto reader = index->Acquire();  // the pooled reader, reopened
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->db().get_doccount(), 1u);
  EXPECT_TRUE(reader->db().term_exists(IdTerm("06PARIS1")));
}

TEST_F(CableIndexTest, ClearEmptiesTheIndexAndItsState) {
  auto index = Open();
  ASSERT_NE(index, nullptr);
  ASSERT_TRUE(index->Put(storage::testing::MakeCable("07ROME1")).ok());
  ASSERT_TRUE(index->Commit({5, "db", "", true}).ok());
  ASSERT_TRUE(index->Clear().ok());
  EXPECT_EQ(index->document_count(), 0);
  EXPECT_EQ(index->state().position, 0);
  EXPECT_TRUE(index->state().source.empty());
  auto reader = index->Acquire();
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->db().get_doccount(), 0u);
}

TEST_F(CableIndexTest, OneWriterPerDirectoryAndOtherLayoutsAreDropped) {
  auto index = Open();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(CableIndex::Open(dir_.string()).status().code(),
            absl::StatusCode::kUnavailable);
  ASSERT_TRUE(index->Put(storage::testing::MakeCable("08OSLO1")).ok());
  ASSERT_TRUE(index->Commit({1, "db", "", true}).ok());
  index.reset();
  {
    // An index written with another layout.
    Xapian::WritableDatabase db(dir_.string(), Xapian::DB_OPEN);
    db.set_metadata("cables.layout", "cables-index-0");
    db.commit();
  }
  index = Open();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->document_count(), 0);
  EXPECT_EQ(index->state().position, 0);
}

}  // namespace
}  // namespace cables::search::index
