// Deletions (DeleteCable, tombstones, revival, exact facet counters) and the
// change feed (WatchCables) through an in-process gRPC server over
// PostgreSQL. The resume test runs a consumer that disconnects again and
// again while an import runs and checks it saw every change exactly once.
#include <algorithm>
#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/common/bounded_executor.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/metadata/metadata_catalog.h"
#include "services/metadata/metadata_service.h"
#include "storage/pg_cable_repository.h"
#include "storage/testing/facet_checks.h"
#include "storage/testing/test_cables.h"
#include "storage/testing/test_database.h"

namespace cables::metadata {
namespace {

using cables::v1::Cable;
using cables::v1::ChangeEvent;
using storage::testing::MakeCable;
using ::testing::HasSubstr;

using storage::testing::kFacetCounterMismatches;

class ChangeFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::testing::TestDatabase::Create("feed");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    storage::ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 4;
    auto repo = storage::PgCableRepository::Open(options);
    ASSERT_TRUE(repo.ok()) << repo.status();
    repository_ = *std::move(repo);
    catalog_ = std::make_unique<MetadataCatalog>(repository_.get());
    executor_ = std::make_unique<BoundedExecutor>(3, 64);
    service_ = std::make_unique<MetadataServiceImpl>(
        catalog_.get(), executor_.get(), absl::Milliseconds(20));
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::MetadataService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now()));
    server_.reset();
  }

  std::string Q(const std::string& sql) {
    auto r = db_->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : "";
  }

  void Store(const Cable& cable) {
    auto r = repository_->UpsertCable(cable, "test");
    ASSERT_TRUE(r.ok()) << r.status();
  }

  grpc::Status Delete(const std::string& name, const std::string& reason,
                      v1::CableTombstone* out) {
    grpc::ClientContext context;
    v1::DeleteCableRequest request;
    request.set_name(name);
    request.set_reason(reason);
    return stub_->DeleteCable(&context, request, out);
  }

  grpc::Status Get(const std::string& name, Cable* out) {
    grpc::ClientContext context;
    v1::GetCableRequest request;
    request.set_name(name);
    return stub_->GetCable(&context, request, out);
  }

  // Reads up to `n` events of a watch from `request`, then ends the call
  // (cancels it when it is still open). Returns the final status.
  grpc::Status Watch(const v1::WatchCablesRequest& request, size_t n,
                     std::vector<ChangeEvent>* out,
                     absl::Duration deadline = absl::Seconds(10)) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    auto reader = stub_->WatchCables(&context, request);
    ChangeEvent event;
    bool open = true;
    while (out->size() < n && (open = reader->Read(&event))) {
      out->push_back(event);
    }
    if (open) context.TryCancel();  // still streaming: disconnect
    return reader->Finish();
  }

  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::unique_ptr<storage::PgCableRepository> repository_;
  std::unique_ptr<MetadataCatalog> catalog_;
  std::unique_ptr<BoundedExecutor> executor_;
  std::unique_ptr<MetadataServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::MetadataService::Stub> stub_;
};

