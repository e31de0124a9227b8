// CallGuard and the observability interceptor on a real in-process gRPC
// server (loopback TCP): the guard refuses before the handler's work runs,
// with the right codes and details; the interceptor counts and logs.
#include "services/common/call_guard.h"

#include <openssl/sha.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/common/observability_interceptor.h"
#include "services/common/structured_log.h"
#include "services/common/tls_credentials.h"

namespace cables {
namespace {

using cables::v1::ImportCablesRequest;
using cables::v1::ImportCablesResponse;
using cables::v1::IngestCableRequest;
using cables::v1::IngestCableResponse;
using ::testing::HasSubstr;

std::string Sha256Hex(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

// A fake IngestService whose handlers start with the guard line exactly as
// the real services do, and count how often their work ran.
class FakeIngest final : public cables::v1::IngestService::CallbackService {
 public:
  std::atomic<int> entered{0};

  grpc::ServerUnaryReactor* IngestCable(
      grpc::CallbackServerContext* context, const IngestCableRequest* request,
      IngestCableResponse* response) override {
    if (auto* r = GuardUnary(context, Scope::kWrite)) return r;
    ++entered;
    response->set_version(static_cast<int>(request->content().size()));
    auto* reactor = context->DefaultReactor();
    reactor->Finish(request->source() == "fail"
                        ? ToGrpcStatus(absl::NotFoundError("nope"))
                        : grpc::Status::OK);
    return reactor;
  }

  grpc::ServerBidiReactor<ImportCablesRequest, ImportCablesResponse>*
  ImportCables(grpc::CallbackServerContext* context) override {
    if (auto* r = GuardBidi<ImportCablesRequest, ImportCablesResponse>(
            context, Scope::kWrite)) {
      return r;
    }
    ++entered;
    class Echo final : public grpc::ServerBidiReactor<ImportCablesRequest,
                                                      ImportCablesResponse> {
     public:
      Echo() { StartRead(&request_); }
      void OnReadDone(bool ok) override {
        if (!ok) {
          Finish(grpc::Status::OK);
          return;
        }
        StartWrite(&response_);
      }
      void OnWriteDone(bool) override { StartRead(&request_); }
      void OnDone() override { delete this; }

     private:
      ImportCablesRequest request_;
      ImportCablesResponse response_;
    };
    return new Echo();
  }
};

class CallGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogSink([this](absl::string_view line) {
      absl::MutexLock lock(&mu_);
      lines_.emplace_back(line);
    });
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    CallGuard::SetGlobal(nullptr);
    SetLogSink(nullptr);
  }

  void Start(CallGuard::Options options) {
    CallGuard::SetGlobal(
        std::make_shared<CallGuard>(std::move(options), &registry_));
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&service_);
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(
        std::make_unique<ObservabilityInterceptorFactory>(&registry_));
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  std::unique_ptr<cables::v1::IngestService::Stub> Stub(
      const std::string& token) {
    ClientChannelOptions options;
    options.token = token;
    auto channel =
        MakeClientChannel(absl::StrCat("127.0.0.1:", port_), options);
    EXPECT_TRUE(channel.ok());
    return cables::v1::IngestService::NewStub(*channel);
  }

  absl::Status Ingest(cables::v1::IngestService::Stub* stub,
                      const std::string& source = "x",
                      grpc::ClientContext* context = nullptr) {
    grpc::ClientContext local;
    if (context == nullptr) context = &local;
    IngestCableRequest request;
    request.set_content("abc");
    request.set_source(source);
    request.set_request_id("req-42");
    IngestCableResponse response;
    return FromGrpcStatus(stub->IngestCable(context, request, &response));
  }

  std::vector<std::string> Lines() {
    absl::MutexLock lock(&mu_);
    return lines_;
  }

