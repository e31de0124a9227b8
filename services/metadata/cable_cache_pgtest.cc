// The GetCable cache over PostgreSQL: the catalog answers repeated reads from
// memory, and the change log invalidates what changed (new version,
// deletion) so that no stale version outlives one invalidation round.
#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/common/bounded_executor.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/common/lru_cache.h"
#include "services/common/raw_message.h"
#include "services/metadata/cable_cache.h"
#include "services/metadata/cache_invalidator.h"
#include "services/metadata/metadata_catalog.h"
#include "services/metadata/metadata_service.h"
#include "storage/pg_cable_repository.h"
#include "storage/testing/test_cables.h"
#include "storage/testing/test_database.h"

namespace cables::metadata {
namespace {

using cables::v1::Cable;
using storage::testing::MakeCable;

class CableCachePgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::testing::TestDatabase::Create("cablecache");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    storage::ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 3;
    auto repo = storage::PgCableRepository::Open(options);
    ASSERT_TRUE(repo.ok()) << repo.status();
    repository_ = *std::move(repo);
    catalog_ = std::make_unique<MetadataCatalog>(repository_.get());
    catalog_->set_cache(&cache_);
    invalidator_ =
        std::make_unique<CacheInvalidator>(&cache_, repository_.get());
    ASSERT_TRUE(invalidator_->CatchUp().ok());
  }

  void Store(const Cable& cable) {
    auto r = repository_->UpsertCable(cable, "test");
    ASSERT_TRUE(r.ok()) << r.status();
  }

  absl::StatusOr<Cable> Get(const std::string& name) {
    v1::GetCableRequest request;
    request.set_name(name);
    return catalog_->GetCable(request);
  }

  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::unique_ptr<storage::PgCableRepository> repository_;
  LruCache store_{8 << 20};
  CableCache cache_{&store_};
  std::unique_ptr<MetadataCatalog> catalog_;
  std::unique_ptr<CacheInvalidator> invalidator_;
};

TEST_F(CableCachePgTest, RepeatedReadsComeFromTheCache) {
  Store(MakeCable("05ALMATY1595"));
  ASSERT_TRUE(Get("cables/05ALMATY1595").ok());
  const int64_t hits = store_.stats().hits;
  auto again = Get("cables/05ALMATY1595");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(store_.stats().hits, hits + 1);
  EXPECT_EQ(again->name(), "cables/05ALMATY1595");
  EXPECT_EQ(again->version(), 1);
  // A read mask applies to cached cables too.
  v1::GetCableRequest masked;
  masked.set_name("05ALMATY1595");
  masked.mutable_read_mask()->add_paths("subject");
  auto trimmed = catalog_->GetCable(masked);
  ASSERT_TRUE(trimmed.ok());
  EXPECT_TRUE(trimmed->body().empty());
  EXPECT_EQ(trimmed->name(), "cables/05ALMATY1595");
}

// Through gRPC: GetCable is a raw method that sends cached bytes as they
// are; clients see the same Cable either way, masks apply, and bytes that
// are not a GetCableRequest are INVALID_ARGUMENT.
TEST_F(CableCachePgTest, GrpcGetCableServesTheCachedBytes) {
  Store(MakeCable("05ALMATY1595"));
  BoundedExecutor executor(2, 16);
  MetadataServiceImpl service(catalog_.get(), &executor);
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  std::shared_ptr<grpc::Channel> channel =
      server->InProcessChannel(grpc::ChannelArguments());
  auto stub = v1::MetadataService::NewStub(channel);
  const auto get = [&](const v1::GetCableRequest& request) {
    grpc::ClientContext context;
    Cable cable;
    const grpc::Status status = stub->GetCable(&context, request, &cable);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return cable;
  };
  v1::GetCableRequest request;
  request.set_name("cables/05ALMATY1595");
  const Cable first = get(request);  // a miss: read and cached
  const int64_t hits = store_.stats().hits;
  const Cable second = get(request);  // a hit: the cached bytes
  EXPECT_EQ(store_.stats().hits, hits + 1);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(second.name(), "cables/05ALMATY1595");
  EXPECT_FALSE(second.body().empty());
  request.mutable_read_mask()->add_paths("subject");
  const Cable masked = get(request);  // a hit, trimmed
  EXPECT_EQ(masked.subject(), first.subject());
  EXPECT_TRUE(masked.body().empty());
  EXPECT_EQ(masked.name(), "cables/05ALMATY1595");

  grpc::GenericStub generic(channel);
  grpc::ClientContext context;
  const grpc::ByteBuffer garbage = RawMessageFromBytes("\x0a\xff\xff\xff");
  grpc::ByteBuffer reply;
  grpc::Status status;
  absl::Notification done;
  generic.UnaryCall(&context, "/cables.v1.MetadataService/GetCable",
                    grpc::StubOptions(), &garbage, &reply, [&](grpc::Status s) {
                      status = std::move(s);
                      done.Notify();
                    });
  done.WaitForNotification();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(FromGrpcStatus(status), &info));
  EXPECT_EQ(info.reason(), "MALFORMED_REQUEST");
  server->Shutdown();
}