TEST_F(ChangeFeedTest, DeleteKeepsVersionsAndCountersAndRecordsTombstone) {
  Store(MakeCable("05ALMATY1595", "2005-04-05", "first", "05ALMATY1596"));
  Store(MakeCable("05ALMATY1596", "2006-01-02"));
  Cable v2 = MakeCable("05ALMATY1595", "2005-04-05", "second text");
  Store(v2);
  EXPECT_EQ(Q(kFacetCounterMismatches), "0");

  v1::CableTombstone tombstone;
  // Any form of the name works.
  grpc::Status status =
      Delete("cables/05 almaty 1595", "duplicate of another cable", &tombstone);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(tombstone.name(), "cables/05ALMATY1595");
  EXPECT_EQ(tombstone.version(), 2);
  EXPECT_EQ(tombstone.content_sha256(), v2.content_sha256());
  EXPECT_EQ(tombstone.reason(), "duplicate of another cable");
  EXPECT_GT(tombstone.delete_time().seconds(), 0);
  EXPECT_GT(tombstone.change_position(), 0);

  // Gone from listings and counters; versions and paragraphs stay.
  EXPECT_EQ(Q("SELECT count(*) FROM cables"), "1");
  EXPECT_EQ(Q(kFacetCounterMismatches), "0");
  EXPECT_EQ(Q("SELECT count FROM facet_counts WHERE facet = 'total'"), "1");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_versions WHERE canonical_id = "
              "'05ALMATY1595'"),
            "2");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_references WHERE citing_id = "
              "'05ALMATY1595'"),
            "0");
  EXPECT_EQ(Q("SELECT kind FROM cable_changes ORDER BY position DESC LIMIT 1"),
            "3");
  EXPECT_EQ(Q("SELECT deleted FROM cable_records WHERE canonical_id = "
              "'05ALMATY1595'"),
            "t");

  // Get and a second delete: NOT_FOUND, saying it was deleted.
  Cable got;
  status = Get("05ALMATY1595", &got);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("was deleted"));
  EXPECT_THAT(status.error_message(), HasSubstr("duplicate of another cable"));
  const absl::Status as_absl = FromGrpcStatus(status);
  v1::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(as_absl, &info)) << as_absl;
  EXPECT_EQ(info.reason(), "CABLE_DELETED");
  status = Delete("05ALMATY1595", "again", &tombstone);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(GetErrorInfo(FromGrpcStatus(status), &info));
  EXPECT_EQ(info.reason(), "CABLE_DELETED");
  // A cable never stored: plain NOT_FOUND.
  status = Delete("05ALMATY9999", "", &tombstone);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(GetErrorInfo(FromGrpcStatus(status), &info) &&
               info.reason() == "CABLE_DELETED");
  // A name that cannot be a cable id.
  status = Delete("cables/", "", &tombstone);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ChangeFeedTest, ReingestRevivesDeletedCable) {
  const Cable v1 = MakeCable("05ALMATY1595", "2005-04-05", "first");
  const Cable v2 = MakeCable("05ALMATY1595", "2005-04-05", "second");
  Store(v1);
  Store(v2);
  ASSERT_TRUE(repository_->DeleteCable("05ALMATY1595", "test").ok());

  // Known content comes back as created, with the version holding it.
  auto revived = repository_->UpsertCable(v1, "again");
  ASSERT_TRUE(revived.ok()) << revived.status();
  EXPECT_EQ(revived->outcome, storage::UpsertOutcome::kCreated);
  EXPECT_EQ(revived->version, 1);
  EXPECT_EQ(Q(kFacetCounterMismatches), "0");
  Cable got;
  ASSERT_TRUE(Get("05ALMATY1595", &got).ok());
  EXPECT_EQ(got.version(), 1);
  EXPECT_EQ(got.content_sha256(), v1.content_sha256());
  auto tombstone = repository_->GetTombstone("05ALMATY1595");
  ASSERT_TRUE(tombstone.ok());
  EXPECT_FALSE(tombstone->has_value());
  // Idempotent again; a new content after a revival appends version 3.
  auto same = repository_->UpsertCable(v1, "again");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->outcome, storage::UpsertOutcome::kUnchanged);
  const Cable v3 = MakeCable("05ALMATY1595", "2005-04-05", "third");
  auto next = repository_->UpsertCable(v3, "again");
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->outcome, storage::UpsertOutcome::kNewVersion);
  EXPECT_EQ(next->version, 3);

  // Deleted again, then new content: created as the next version.
  ASSERT_TRUE(repository_->DeleteCable("05ALMATY1595", "").ok());
  const Cable v4 = MakeCable("05ALMATY1595", "2007-01-01", "fourth");
  auto fresh = repository_->UpsertCable(v4, "again");
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(fresh->outcome, storage::UpsertOutcome::kCreated);
  EXPECT_EQ(fresh->version, 4);
  EXPECT_EQ(Q(kFacetCounterMismatches), "0");
  EXPECT_EQ(Q("SELECT string_agg(kind::text, ',' ORDER BY position) FROM "
              "cable_changes"),
            "1,2,3,1,2,3,1");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_tombstones"), "2");
}