  MetricsRegistry registry_;
  FakeIngest service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
};

TokenAuthenticator Tokens() {
  auto tokens = TokenAuthenticator::Parse(
      absl::StrCat(Sha256Hex("reader-token"), "  read  reader\n",
                   Sha256Hex("writer-token"), "  write  the writer\n"));
  EXPECT_TRUE(tokens.ok()) << tokens.status();
  return *std::move(tokens);
}

TEST_F(CallGuardTest, NoGuardConfiguredAdmitsEverything) {
  Start({});
  auto stub = Stub("");
  EXPECT_TRUE(Ingest(stub.get()).ok());
  EXPECT_EQ(service_.entered, 1);
}

TEST_F(CallGuardTest, TokensAndScopes) {
  CallGuard::Options options;
  options.tokens = Tokens();
  Start(std::move(options));

  // No token: UNAUTHENTICATED, handler's work never ran.
  absl::Status status = Ingest(Stub("").get());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << status;
  cables::v1::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(status, &info));
  EXPECT_EQ(info.reason(), "MISSING_CREDENTIALS");
  EXPECT_EQ(info.domain(), "cables.v1");

  status = Ingest(Stub("wrong-token").get());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(GetErrorInfo(status, &info));
  EXPECT_EQ(info.reason(), "INVALID_TOKEN");

  // Read token on a write RPC: PERMISSION_DENIED.
  status = Ingest(Stub("reader-token").get());
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(GetErrorInfo(status, &info));
  EXPECT_EQ(info.reason(), "INSUFFICIENT_SCOPE");
  EXPECT_EQ(service_.entered, 0);

  // Write token: admitted.
  EXPECT_TRUE(Ingest(Stub("writer-token").get()).ok());
  EXPECT_EQ(service_.entered, 1);

