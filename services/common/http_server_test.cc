#include "services/common/http_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/testing/loopback.h"

namespace cables {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::StartsWith;

// A blocking client socket connected to 127.0.0.1:port, with a receive
// timeout so a broken server fails the test instead of hanging it.
class Client {
 public:
  explicit Client(int port) : fd_(testing::ConnectLoopback(port)) {}
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }
  bool connected() const { return fd_ >= 0; }

  void Send(absl::string_view bytes) {
    ASSERT_EQ(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }

  // Reads until the peer closes (or the timeout).
  std::string ReadAll() {
    std::string out;
    char buf[4096];
    for (;;) {
      const ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return out;
      out.append(buf, n);
    }
  }

  // Reads one response with a Content-Length body.
  std::string ReadResponse() {
    std::string out;
    char c;
    while (!absl::EndsWith(out, "\r\n\r\n")) {
      if (recv(fd_, &c, 1, 0) != 1) return out;
      out.push_back(c);
    }
    const size_t at = out.find("Content-Length: ");
    size_t length =
        at == std::string::npos ? 0 : std::stoul(out.substr(at + 16));
    if (absl::StartsWith(out, "HTTP/1.1 100")) return out;
    std::string body(length, '\0');
    size_t got = 0;
    while (got < length) {
      const ssize_t n = recv(fd_, body.data() + got, length - got, 0);
      if (n <= 0) break;
      got += n;
    }
    return out + body.substr(0, got);
  }

 private:
  int fd_ = -1;
};

HttpResponse Echo(const HttpRequest& request) {
  HttpResponse response;
  response.body = absl::StrCat(request.method, " ", request.path,
                               " q=", request.query, " body=", request.body);
  for (const auto& [name, value] : request.headers) {
    if (name == "x-test") absl::StrAppend(&response.body, " x-test=", value);
  }
  response.headers.emplace_back("X-Served", "yes");
  return response;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpServer::Options options = {}) {
    server_ = std::make_unique<HttpServer>(options);
    server_->Handle("/echo", Echo);
    server_->Handle("/a b", Echo);
    ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
    ASSERT_GT(server_->port(), 0);
  }
  std::unique_ptr<HttpServer> server_;
};

TEST(ParseFormEncodedTest, DecodesPairsInOrder) {
  auto pairs = ParseFormEncoded("a=1&b=%20x&a=2&c+d=e+f&flag&&e=");
  ASSERT_TRUE(pairs.ok()) << pairs.status();
  EXPECT_THAT(*pairs,
              ElementsAre(Pair("a", "1"), Pair("b", " x"), Pair("a", "2"),
                          Pair("c d", "e f"), Pair("flag", ""), Pair("e", "")));
}

TEST(ParseFormEncodedTest, EmptyAndMalformed) {
  EXPECT_TRUE(ParseFormEncoded("")->empty());
  EXPECT_EQ(ParseFormEncoded("a=%2").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFormEncoded("a=%zz").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFormEncoded("%").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*ParseFormEncoded("x=%41%2b"))[0].second, "A+");
}

TEST_F(HttpServerTest, GetWithQueryAndHeaders) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  client.Send(
      "GET /echo?verb=Identify&x=%20 HTTP/1.1\r\nHost: h\r\nX-Test:  v1 \r\n"
      "Connection: close\r\n\r\n");
  const std::string response = client.ReadAll();
  EXPECT_THAT(response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(response, HasSubstr("X-Served: yes\r\n"));
  EXPECT_THAT(response, HasSubstr("Content-Type: text/plain; charset=utf-8"));
  EXPECT_THAT(response,
              HasSubstr("\r\n\r\nGET /echo q=verb=Identify&x=%20 body= "
                        "x-test=v1"));
}

TEST_F(HttpServerTest, PercentDecodesPath) {
  StartServer();
  Client client(server_->port());
  client.Send("GET /a%20b HTTP/1.0\r\n\r\n");
  EXPECT_THAT(client.ReadAll(), HasSubstr("GET /a b q= body="));
}