TEST_F(ChangeFeedTest, WatchValidatesItsRequest) {
  std::vector<ChangeEvent> events;
  v1::WatchCablesRequest request;
  request.set_after_position(-1);
  EXPECT_EQ(Watch(request, 1, &events).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_after_position(3);
  request.set_start_from_now(true);
  EXPECT_EQ(Watch(request, 1, &events).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.Clear();
  request.add_kinds(static_cast<v1::ChangeKind>(7));
  EXPECT_EQ(Watch(request, 1, &events).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(events.empty());
}

TEST_F(ChangeFeedTest, WatchStreamsHistoryThenLiveChangesWithKinds) {
  Store(MakeCable("05ALMATY1595"));
  Store(MakeCable("05ALMATY1595", "2005-04-05", "changed"));
  ASSERT_TRUE(repository_->DeleteCable("05ALMATY1595", "gone").ok());

  std::vector<ChangeEvent> all;
  v1::WatchCablesRequest request;
  grpc::Status status = Watch(request, 3, &all);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].kind(), v1::CHANGE_KIND_CREATED);
  EXPECT_EQ(all[1].kind(), v1::CHANGE_KIND_NEW_VERSION);
  EXPECT_EQ(all[2].kind(), v1::CHANGE_KIND_DELETED);
  EXPECT_EQ(all[2].name(), "cables/05ALMATY1595");
  EXPECT_EQ(all[2].version(), 2);
  EXPECT_LT(all[0].position(), all[1].position());
  EXPECT_GT(all[2].change_time().seconds(), 0);

  // Only deletions; the stream stays open and delivers one committed later.
  request.add_kinds(v1::CHANGE_KIND_DELETED);
  request.set_start_from_now(true);
  std::vector<ChangeEvent> deletions;
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(200));
    Store(MakeCable("06ALMATY1"));
    Store(MakeCable("06ALMATY2"));
    ASSERT_TRUE(repository_->DeleteCable("06ALMATY2", "").ok());
  });
  status = Watch(request, 1, &deletions);
  writer.join();
  ASSERT_EQ(deletions.size(), 1u) << status.error_message();
  EXPECT_EQ(deletions[0].name(), "cables/06ALMATY2");
  EXPECT_EQ(deletions[0].kind(), v1::CHANGE_KIND_DELETED);

  // A deadline ends an idle stream.
  request.Clear();
  request.set_start_from_now(true);
  std::vector<ChangeEvent> none;
  status = Watch(request, 1, &none, absl::Milliseconds(300));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(none.empty());
}

TEST_F(ChangeFeedTest, ConsumerThatKeepsDisconnectingSeesEveryChangeOnce) {
  constexpr int kBatches = 40;
  std::atomic<bool> import_done{false};
  std::thread importer([&] {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<Cable> batch;
      for (int i = 0; i < 8; ++i) {
        const int n = b * 5 + i;  // overlaps the previous batch: new versions
        batch.push_back(MakeCable(absl::StrCat("07ALMATY", n), "2007-01-01",
                                  absl::StrCat("text ", b)));
      }
      auto stored = repository_->BulkUpsert(batch, "import");
      ASSERT_TRUE(stored.ok()) << stored.status();
      if (b % 4 == 3) {
        ASSERT_TRUE(
            repository_->DeleteCable(absl::StrCat("07ALMATY", b * 5), "dup")
                .ok());
      }
    }
    import_done = true;
  });

  std::mt19937 rng(42);
  std::vector<ChangeEvent> seen;
  int64_t last = 0;
  int connections = 0;
  int64_t final_position = -1;
  const absl::Time give_up = absl::Now() + absl::Seconds(120);
  while (absl::Now() < give_up) {
    if (import_done && final_position < 0) {
      auto p = repository_->LastChangePosition();
      ASSERT_TRUE(p.ok());
      final_position = *p;
    }
    if (final_position >= 0 && last >= final_position) break;
    v1::WatchCablesRequest request;
    request.set_after_position(last);
    std::vector<ChangeEvent> got;
    const size_t want = 1 + rng() % 37;
    Watch(request, want, &got, absl::Milliseconds(500));
    ++connections;
    for (const ChangeEvent& e : got) {
      ASSERT_GT(e.position(), last) << "duplicate or out of order";
      last = e.position();
      seen.push_back(e);
    }
  }
  importer.join();
  ASSERT_GE(final_position, 0) << "import did not finish";
  ASSERT_EQ(last, final_position) << "consumer did not catch up";
  EXPECT_GT(connections, 10);

  auto expected = repository_->ListChanges(0, 10000);
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(seen.size(), expected->size());
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].position(), (*expected)[i].position);
    EXPECT_EQ(seen[i].name(), "cables/" + (*expected)[i].canonical_id);
    EXPECT_EQ(static_cast<int>(seen[i].kind()),
              static_cast<int>((*expected)[i].kind));
  }
  EXPECT_EQ(Q(kFacetCounterMismatches), "0");
}

}  // namespace
}  // namespace cables::metadata
