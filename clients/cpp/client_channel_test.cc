#include "clients/cpp/client_channel.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "cables/v1/search_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Counts SearchCables calls; the first `fail_first` get UNAVAILABLE.
class FakeSearch final : public v1::SearchService::Service {
 public:
  grpc::Status SearchCables(grpc::ServerContext* /*context*/,
                            const v1::SearchCablesRequest* /*request*/,
                            v1::SearchCablesResponse* /*response*/) override {
    ++calls;
    if (fail_first.fetch_sub(1) > 0) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "try again");
    }
    return grpc::Status::OK;
  }
  std::atomic<int> calls{0};
  std::atomic<int> fail_first{0};
};

// Always UNAVAILABLE; counts IngestCable calls.
class FakeIngest final : public v1::IngestService::Service {
 public:
  grpc::Status IngestCable(grpc::ServerContext* /*context*/,
                           const v1::IngestCableRequest* /*request*/,
                           v1::IngestCableResponse* /*response*/) override {
    ++calls;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
  }
  std::atomic<int> calls{0};
};

// One in-process server on a free loopback port.
struct TestServer {
  explicit TestServer(grpc::Service* service) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service);
    server = builder.BuildAndStart();
  }
  ~TestServer() {
    if (server != nullptr) server->Shutdown(std::chrono::system_clock::now());
  }
  std::string Address() const { return absl::StrCat("127.0.0.1:", port); }
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

grpc::Status Search(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::SearchService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  context.set_wait_for_ready(true);
  v1::SearchCablesRequest request;
  v1::SearchCablesResponse response;
  return stub->SearchCables(&context, request, &response);
}

TEST(MakeChannelTest, RejectsMalformedTargetsAndOptions) {
  EXPECT_EQ(MakeChannel("").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeChannel("host :1").status().code(),
            absl::StatusCode::kInvalidArgument);
  ChannelOptions options;
  options.max_message_bytes = 0;
  EXPECT_EQ(MakeChannel("host:1", options).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(MakeChannel("dns:///cables-search-headless:50053").ok());
}

TEST(MakeChannelTest, MultiAddressTargets) {
  EXPECT_TRUE(IsMultiAddressTarget("dns:///cables-search-headless:50053"));
  EXPECT_TRUE(IsMultiAddressTarget("DNS:///x:1"));
  EXPECT_TRUE(IsMultiAddressTarget("ipv4:10.0.0.1:1,10.0.0.2:1"));
  EXPECT_TRUE(IsMultiAddressTarget("ipv6:[::1]:1"));
  EXPECT_FALSE(IsMultiAddressTarget("cables-search:50053"));
  EXPECT_FALSE(IsMultiAddressTarget("unix:/run/cables.sock"));
  EXPECT_FALSE(IsMultiAddressTarget("127.0.0.1:50053"));
}

TEST(MakeChannelTest, ServiceConfigPicksThePolicy) {
  EXPECT_THAT(ServiceConfigJson("dns:///x:1", {}), HasSubstr("round_robin"));
  EXPECT_THAT(ServiceConfigJson("x:1", {}), HasSubstr("pick_first"));
  ChannelOptions forced;
  forced.load_balancing = LoadBalancing::kRoundRobin;
  EXPECT_THAT(ServiceConfigJson("x:1", forced), HasSubstr("round_robin"));
  forced.load_balancing = LoadBalancing::kPickFirst;
  EXPECT_THAT(ServiceConfigJson("dns:///x:1", forced), HasSubstr("pick_first"));
  forced.retry_reads = false;
  EXPECT_THAT(ServiceConfigJson("x:1", forced), Not(HasSubstr("retryPolicy")));
}

TEST(MakeChannelTest, RoundRobinSpreadsCallsOverEveryServer) {
  FakeSearch a, b;
  TestServer server_a(&a), server_b(&b);
  auto channel = MakeChannel(
      absl::StrCat("ipv4:", server_a.Address(), ",", server_b.Address()));
  ASSERT_TRUE(channel.ok());
  // Wait until both subchannels are connected, so the picks alternate.
  ASSERT_TRUE(Search(*channel).ok());
  for (int i = 0; i < 50 && (a.calls == 0 || b.calls == 0); ++i) {
    ASSERT_TRUE(Search(*channel).ok());
  }
  EXPECT_GT(a.calls, 0);
  EXPECT_GT(b.calls, 0);
  EXPECT_EQ((*channel)->GetLoadBalancingPolicyName(), "round_robin");
}

TEST(MakeChannelTest, PickFirstKeepsToOneServer) {
  FakeSearch a, b;
  TestServer server_a(&a), server_b(&b);
  ChannelOptions options;
  options.load_balancing = LoadBalancing::kPickFirst;
  auto channel = MakeChannel(
      absl::StrCat("ipv4:", server_a.Address(), ",", server_b.Address()),
      options);
  ASSERT_TRUE(channel.ok());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Search(*channel).ok());
  EXPECT_EQ(a.calls + b.calls, 20);
  EXPECT_TRUE(a.calls == 0 || b.calls == 0);
  EXPECT_EQ((*channel)->GetLoadBalancingPolicyName(), "pick_first");
}

TEST(MakeChannelTest, DnsTargetUsesRoundRobin) {
  FakeSearch a;
  TestServer server(&a);
  auto channel = MakeChannel(absl::StrCat("dns:///", server.Address()));
  ASSERT_TRUE(channel.ok());
  EXPECT_TRUE(Search(*channel).ok());
  EXPECT_EQ((*channel)->GetLoadBalancingPolicyName(), "round_robin");
}

TEST(MakeChannelTest, ReadsAreRetriedOnUnavailable) {
  FakeSearch a;
  a.fail_first = 2;
  TestServer server(&a);
  auto channel = MakeChannel(server.Address());
  ASSERT_TRUE(channel.ok());
  EXPECT_TRUE(Search(*channel).ok());
  EXPECT_EQ(a.calls, 3);
}

TEST(MakeChannelTest, RetriesCanBeTurnedOff) {
  FakeSearch a;
  a.fail_first = 1;
  TestServer server(&a);
  ChannelOptions options;
  options.retry_reads = false;
  auto channel = MakeChannel(server.Address(), options);
  ASSERT_TRUE(channel.ok());
  EXPECT_EQ(Search(*channel).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(a.calls, 1);
}

TEST(MakeChannelTest, IngestIsNotRetried) {
  FakeIngest ingest;
  TestServer server(&ingest);
  auto channel = MakeChannel(server.Address());
  ASSERT_TRUE(channel.ok());
  auto stub = v1::IngestService::NewStub(*channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  context.set_wait_for_ready(true);
  v1::IngestCableRequest request;
  v1::IngestCableResponse response;
  EXPECT_EQ(stub->IngestCable(&context, request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ingest.calls, 1);
}

}  // namespace
}  // namespace cables::client
