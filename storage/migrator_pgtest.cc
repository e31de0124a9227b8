// Migrator against a real PostgreSQL (tools/embedded-pg).
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "storage/migrator.h"
#include "storage/testing/test_database.h"

namespace cables::storage {
namespace {

using testing::TestDatabase;

std::unique_ptr<TestDatabase> EmptyDb(absl::string_view name) {
  auto db = TestDatabase::Create(name, /*migrate=*/false);
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

TEST(MigratorPgTest, MigratesEmptyDatabaseThenRerunIsNoOp) {
  auto db = EmptyDb("mig_empty");
  ASSERT_NE(db, nullptr);
  const auto all = EmbeddedMigrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(Migrator().Check(db->url()).code(),
            absl::StatusCode::kFailedPrecondition);

  auto first = Migrator().Migrate(db->url());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->applied.size(), all.size());
  EXPECT_EQ(first->current_version, all.back().version);
  EXPECT_EQ(*db->Query("SELECT count(*) FROM schema_migrations"),
            std::to_string(all.size()));
  EXPECT_EQ(
      *db->Query(
          "SELECT checksum FROM schema_migrations ORDER BY version LIMIT 1"),
      std::string(all.front().sha256));
  EXPECT_EQ(*db->Query("SELECT to_regclass('cables') IS NOT NULL"), "t");
  EXPECT_TRUE(Migrator().Check(db->url()).ok());

  auto again = Migrator().Migrate(db->url());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->current_version, all.back().version);
}

TEST(MigratorPgTest, RefusesUnknownMigration) {
  auto db = EmptyDb("mig_unknown");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Migrator().Migrate(db->url()).ok());
  ASSERT_TRUE(
      db->Query("INSERT INTO schema_migrations (version, name, checksum) "
                "VALUES (9999, 'from_the_future', 'x')")
          .ok());
  const auto result = Migrator().Migrate(db->url());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("9999_from_the_future"),
            std::string::npos)
      << result.status();
  EXPECT_EQ(Migrator().Check(db->url()).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(MigratorPgTest, RefusesChangedChecksum) {
  auto db = EmptyDb("mig_checksum");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Migrator().Migrate(db->url()).ok());
  ASSERT_TRUE(db->Query("UPDATE schema_migrations SET checksum = 'edited' "
                        "WHERE version = 1")
                  .ok());
  const auto result = Migrator().Migrate(db->url());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("append-only"), std::string::npos);
}

constexpr MigrationSource kGood1 = {1, "one", "CREATE TABLE one (x int);",
                                    "c1"};
constexpr MigrationSource kGood2 = {2, "two", "CREATE TABLE two (x int);",
                                    "c2"};
constexpr MigrationSource kBad2 = {
    2, "bad", "CREATE TABLE two (x int); SELECT 1/0;", "cb"};
constexpr MigrationSource kGood3 = {3, "three", "CREATE TABLE three (x int);",
                                    "c3"};

TEST(MigratorPgTest, FailingMigrationLeavesNoTraceAndKeepsEarlierOnes) {
  auto db = EmptyDb("mig_fail");
  ASSERT_NE(db, nullptr);
  const MigrationSource set[] = {kGood1, kBad2};
  const auto result = Migrator(set).Migrate(db->url());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
      << result.status();  // 22012 division by zero
  EXPECT_NE(result.status().message().find("0002_bad.sql"), std::string::npos);
  EXPECT_EQ(*db->Query("SELECT to_regclass('one') IS NOT NULL"), "t");
  EXPECT_EQ(*db->Query("SELECT to_regclass('two') IS NOT NULL"), "f");
  EXPECT_EQ(*db->Query(
                "SELECT string_agg(version::text, ',') FROM schema_migrations"),
            "1");
}

TEST(MigratorPgTest, RefusesOutOfOrderGap) {
  auto db = EmptyDb("mig_gap");
  ASSERT_NE(db, nullptr);
  const MigrationSource skip[] = {kGood1, kGood3};
  ASSERT_TRUE(Migrator(skip).Migrate(db->url()).ok());
  const MigrationSource all[] = {kGood1, kGood2, kGood3};
  EXPECT_EQ(Migrator(all).Migrate(db->url()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(MigratorPgTest, ConcurrentMigratorsApplyEachFileOnce) {
  auto db = EmptyDb("mig_concurrent");
  ASSERT_NE(db, nullptr);
  std::vector<std::thread> threads;
  std::vector<absl::StatusOr<MigrationReport>> results(4,
                                                       absl::UnknownError(""));
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = Migrator().Migrate(db->url()); });
  }
  for (auto& t : threads) t.join();
  size_t applied = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    applied += r->applied.size();
  }
  EXPECT_EQ(applied, EmbeddedMigrations().size());
}

TEST(MigratorPgTest, UnreachableDatabaseIsUnavailable) {
  const auto result = Migrator().Migrate(
      "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable)
      << result.status();
}

}  // namespace
}  // namespace cables::storage
