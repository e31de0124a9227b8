// TLS and mutual TLS with a throwaway CA made by openssl at test time.
#include "services/common/tls_credentials.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "services/common/testing/test_certs.h"

namespace cables {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/cables_tls_test_XXXXXX";
    dir_ = new std::string(mkdtemp(pattern));  // suite-lifetime test state
    auto certs = testing::MakeTestCerts(*dir_);
    if (certs.ok()) certs_ = new testing::TestCerts(*certs);
  }
  static void TearDownTestSuite() {
    std::system(absl::StrCat("rm -rf '", *dir_, "'").c_str());
    delete dir_;
    delete certs_;
  }
  void SetUp() override {
    if (certs_ == nullptr) GTEST_SKIP() << "openssl is not available";
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  void StartServer(bool mtls) {
    ServerTlsFiles files{certs_->server_cert, certs_->server_key,
                         mtls ? certs_->ca_cert : ""};
    auto credentials = MakeServerCredentials(files);
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", *credentials, &port_);
    builder.RegisterService(&service_);  // a callback service drives polling
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  // The health status code of a call through a channel with `options`.
  grpc::StatusCode Check(ClientChannelOptions options,
                         const std::string& host = "localhost") {
    auto channel = MakeClientChannel(absl::StrCat(host, ":", port_), options);
    EXPECT_TRUE(channel.ok()) << channel.status();
    if (!channel.ok()) return grpc::StatusCode::INTERNAL;
    auto stub = Health::NewStub(*channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    HealthCheckRequest request;
    HealthCheckResponse response;
    return stub->Check(&context, request, &response).error_code();
  }

  static std::string* dir_;
  static testing::TestCerts* certs_;
  cables::v1::IngestService::CallbackService service_;  // all UNIMPLEMENTED
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

std::string* TlsTest::dir_ = nullptr;
testing::TestCerts* TlsTest::certs_ = nullptr;

TEST_F(TlsTest, ServerTls) {
  StartServer(/*mtls=*/false);
  ClientChannelOptions options;
  options.ca_file = certs_->ca_cert;
  EXPECT_EQ(Check(options), grpc::StatusCode::OK);
  EXPECT_EQ(Check(options, "127.0.0.1"), grpc::StatusCode::OK);  // IP SAN
  // A plaintext client cannot talk to a TLS server.
  EXPECT_EQ(Check(ClientChannelOptions{}), grpc::StatusCode::UNAVAILABLE);
  // A client trusting another CA refuses the server.
  ClientChannelOptions wrong;
  wrong.ca_file = certs_->other_ca_cert;
  EXPECT_EQ(Check(wrong), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsRequiresClientCertificate) {
  StartServer(/*mtls=*/true);
  ClientChannelOptions with_cert;
  with_cert.ca_file = certs_->ca_cert;
  with_cert.cert_file = certs_->client_cert;
  with_cert.key_file = certs_->client_key;
  EXPECT_EQ(Check(with_cert), grpc::StatusCode::OK);
  ClientChannelOptions without_cert;
  without_cert.ca_file = certs_->ca_cert;
  EXPECT_EQ(Check(without_cert), grpc::StatusCode::UNAVAILABLE);
}

TEST(MakeServerCredentialsTest, Errors) {
  EXPECT_TRUE(MakeServerCredentials({}).ok());  // plaintext
  EXPECT_EQ(MakeServerCredentials({"/c.pem", "", ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeServerCredentials({"", "", "/ca.pem"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      MakeServerCredentials({"/nonexistent/c.pem", "/nonexistent/k.pem", ""})
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  ClientChannelOptions half;
  half.cert_file = "/c.pem";
  EXPECT_EQ(MakeClientChannel("localhost:1", half).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cables