TEST_F(HttpServerTest, PostBodyAndKeepAlive) {
  StartServer();
  Client client(server_->port());
  client.Send(
      "POST /echo HTTP/1.1\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\n"
      "verb=Identify");
  std::string first = client.ReadResponse();
  EXPECT_THAT(first, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(first, HasSubstr("POST /echo q= body=verb=Identify"));
  EXPECT_THAT(first, ::testing::Not(HasSubstr("Connection: close")));
  // Same connection, pipelined: two requests in one write.
  client.Send(
      "GET /echo?1 HTTP/1.1\r\n\r\nGET /echo?2 HTTP/1.1\r\nConnection: "
      "close\r\n\r\n");
  EXPECT_THAT(client.ReadResponse(), HasSubstr("q=1"));
  EXPECT_THAT(client.ReadResponse(), HasSubstr("q=2"));
}

TEST_F(HttpServerTest, ExpectContinue) {
  StartServer();
  Client client(server_->port());
  client.Send(
      "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nExpect: "
      "100-continue\r\n\r\n");
  EXPECT_THAT(client.ReadResponse(), StartsWith("HTTP/1.1 100 Continue"));
  client.Send("abc");
  EXPECT_THAT(client.ReadResponse(), HasSubstr("body=abc"));
}

TEST_F(HttpServerTest, HeadHasNoBody) {
  StartServer();
  Client client(server_->port());
  client.Send("HEAD /echo HTTP/1.1\r\nConnection: close\r\n\r\n");
  const std::string response = client.ReadAll();
  EXPECT_THAT(response, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(response, HasSubstr("Content-Length: 19\r\n"));
  EXPECT_TRUE(absl::EndsWith(response, "\r\n\r\n")) << response;
}

TEST_F(HttpServerTest, ErrorStatuses) {
  HttpServer::Options options;
  options.max_request_bytes = 100;
  StartServer(options);
  struct Case {
    std::string request;
    std::string status;
  } cases[] = {
      {"GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n", "404"},
      {"DELETE /echo HTTP/1.1\r\n\r\n", "405"},
      {"garbage\r\n\r\n", "400"},
      {"GET /echo HTTP/1.1\r\nBad Header\r\n\r\n", "400"},
      {"GET /echo HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", "400"},
      {"GET /%zz HTTP/1.1\r\n\r\n", "400"},
      {"GET /echo%00 HTTP/1.1\r\n\r\n", "400"},
      {"GET echo HTTP/1.1\r\n\r\n", "400"},
      {"GET /echo HTTP/2.0\r\n\r\n", "505"},
      {"POST /echo HTTP/1.1\r\nContent-Length: 101\r\n\r\n", "413"},
      {"POST /echo HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "400"},
      {"POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
       "400"},
      {"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "501"},
      {"GET /echo HTTP/1.1\r\nX: " + std::string(70000, 'a') + "\r\n\r\n",
       "431"},
  };
  for (const Case& c : cases) {
    Client client(server_->port());
    client.Send(c.request);
    const absl::Time start = absl::Now();
    EXPECT_THAT(client.ReadAll(), StartsWith("HTTP/1.1 " + c.status))
        << c.request.substr(0, 80);
    // The server closes right after an error answer.
    EXPECT_LT(absl::Now() - start, absl::Seconds(1)) << c.request.substr(0, 80);
  }
}

TEST_F(HttpServerTest, SlowClientTimesOut) {
  HttpServer::Options options;
  options.read_timeout = absl::Milliseconds(300);
  StartServer(options);
  Client slow(server_->port());
  slow.Send("GET /echo HTTP/1.1\r\n");  // never finishes its head
  const absl::Time start = absl::Now();
  EXPECT_THAT(slow.ReadAll(), StartsWith("HTTP/1.1 408"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  // An idle connection is closed without an answer.
  Client idle(server_->port());
  EXPECT_EQ(idle.ReadAll(), "");
}

TEST_F(HttpServerTest, BoundsConnectionsAndStillServes) {
  HttpServer::Options options;
  options.max_connections = 4;
  options.read_timeout = absl::Seconds(30);
  StartServer(options);
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<Client>(server_->port()));
    idle.back()->Send("G");  // half a request each
  }
  absl::SleepFor(absl::Milliseconds(100));
  Client extra(server_->port());
  EXPECT_THAT(extra.ReadAll(), StartsWith("HTTP/1.1 503"));
  idle.pop_back();  // a slot frees up
  absl::SleepFor(absl::Milliseconds(100));
  Client ok(server_->port());
  ok.Send("GET /echo HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(ok.ReadAll(), StartsWith("HTTP/1.1 200"));
}

TEST_F(HttpServerTest, ConcurrentRequestsOnWorkers) {
  HttpServer::Options options;
  options.threads = 2;
  server_ = std::make_unique<HttpServer>(options);
  server_->Handle("/slow", [](const HttpRequest&) {
    absl::SleepFor(absl::Milliseconds(200));
    HttpResponse response;
    response.body = "done";
    return response;
  });
  ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      Client client(server_->port());
      client.Send("GET /slow HTTP/1.1\r\nConnection: close\r\n\r\n");
      EXPECT_THAT(client.ReadAll(), HasSubstr("\r\n\r\ndone"));
    });
  }
  for (auto& t : threads) t.join();
  // Two workers: 4 requests of 200 ms take about 400 ms, not 800.
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(750));
}

TEST_F(HttpServerTest, HandlerExceptionIs500) {
  server_ = std::make_unique<HttpServer>(HttpServer::Options{});
  server_->Handle("/throw", [](const HttpRequest&) -> HttpResponse {
    throw std::runtime_error("boom");
  });
  ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
  Client client(server_->port());
  client.Send("GET /throw HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(client.ReadAll(), StartsWith("HTTP/1.1 500"));
}

TEST_F(HttpServerTest, StopFinishesInFlightRequest) {
  server_ = std::make_unique<HttpServer>(HttpServer::Options{});
  absl::Notification entered;
  server_->Handle("/slow", [&](const HttpRequest&) {
    entered.Notify();
    absl::SleepFor(absl::Milliseconds(200));
    HttpResponse response;
    response.body = "finished";
    return response;
  });
  ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
  const int port = server_->port();
  Client client(port);
  client.Send("GET /slow HTTP/1.1\r\n\r\n");
  entered.WaitForNotification();
  server_->Stop();
  server_->Stop();  // idempotent
  EXPECT_THAT(client.ReadAll(), HasSubstr("finished"));
  Client after(port);
  EXPECT_FALSE(after.connected());
}

TEST(HttpServerStartTest, BindErrors) {
  HttpServer first(HttpServer::Options{});
  ASSERT_TRUE(first.Start("127.0.0.1:0").ok());
  HttpServer second(HttpServer::Options{});
  EXPECT_EQ(second.Start(absl::StrCat("127.0.0.1:", first.port())).code(),
            absl::StatusCode::kUnavailable);
  HttpServer bad(HttpServer::Options{});
  EXPECT_EQ(bad.Start("no-port").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.Start("127.0.0.1:99999").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(first.Start("127.0.0.1:0").code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace cables