  // Streaming: refused before the stream's work starts.
  {
    auto stub = Stub("reader-token");
    grpc::ClientContext context;
    auto stream = stub->ImportCables(&context);
    ImportCablesRequest request;
    stream->Write(request);
    ImportCablesResponse response;
    EXPECT_FALSE(stream->Read(&response));
    EXPECT_EQ(stream->Finish().error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    auto stub = Stub("writer-token");
    grpc::ClientContext context;
    auto stream = stub->ImportCables(&context);
    ImportCablesRequest request;
    ASSERT_TRUE(stream->Write(request));
    ImportCablesResponse response;
    EXPECT_TRUE(stream->Read(&response));
    stream->WritesDone();
    EXPECT_TRUE(stream->Finish().ok());
  }
  EXPECT_EQ(service_.entered, 2);
  EXPECT_THAT(
      registry_.Expose(),
      HasSubstr("cables_calls_rejected_total{reason=\"unauthenticated\"} 2"));
}

TEST_F(CallGuardTest, RateLimitPerIdentity) {
  CallGuard::Options options;
  options.tokens = Tokens();
  options.rate_limit_qps = 0.5;  // slow refill: the test sees no new token
  options.rate_limit_burst = 3;
  Start(std::move(options));
  auto writer = Stub("writer-token");
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Ingest(writer.get()).ok());
  const absl::Status status = Ingest(writer.get());
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  cables::v1::RetryInfo retry;
  ASSERT_TRUE(GetRetryInfo(status, &retry));
  EXPECT_GT(retry.retry_delay().seconds() * 1000 +
                retry.retry_delay().nanos() / 1000000,
            0);
  cables::v1::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(status, &info));
  EXPECT_EQ(info.reason(), "RATE_LIMITED");
  // Another identity has its own bucket (and a read token is refused for
  // its scope, not the limit).
  EXPECT_EQ(Ingest(Stub("reader-token").get()).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(CallGuardTest, RateLimitByPeerWithoutTokens) {
  CallGuard::Options options;
  options.rate_limit_qps = 0.1;
  options.rate_limit_burst = 2;
  Start(std::move(options));
  auto stub = Stub("");
  EXPECT_TRUE(Ingest(stub.get()).ok());
  EXPECT_TRUE(Ingest(stub.get()).ok());
  EXPECT_EQ(Ingest(stub.get()).code(), absl::StatusCode::kResourceExhausted);
}

TEST_F(CallGuardTest, MetricsAndAccessLog) {
  Start({});
  auto stub = Stub("");
  ASSERT_TRUE(Ingest(stub.get()).ok());
  grpc::ClientContext context;
  context.AddMetadata("x-request-id", "from-header");
  context.AddMetadata(
      "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(Ingest(stub.get(), "fail", &context).code(),
            absl::StatusCode::kNotFound);

  const std::string text = registry_.Expose();
  EXPECT_THAT(text, HasSubstr("grpc_server_started_total{grpc_type=\"unary\","
                              "grpc_service=\"cables.v1.IngestService\","
                              "grpc_method=\"IngestCable\"} 2"));
  EXPECT_THAT(text,
              HasSubstr("grpc_server_handled_total{grpc_type=\"unary\","
                        "grpc_service=\"cables.v1.IngestService\","
                        "grpc_method=\"IngestCable\",grpc_code=\"OK\"} 1"));
  EXPECT_THAT(text, HasSubstr("grpc_code=\"NotFound\"} 1"));
  EXPECT_THAT(text,
              HasSubstr("grpc_server_handling_seconds_count{grpc_type="
                        "\"unary\",grpc_service=\"cables.v1."
                        "IngestService\",grpc_method=\"IngestCable\"} 2"));
  EXPECT_THAT(text,
              HasSubstr("grpc_server_msg_received_total{grpc_type="
                        "\"unary\",grpc_service=\"cables.v1."
                        "IngestService\",grpc_method=\"IngestCable\"} 2"));
  EXPECT_THAT(text,
              HasSubstr("grpc_server_msg_sent_total{grpc_type="
                        "\"unary\",grpc_service=\"cables.v1."
                        "IngestService\",grpc_method=\"IngestCable\"} 1"));

  // One access-log line per RPC, each a JSON object.
  std::vector<google::protobuf::Struct> rpcs;
  for (const std::string& line : Lines()) {
    google::protobuf::Struct object;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &object).ok())
        << line;
    if (object.fields().at("msg").string_value() == "rpc")
      rpcs.push_back(object);
  }
  ASSERT_EQ(rpcs.size(), 2u);
  const auto& ok = rpcs[0].fields();
  EXPECT_EQ(ok.at("grpc_method").string_value(), "IngestCable");
  EXPECT_EQ(ok.at("grpc_service").string_value(), "cables.v1.IngestService");
  EXPECT_EQ(ok.at("grpc_code").string_value(), "OK");
  EXPECT_EQ(ok.at("level").string_value(), "info");
  EXPECT_EQ(ok.at("request_id").string_value(), "req-42");  // from the field
  EXPECT_GE(ok.at("duration_ms").number_value(), 0);
  EXPECT_TRUE(
      absl::StartsWith(ok.at("peer").string_value(), "ipv4:127.0.0.1:"));
  EXPECT_TRUE(absl::EndsWith(ok.at("ts").string_value(), "Z"));
  const auto& failed = rpcs[1].fields();
  EXPECT_EQ(failed.at("grpc_code").string_value(), "NotFound");
  EXPECT_EQ(failed.at("request_id").string_value(), "from-header");
  EXPECT_EQ(failed.at("trace_id").string_value(),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  // Nothing of the request body (content "abc", source) is logged.
  for (const std::string& line : Lines()) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("\"abc\"")));
  }
}

TEST(PeerAddressTest, Forms) {
  EXPECT_EQ(PeerAddress("ipv4:10.1.2.3:5555"), "10.1.2.3");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:5555"), "::1");
  EXPECT_EQ(PeerAddress("unix:/tmp/sock"), "unix:/tmp/sock");
}

TEST(TraceIdTest, Traceparent) {
  EXPECT_EQ(TraceIdFromTraceparent(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(TraceIdFromTraceparent(
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
            "");
  EXPECT_EQ(TraceIdFromTraceparent("garbage"), "");
  EXPECT_EQ(TraceIdFromTraceparent(
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"),
            "");
}

}  // namespace
}  // namespace cables
