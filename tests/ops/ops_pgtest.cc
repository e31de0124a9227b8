// Operations of the real service binaries (issue #7): /metrics scraped and
// checked with promtool, JSON logs, bearer tokens and scopes, TLS and mTLS,
// health (overall and liveness) following the database, SIGTERM -> drain ->
// exit 0. Each binary runs as a child process against a fresh database on
// the embedded test cluster.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/common/testing/loopback.h"
#include "services/common/testing/test_certs.h"
#include "services/common/tls_credentials.h"
#include "storage/testing/test_cables.h"
#include "storage/testing/test_database.h"

namespace cables {
namespace {

using grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kBin[] = CABLES_BINARY_DIR "/bin";
constexpr char kCable[] = CABLES_SOURCE_DIR
    "/../shared/corpus/wikileaks-html/2008/06/08DAMASCUS427.html";
// A password that must never appear in a log line.
constexpr char kPassword[] = "hunter2-never-logged";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// GET http://127.0.0.1:port/path; the whole response (head and body).
std::string HttpGet(int port, absl::string_view path) {
  const int fd = testing::ConnectLoopback(port, absl::Seconds(10));
  if (fd < 0) return "";
  const std::string request =
      absl::StrCat("GET ", path,
                   " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[8192];
  for (ssize_t n; (n = recv(fd, buf, sizeof(buf), 0)) > 0;) out.append(buf, n);
  close(fd);
  return out;
}

// A service binary running as a child process, stdout+stderr in a file.
class Service {
 public:
  Service(const std::string& binary, std::vector<std::string> args,
          const std::string& log_path)
      : log_path_(log_path), port_(testing::FreeLoopbackPort()) {
    args.insert(args.begin(), {absl::StrCat(kBin, "/", binary), "--listen",
                               absl::StrCat("127.0.0.1:", port_)});
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Service() {
    if (pid_ > 0 && exit_code_ < 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  // Waits until the gRPC port accepts connections (so that clients do not
  // start with a refused connection and gRPC's reconnect backoff).
  bool WaitListening(absl::Duration limit = absl::Seconds(30)) {
    const absl::Time deadline = absl::Now() + limit;
    while (absl::Now() < deadline) {
      if (const int fd = testing::ConnectLoopback(port_); fd >= 0) {
        close(fd);
        return true;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  int port() const { return port_; }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  std::string log() const { return ReadFile(log_path_); }

  // SIGTERM, then the exit code (-1 if it did not exit within `limit`).
  int Terminate(absl::Duration limit = absl::Seconds(30)) {
    kill(pid_, SIGTERM);
    return Wait(limit);
  }

  // The exit code (-1 if it did not exit within `limit`).
  int Wait(absl::Duration limit) {
    const absl::Time deadline = absl::Now() + limit;
    while (absl::Now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        return exit_code_;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return -1;
  }

 private:
  std::string log_path_;
  int port_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// The health status of `service` ("" overall), or -1 when the call fails.
int HealthOf(const std::shared_ptr<grpc::Channel>& channel,
             const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(2));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  if (!stub->Check(&context, request, &response).ok()) return -1;
  return response.status();
}

bool WaitForHealth(const std::shared_ptr<grpc::Channel>& channel,
                   const std::string& service, int want,
                   absl::Duration limit = absl::Seconds(30)) {
  const absl::Time deadline = absl::Now() + limit;
  while (absl::Now() < deadline) {
    if (HealthOf(channel, service) == want) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

std::shared_ptr<grpc::Channel> Channel(
    const std::string& address, const ClientChannelOptions& options = {}) {
  auto channel = MakeClientChannel(address, options);
  EXPECT_TRUE(channel.ok()) << channel.status();
  return *channel;
}

// Every line of a log parses as one JSON object; returns them.
std::vector<google::protobuf::Struct> JsonLines(const std::string& log) {
  std::vector<google::protobuf::Struct> out;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct object;
    const auto status =
        google::protobuf::util::JsonStringToMessage(std::string(line), &object);
    EXPECT_TRUE(status.ok()) << "not a JSON line: " << line;
    if (status.ok()) out.push_back(std::move(object));
  }
  return out;
}

class OpsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = storage::testing::TestDatabase::Create("ops");
    if (!db.ok()) {
      skip_ = new std::string(db.status().ToString());
      return;
    }
    database_ = db->release();
    char pattern[] = "/tmp/cables_ops_test_XXXXXX";
    dir_ = new std::string(mkdtemp(pattern));
  }
  static void TearDownTestSuite() {
    delete database_;
    if (getenv("OPS_KEEP") != nullptr) return;
    if (dir_ != nullptr)
      std::system(absl::StrCat("rm -rf '", *dir_, "'").c_str());
    delete dir_;
    delete skip_;
  }
  void SetUp() override {
    if (skip_ != nullptr) GTEST_SKIP() << "no test database: " << *skip_;
  }

  // The test database's URL with a password parameter that the server's
  // trust authentication ignores, to check it is redacted in logs.
  static std::string UrlWithPassword() {
    const std::string& url = database_->url();
    return absl::StrCat(url, url.find('?') == std::string::npos ? "?" : "&",
                        "password=", kPassword);
  }

  static std::string WriteTokens() {
    const std::string path = *dir_ + "/tokens";
    std::ofstream out(path);
    out << storage::testing::Sha256Hex("reader-secret") << "  read  dashboard\n"
        << storage::testing::Sha256Hex("writer-secret")
        << "  write  importer\n";
    return path;
  }

  static storage::testing::TestDatabase* database_;
  static std::string* dir_;
  static std::string* skip_;
};

storage::testing::TestDatabase* OpsTest::database_ = nullptr;
std::string* OpsTest::dir_ = nullptr;
std::string* OpsTest::skip_ = nullptr;

absl::Status Ingest(const std::shared_ptr<grpc::Channel>& channel,
                    const std::string& request_id) {
  auto stub = cables::v1::IngestService::NewStub(channel);
  cables::v1::IngestCableRequest request;
  request.set_content(ReadFile(kCable));
  request.set_request_id(request_id);
  cables::v1::IngestCableResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  return FromGrpcStatus(stub->IngestCable(&context, request, &response));
}

TEST_F(OpsTest, IngestMetricsLogsTokensAndDrain) {
  const int http_port = testing::FreeLoopbackPort();
  // Dashed flag spellings on purpose (the documented interface).
  Service ingest("cables-ingest",
                 {"--database", UrlWithPassword(), "--http-listen",
                  absl::StrCat("127.0.0.1:", http_port), "--auth-tokens-file",
                  WriteTokens(), "--pool-size", "2"},
                 *dir_ + "/ingest.log");
  ASSERT_TRUE(ingest.WaitListening()) << ingest.log();
  auto plain = Channel(ingest.address());
  ASSERT_TRUE(WaitForHealth(plain, "", HealthCheckResponse::SERVING))
      << ingest.log();
  EXPECT_EQ(HealthOf(plain, "liveness"), HealthCheckResponse::SERVING);

  // Tokens and scopes.
  absl::Status status = Ingest(plain, "no-token");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << status;
  ClientChannelOptions reader;
  reader.token = "reader-secret";
  status = Ingest(Channel(ingest.address(), reader), "read-token");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  cables::v1::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(status, &info));
  EXPECT_EQ(info.reason(), "INSUFFICIENT_SCOPE");
  ClientChannelOptions writer;
  writer.token = "writer-secret";
  status = Ingest(Channel(ingest.address(), writer), "req-ops-1");
  EXPECT_TRUE(status.ok()) << status;

  // /metrics.
  const std::string response = HttpGet(http_port, "/metrics");
  ASSERT_THAT(response, ::testing::StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(response, HasSubstr("Content-Type: text/plain; version=0.0.4"));
  const std::string metrics = response.substr(response.find("\r\n\r\n") + 4);
  for (const char* want : {
           "grpc_server_started_total{grpc_type=\"unary\",grpc_service="
           "\"cables.v1.IngestService\",grpc_method=\"IngestCable\"} 3",
           "grpc_code=\"Unauthenticated\"} 1",
           "grpc_code=\"PermissionDenied\"} 1",
           "grpc_method=\"IngestCable\",grpc_code=\"OK\"} 1",
           "grpc_server_handling_seconds_bucket{",
           "grpc_server_msg_received_total{",
           "grpc_server_msg_sent_total{",
           "process_resident_memory_bytes ",
           "process_cpu_seconds_total ",
           "process_open_fds ",
           "process_start_time_seconds ",
           "cables_db_pool_connections{pool=\"0\",state=\"in_use\"}",
           "cables_db_pool_max_connections{pool=\"0\"} 2",
           "cables_db_pool_waiters{pool=\"0\"} 0",
           "cables_executor_queued_tasks{executor=\"cables-ingest\"} 0",
           "cables_calls_rejected_total{reason=\"permission_denied\"} 1",
           "cables_ingested_total{outcome=\"created\"} 1",
           "cables_ingested_bytes_total ",
       }) {
    EXPECT_THAT(metrics, HasSubstr(want));
  }
  EXPECT_THAT(HttpGet(http_port, "/healthz"),
              ::testing::StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(HttpGet(http_port, "/readyz"),
              ::testing::StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(HttpGet(http_port, "/nope"),
              ::testing::StartsWith("HTTP/1.1 404"));

  if (access("/usr/bin/promtool", X_OK) != 0) {
    std::printf(
        "SKIPPED promtool check: /usr/bin/promtool is absent "
        "(Debian package prometheus)\n");
  } else {
    const std::string path = *dir_ + "/metrics.txt";
    std::ofstream(path) << metrics;
    const std::string command =
        absl::StrCat("/usr/bin/promtool check metrics < '", path, "' > '", path,
                     ".out' 2>&1");
    EXPECT_EQ(std::system(command.c_str()), 0) << ReadFile(path + ".out");
  }

  // SIGTERM: drain, exit 0.
  EXPECT_EQ(ingest.Terminate(), 0) << ingest.log();

  // Logs: JSON lines only, the startup/shutdown events and one access line
  // per RPC; no password, token or cable text.
  const std::string log = ingest.log();
  EXPECT_THAT(log, Not(HasSubstr(kPassword)));
  EXPECT_THAT(log, Not(HasSubstr("writer-secret")));
  EXPECT_THAT(log, Not(HasSubstr("DAMASCUS 427")));
  std::vector<std::string> events;
  int rpc_lines = 0;
  for (const auto& line : JsonLines(log)) {
    const auto& f = line.fields();
    ASSERT_TRUE(f.contains("ts") && f.contains("level") && f.contains("msg"));
    EXPECT_EQ(f.at("service").string_value(), "cables-ingest");
    events.push_back(f.at("msg").string_value());
    if (f.at("msg").string_value() == "rpc" &&
        f.at("grpc_method").string_value() == "IngestCable") {
      ++rpc_lines;
      if (f.at("grpc_code").string_value() == "OK") {
        EXPECT_EQ(f.at("request_id").string_value(), "req-ops-1");
        EXPECT_GT(f.at("duration_ms").number_value(), 0);
      }
    }
  }
  EXPECT_EQ(rpc_lines, 3);
  for (const char* event : {"starting", "listening", "http listening",
                            "draining", "stopped", "exiting"}) {
    EXPECT_NE(std::find(events.begin(), events.end(), event), events.end())
        << event << " missing from\n"
        << log;
  }
}

TEST_F(OpsTest, HealthFollowsDatabaseLivenessDoesNot) {
  auto own = storage::testing::TestDatabase::Create("opshealth");
  ASSERT_TRUE(own.ok()) << own.status();
  Service metadata("cables-metadata", {"--database", (*own)->url()},
                   *dir_ + "/metadata-health.log");
  ASSERT_TRUE(metadata.WaitListening()) << metadata.log();
  auto channel = Channel(metadata.address());
  ASSERT_TRUE(WaitForHealth(channel, "", HealthCheckResponse::SERVING))
      << metadata.log();
  // Make the database unreachable: refuse connections, end the sessions.
  auto admin = storage::testing::TestDatabase::ClusterUrl();
  ASSERT_TRUE(admin.ok());
  const std::string name = (*own)->name();
  const auto psql = [&](const std::string& sql) {
    return std::system(
        absl::StrCat("psql '", *admin, "' -qAtc \"", sql, "\" >/dev/null 2>&1")
            .c_str());
  };
  ASSERT_EQ(
      psql(absl::StrCat("ALTER DATABASE ", name, " ALLOW_CONNECTIONS false")),
      0);
  psql(
      absl::StrCat("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = '",
                   name, "'"));
  EXPECT_TRUE(WaitForHealth(channel, "", HealthCheckResponse::NOT_SERVING))
      << metadata.log();
  EXPECT_EQ(HealthOf(channel, "liveness"), HealthCheckResponse::SERVING);
  ASSERT_EQ(
      psql(absl::StrCat("ALTER DATABASE ", name, " ALLOW_CONNECTIONS true")),
      0);
  EXPECT_TRUE(WaitForHealth(channel, "", HealthCheckResponse::SERVING))
      << metadata.log();
  EXPECT_EQ(metadata.Terminate(), 0);
  EXPECT_THAT(metadata.log(), HasSubstr("not serving: database unreachable"));
}

TEST_F(OpsTest, MutualTls) {
  auto certs = testing::MakeTestCerts(*dir_);
  if (!certs.ok()) GTEST_SKIP() << certs.status();
  Service metadata(
      "cables-metadata",
      {"--database", database_->url(), "--tls_cert", certs->server_cert,
       "--tls_key", certs->server_key, "--tls-client-ca", certs->ca_cert},
      *dir_ + "/metadata-tls.log");
  ASSERT_TRUE(metadata.WaitListening()) << metadata.log();
  ClientChannelOptions mtls;
  mtls.ca_file = certs->ca_cert;
  mtls.cert_file = certs->client_cert;
  mtls.key_file = certs->client_key;
  auto good = Channel(absl::StrCat("localhost:", metadata.port()), mtls);
  ASSERT_TRUE(WaitForHealth(good, "", HealthCheckResponse::SERVING))
      << metadata.log();
  auto stub = cables::v1::MetadataService::NewStub(good);
  cables::v1::GetCableRequest request;
  request.set_name("cables/99NOWHERE1");
  cables::v1::Cable cable;
  grpc::ClientContext context;
  EXPECT_EQ(stub->GetCable(&context, request, &cable).error_code(),
            grpc::StatusCode::NOT_FOUND);

  ClientChannelOptions no_cert;
  no_cert.ca_file = certs->ca_cert;
  EXPECT_EQ(
      HealthOf(Channel(absl::StrCat("localhost:", metadata.port()), no_cert),
               ""),
      -1);
  EXPECT_EQ(HealthOf(Channel(metadata.address()), ""), -1);  // plaintext
  EXPECT_EQ(metadata.Terminate(), 0);
  // gRPC's own messages (the refused handshakes) are JSON lines too.
  const std::string log = metadata.log();
  EXPECT_THAT(log, HasSubstr("\"msg\":\"grpc\""));
  JsonLines(log);
}

TEST_F(OpsTest, BadConfigurationExitsTwo) {
  Service bad("cables-ingest",
              {"--database", database_->url(), "--auth_tokens_file",
               "/nonexistent/tokens"},
              *dir_ + "/bad.log");
  EXPECT_EQ(bad.Wait(absl::Seconds(10)), 2) << bad.log();
  const auto lines = JsonLines(bad.log());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().fields().at("level").string_value(), "error");
}

}  // namespace
}  // namespace cables