TEST_F(CableCachePgTest, OtherFormsOfTheIdAreAnsweredButNotCached) {
  Store(MakeCable("05ALMATY1595"));
  auto lower = Get("05almaty1595");
  ASSERT_TRUE(lower.ok()) << lower.status();
  EXPECT_EQ(lower->name(), "cables/05ALMATY1595");
  EXPECT_EQ(store_.stats().entries, 0u);
}

TEST_F(CableCachePgTest, ANewVersionReplacesTheCachedOneAfterOneRound) {
  Store(MakeCable("05ALMATY1595", "2005-04-05", "initial text"));
  ASSERT_EQ(Get("05ALMATY1595")->version(), 1);
  Store(MakeCable("05ALMATY1595", "2005-04-05", "corrected text"));
  ASSERT_TRUE(invalidator_->CatchUp().ok());
  auto current = Get("05ALMATY1595");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->version(), 2);
  EXPECT_NE(current->body().find("corrected"), std::string::npos);
}

TEST_F(CableCachePgTest, ADeletedCableIsNotFoundAfterOneRound) {
  Store(MakeCable("05ALMATY1595"));
  ASSERT_TRUE(Get("05ALMATY1595").ok());
  ASSERT_TRUE(repository_->DeleteCable("05ALMATY1595", "test").ok());
  ASSERT_TRUE(invalidator_->CatchUp().ok());
  EXPECT_TRUE(absl::IsNotFound(Get("05ALMATY1595").status()));
}

TEST_F(CableCachePgTest, BatchGetMixesCachedAndStoredCablesInOrder) {
  Store(MakeCable("05ALMATY1595"));
  Store(MakeCable("06ALMATY100"));
  ASSERT_TRUE(Get("05ALMATY1595").ok());  // cached
  v1::BatchGetCablesRequest request;
  request.add_names("06ALMATY100");
  request.add_names("cables/05ALMATY1595");
  auto batch = catalog_->BatchGetCables(request);
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->cables_size(), 2);
  EXPECT_EQ(batch->cables(0).name(), "cables/06ALMATY100");
  EXPECT_EQ(batch->cables(1).name(), "cables/05ALMATY1595");
  EXPECT_EQ(store_.stats().entries, 2u);  // the stored one was cached too
}

TEST_F(CableCachePgTest, BrowseAndListTotalsAreCachedUntilTheNextChange) {
  Store(MakeCable("05ALMATY1595"));
  v1::BrowseCablesRequest browse;
  auto first = catalog_->BrowseCables(browse);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->total_size(), 1);
  const int64_t hits = store_.stats().hits;
  auto again = catalog_->BrowseCables(browse);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(store_.stats().hits, hits + 1);
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  v1::ListCablesRequest list;
  list.set_filter("origin = \"Embassy Almaty\"");
  auto listed = catalog_->ListCables(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  const int64_t before = listed->total_size();
  // A new cable: after one round both answers count it.
  Cable other = MakeCable("06ALMATY100");
  Store(other);
  ASSERT_TRUE(invalidator_->CatchUp().ok());
  auto counted = catalog_->BrowseCables(browse);
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->total_size(), 2);
  auto relisted = catalog_->ListCables(list);
  ASSERT_TRUE(relisted.ok());
  EXPECT_EQ(relisted->total_size(),
            before + (other.origin() == "Embassy Almaty" ? 1 : 0));
  EXPECT_EQ(relisted->cables_size(), relisted->total_size());
}

TEST_F(CableCachePgTest, TheStartedInvalidatorFollowsChangesByItself) {
  CacheInvalidatorOptions options;
  options.poll_interval = absl::Milliseconds(10);
  auto running =
      std::make_unique<CacheInvalidator>(&cache_, repository_.get(), options);
  invalidator_.reset();
  running->Start();
  Store(MakeCable("05ALMATY1595", "2005-04-05", "initial text"));
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!cache_.synced() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(Get("05ALMATY1595")->version(), 1);
  Store(MakeCable("05ALMATY1595", "2005-04-05", "corrected text"));
  int version = 1;
  while (version == 1 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
    version = Get("05ALMATY1595")->version();
  }
  EXPECT_EQ(version, 2);
  running->Stop();
}

}  // namespace
}  // namespace cables::metadata
