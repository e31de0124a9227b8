#include "services/common/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace cables {
namespace {

// Largest request head (request line + headers) accepted.
constexpr size_t kMaxHeadBytes = 64 << 10;
constexpr int kMaxHeaders = 100;
// How long Stop waits for in-flight responses to be written.
constexpr absl::Duration kStopGrace = absl::Seconds(5);

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `s`; '+' becomes a space when `plus_is_space`.
absl::StatusOr<std::string> PercentDecode(absl::string_view s,
                                          bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      const int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("malformed percent escape at offset ", i));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

absl::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Status";
  }
}

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool IsToken(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

std::string SerializeResponse(const HttpResponse& response, bool head_only,
                              bool keep_alive) {
  std::string out = absl::StrCat("HTTP/1.1 ", response.status, " ",
                                 ReasonPhrase(response.status), "\r\n");
  absl::StrAppend(&out, "Date: ",
                  absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", absl::Now(),
                                   absl::UTCTimeZone()),
                  "\r\n");
  if (!response.content_type.empty()) {
    absl::StrAppend(&out, "Content-Type: ", response.content_type, "\r\n");
  }
  absl::StrAppend(&out, "Content-Length: ", response.body.size(), "\r\n");
  if (!keep_alive) out += "Connection: close\r\n";
  for (const auto& [name, value] : response.headers) {
    // Header injection guard: a CR or LF in a handler's header is dropped.
    if (name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      continue;
    }
    absl::StrAppend(&out, name, ": ", value, "\r\n");
  }
  out += "\r\n";
  if (!head_only) out += response.body;
  return out;
}

HttpResponse ErrorResponse(int status, absl::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = absl::StrCat(message, "\n");
  if (status == 405) response.headers.emplace_back("Allow", "GET, HEAD, POST");
  return response;
}

// The outcome of looking at a connection's input buffer.
struct ParseResult {
  enum Kind { kNeedMore, kRequest, kError } kind = kNeedMore;
  HttpRequest request;
  bool keep_alive = true;
  size_t consumed = 0;   // bytes of the buffer the request used
  int error_status = 0;  // kError
  std::string error_message;
  bool expects_continue = false;  // kNeedMore: head read, body pending
};

ParseResult Error(int status, std::string message) {
  ParseResult r;
  r.kind = ParseResult::kError;
  r.error_status = status;
  r.error_message = std::move(message);
  return r;
}

// Parses one request from the front of `buffer`.
ParseResult ParseRequest(absl::string_view buffer, size_t max_body) {
  // Tolerate empty lines before a request (RFC 9112 §2.2).
  size_t start = 0;
  while (start < buffer.size() &&
         (buffer[start] == '\r' || buffer[start] == '\n')) {
    ++start;
  }
  // Find the end of the head: an empty line ("\r\n\r\n" or "\n\n").
  size_t head_end = absl::string_view::npos;
  size_t body_start = 0;
  for (size_t i = start; i < buffer.size(); ++i) {
    if (buffer[i] != '\n') continue;
    if (i + 1 < buffer.size() && buffer[i + 1] == '\n') {
      head_end = i;
      body_start = i + 2;
      break;
    }
    if (i + 2 < buffer.size() && buffer[i + 1] == '\r' &&
        buffer[i + 2] == '\n') {
      head_end = i;
      body_start = i + 3;
      break;
    }
  }
  if (head_end == absl::string_view::npos) {
    if (buffer.size() - start > kMaxHeadBytes) {
      return Error(431, "request head too large");
    }
    ParseResult r;
    return r;
  }
  if (head_end - start > kMaxHeadBytes) {
    return Error(431, "request head too large");
  }
  absl::string_view head = buffer.substr(start, head_end - start);

  ParseResult result;
  HttpRequest& request = result.request;
  // Split the head into lines, stripping a CR before each LF.
  std::vector<absl::string_view> lines;
  for (size_t pos = 0; pos <= head.size();) {
    size_t nl = head.find('\n', pos);
    if (nl == absl::string_view::npos) nl = head.size();
    absl::string_view line = head.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = nl + 1;
  }
  if (lines.size() > kMaxHeaders + 1) {
    return Error(431, "too many header fields");
  }

  // Request line: METHOD SP request-target SP HTTP-version.
  const absl::string_view request_line = lines[0];
  const size_t sp1 = request_line.find(' ');
  const size_t sp2 = sp1 == absl::string_view::npos
                         ? absl::string_view::npos
                         : request_line.find(' ', sp1 + 1);
  if (sp2 == absl::string_view::npos ||
      request_line.find(' ', sp2 + 1) != absl::string_view::npos) {
    return Error(400, "malformed request line");
  }
  const absl::string_view method = request_line.substr(0, sp1);
  absl::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  const absl::string_view version = request_line.substr(sp2 + 1);
  if (!IsToken(method) || target.empty()) {
    return Error(400, "malformed request line");
  }
  if (version == "HTTP/1.1") {
    result.keep_alive = true;
  } else if (version == "HTTP/1.0") {
    result.keep_alive = false;
  } else if (absl::StartsWith(version, "HTTP/")) {
    return Error(505, "HTTP version not supported");
  } else {
    return Error(400, "malformed request line");
  }
  request.method = std::string(method);

  // Headers.
  int64_t content_length = -1;
  bool chunked = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const absl::string_view line = lines[i];
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      return Error(400, "obsolete header line folding");
    }
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos || !IsToken(line.substr(0, colon))) {
      return Error(400, "malformed header field");
    }
    std::string name = absl::AsciiStrToLower(line.substr(0, colon));
    std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    if (value.find('\0') != std::string::npos) {
      return Error(400, "NUL in header field");
    }
    if (name == "content-length") {
      int64_t n = 0;
      if (value.empty() ||
          !std::all_of(value.begin(), value.end(),
                       [](char c) { return c >= '0' && c <= '9'; }) ||
          !absl::SimpleAtoi(value, &n) ||
          (content_length >= 0 && n != content_length)) {
        return Error(400, "invalid Content-Length");
      }
      content_length = n;
    } else if (name == "transfer-encoding") {
      chunked = true;
    } else if (name == "connection") {
      const std::string v = absl::AsciiStrToLower(value);
      if (v.find("close") != std::string::npos) result.keep_alive = false;
      if (v.find("keep-alive") != std::string::npos) result.keep_alive = true;
    } else if (name == "expect") {
      result.expects_continue = absl::AsciiStrToLower(value) == "100-continue";
    }
    request.headers.emplace_back(std::move(name), std::move(value));
  }
  if (chunked) {
    return Error(501,
                 "Transfer-Encoding is not supported; send Content-Length");
  }

  // Method: the server itself speaks GET, HEAD and POST only.
  if (request.method != "GET" && request.method != "HEAD" &&
      request.method != "POST") {
    return Error(405, "method not allowed");
  }

  // Target: origin-form, or absolute-form whose authority is dropped.
  if (absl::StartsWith(target, "http://") ||
      absl::StartsWith(target, "https://")) {
    const size_t slash = target.find('/', target.find("//") + 2);
    target = slash == absl::string_view::npos ? absl::string_view("/")
                                              : target.substr(slash);
  }
  if (target[0] != '/') return Error(400, "malformed request target");
  if (const size_t hash = target.find('#'); hash != absl::string_view::npos) {
    target = target.substr(0, hash);
  }
  absl::string_view raw_path = target;
  if (const size_t q = target.find('?'); q != absl::string_view::npos) {
    raw_path = target.substr(0, q);
    request.query = std::string(target.substr(q + 1));
  }
  absl::StatusOr<std::string> path = PercentDecode(raw_path, false);
  if (!path.ok() || path->find('\0') != std::string::npos) {
    return Error(400, "malformed request path");
  }
  request.path = *std::move(path);

  // Body.
  if (content_length > static_cast<int64_t>(max_body)) {
    return Error(413, "request body too large");
  }
  const size_t body_length = content_length < 0 ? 0 : content_length;
  if (buffer.size() - body_start < body_length) {
    result.kind = ParseResult::kNeedMore;
    result.request = HttpRequest();
    return result;
  }
  result.expects_continue = false;
  request.body = std::string(buffer.substr(body_start, body_length));
  result.consumed = body_start + body_length;
  result.kind = ParseResult::kRequest;
  return result;
}

std::string PeerName(const sockaddr_storage& addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    port = ntohs(in->sin_port);
    return absl::StrCat(host, ":", port);
  }
  if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    port = ntohs(in6->sin6_port);
    return absl::StrCat("[", host, "]:", port);
  }
  return "unknown";
}

}  // namespace

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ParseFormEncoded(absl::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t amp = s.find('&', pos);
    if (amp == absl::string_view::npos) amp = s.size();
    const absl::string_view pair = s.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    absl::StatusOr<std::string> name =
        PercentDecode(pair.substr(0, eq), /*plus_is_space=*/true);
    if (!name.ok()) return name.status();
    absl::StatusOr<std::string> value =
        eq == absl::string_view::npos
            ? std::string()
            : PercentDecode(pair.substr(eq + 1), /*plus_is_space=*/true);
    if (!value.ok()) return value.status();
    out.emplace_back(*std::move(name), *std::move(value));
  }
  return out;
}

// The event loop (one thread) owns every connection: it accepts, reads,
// parses, enforces deadlines and writes. Complete requests go to a fixed set
// of worker threads, which run the handler and hand the serialized response
// back through `done_` and the eventfd.
struct HttpServer::Impl {
  enum class State { kReading, kProcessing, kWriting };
  struct Conn {
    int fd = -1;
    std::string peer;
    std::string in;
    std::string out;
    size_t out_pos = 0;
    State state = State::kReading;
    bool keep_alive = true;
    bool close_after_write = false;
    bool sent_continue = false;
    absl::Time deadline;
  };
  struct Job {
    uint64_t id;
    HttpRequest request;
    bool keep_alive;
  };
  struct Done {
    uint64_t id;
    std::string bytes;
    bool keep_alive;
  };

  Impl(const Options& options,
       const absl::flat_hash_map<std::string, Handler>* handlers)
      : options(options), handlers(handlers) {}

  const Options options;
  const absl::flat_hash_map<std::string, Handler>* handlers;
  int listen_fd = -1;
  int wake_fd = -1;
  std::atomic<int> port{0};
  std::atomic<bool> stopping{false};
  std::thread loop_thread;
  std::vector<std::thread> workers;

  absl::Mutex mu;
  std::deque<Job> jobs ABSL_GUARDED_BY(mu);
  std::deque<Done> done ABSL_GUARDED_BY(mu);
  bool workers_stop ABSL_GUARDED_BY(mu) = false;

  // Loop-thread state.
  absl::flat_hash_map<uint64_t, Conn> conns;
  uint64_t next_id = 1;

  void Wake() {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(wake_fd, &one, sizeof(one));
  }

  HttpResponse Dispatch(const HttpRequest& request) {
    const auto it = handlers->find(request.path);
    if (it == handlers->end()) return ErrorResponse(404, "not found");
    try {
      return it->second(request);
    } catch (...) {  // a handler's exception must not end the server
      return ErrorResponse(500, "internal error");
    }
  }

  void WorkerLoop() {
    for (;;) {
      Job job;
      {
        absl::MutexLock lock(&mu);
        mu.Await(absl::Condition(
            +[](Impl* impl) ABSL_EXCLUSIVE_LOCKS_REQUIRED(impl->mu) {
              return impl->workers_stop || !impl->jobs.empty();
            },
            this));
        if (jobs.empty()) return;
        job = std::move(jobs.front());
        jobs.pop_front();
      }
      const HttpResponse response = Dispatch(job.request);
      std::string bytes = SerializeResponse(
          response, job.request.method == "HEAD", job.keep_alive);
      {
        absl::MutexLock lock(&mu);
        done.push_back(Done{job.id, std::move(bytes), job.keep_alive});
      }
      Wake();
    }
  }

  void CloseConn(uint64_t id) {
    auto it = conns.find(id);
    if (it == conns.end()) return;
    close(it->second.fd);
    conns.erase(it);
  }

  // Queues `bytes` for writing on `conn`; the connection closes after them
  // unless `keep_alive`.
  void StartWrite(Conn& conn, std::string bytes, bool keep_alive) {
    conn.out = std::move(bytes);
    conn.out_pos = 0;
    conn.state = State::kWriting;
    conn.close_after_write = !keep_alive || stopping.load();
    conn.deadline = absl::Now() + options.read_timeout;
  }

  void SendError(Conn& conn, int status, absl::string_view message) {
    StartWrite(conn,
               SerializeResponse(ErrorResponse(status, message), false,
                                 /*keep_alive=*/false),
               /*keep_alive=*/false);
  }

  // Looks for a complete request in conn.in; dispatches or answers errors.
  void TryParse(uint64_t id, Conn& conn) {
    if (conn.state != State::kReading || conn.in.empty()) return;
    ParseResult parsed =
        ParseRequest(conn.in, static_cast<size_t>(options.max_request_bytes));
    switch (parsed.kind) {
      case ParseResult::kNeedMore:
        if (parsed.expects_continue && !conn.sent_continue) {
          conn.sent_continue = true;
          static constexpr absl::string_view kContinue =
              "HTTP/1.1 100 Continue\r\n\r\n";
          [[maybe_unused]] ssize_t n =
              send(conn.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
        }
        return;
      case ParseResult::kError:
        SendError(conn, parsed.error_status, parsed.error_message);
        return;
      case ParseResult::kRequest:
        break;
    }
    conn.in.erase(0, parsed.consumed);
    conn.sent_continue = false;
    conn.state = State::kProcessing;
    parsed.request.peer = conn.peer;
    {
      absl::MutexLock lock(&mu);
      jobs.push_back(Job{id, std::move(parsed.request),
                         parsed.keep_alive && !stopping.load()});
    }
  }

  void Accept() {
    for (;;) {
      sockaddr_storage addr{};
      socklen_t len = sizeof(addr);
      const int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr),
                             &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN, or a transient error: try next round
      if (static_cast<int>(conns.size()) >= options.max_connections) {
        const std::string bytes = SerializeResponse(
            ErrorResponse(503, "too many connections"), false, false);
        [[maybe_unused]] ssize_t n =
            send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        close(fd);
        continue;
      }
      Conn conn;
      conn.fd = fd;
      conn.peer = PeerName(addr);
      conn.deadline = absl::Now() + options.read_timeout;
      conns.emplace(next_id++, std::move(conn));
    }
  }

  // Reads what is available; false when the connection should close now.
  bool Read(uint64_t id, Conn& conn) {
    char buf[16384];
    for (;;) {
      const ssize_t n = recv(conn.fd, buf, sizeof(buf), 0);
      if (n > 0) {
        if (conn.in.empty() && conn.state == State::kReading) {
          // First byte of a new request: its whole head and body must
          // arrive within read_timeout.
          conn.deadline = absl::Now() + options.read_timeout;
        }
        conn.in.append(buf, n);
        if (conn.in.size() >
            kMaxHeadBytes + static_cast<size_t>(options.max_request_bytes) +
                16) {
          break;  // enough to decide; TryParse reports 413/431
        }
        continue;
      }
      if (n == 0) return false;  // peer closed
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return false;
    }
    TryParse(id, conn);
    return true;
  }

  // Writes what the socket takes; false when the connection should close.
  bool Write(uint64_t id, Conn& conn) {
    while (conn.out_pos < conn.out.size()) {
      const ssize_t n = send(conn.fd, conn.out.data() + conn.out_pos,
                             conn.out.size() - conn.out_pos, MSG_NOSIGNAL);
      if (n > 0) {
        conn.out_pos += n;
        conn.deadline = absl::Now() + options.read_timeout;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
      return false;
    }
    if (conn.close_after_write) {
      shutdown(conn.fd, SHUT_WR);
      return false;
    }
    conn.out.clear();
    conn.out_pos = 0;
    conn.state = State::kReading;
    conn.deadline = absl::Now() + options.read_timeout;
    TryParse(id, conn);  // a pipelined request may be buffered already
    return true;
  }

  void CollectDone() {
    std::deque<Done> finished;
    {
      absl::MutexLock lock(&mu);
      finished.swap(done);
    }
    for (Done& d : finished) {
      auto it = conns.find(d.id);
      if (it == conns.end()) continue;
      StartWrite(it->second, std::move(d.bytes), d.keep_alive);
      if (!Write(d.id, it->second)) CloseConn(d.id);
    }
  }

  void Loop() {
    absl::Time stop_deadline = absl::InfiniteFuture();
    std::vector<pollfd> fds;
    std::vector<uint64_t> ids;
    for (;;) {
      const absl::Time now = absl::Now();
      if (stopping.load()) {
        if (listen_fd >= 0) {
          close(listen_fd);
          listen_fd = -1;
          stop_deadline = now + kStopGrace;
        }
        // Idle and half-read connections close now; in-flight ones finish.
        std::vector<uint64_t> idle;
        for (const auto& [id, conn] : conns) {
          if (conn.state == State::kReading) idle.push_back(id);
        }
        for (uint64_t id : idle) CloseConn(id);
        if (conns.empty() || now > stop_deadline) break;
      }
      // Deadlines.
      absl::Time next = now + absl::Seconds(1);
      std::vector<uint64_t> expired;
      for (auto& [id, conn] : conns) {
        if (conn.state == State::kProcessing) continue;
        if (conn.deadline <= now) {
          expired.push_back(id);
        } else {
          next = std::min(next, conn.deadline);
        }
      }
      for (uint64_t id : expired) {
        Conn& conn = conns[id];
        if (conn.state == State::kReading && !conn.in.empty()) {
          // Best effort 408, then close (a slow client gets no more time).
          const std::string bytes = SerializeResponse(
              ErrorResponse(408, "request timeout"), false, false);
          [[maybe_unused]] ssize_t n =
              send(conn.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        }
        CloseConn(id);
      }

      fds.clear();
      ids.clear();
      fds.push_back({wake_fd, POLLIN, 0});
      ids.push_back(0);
      if (listen_fd >= 0) {
        fds.push_back({listen_fd, POLLIN, 0});
        ids.push_back(0);
      }
      for (const auto& [id, conn] : conns) {
        short events = 0;
        if (conn.state == State::kReading) events = POLLIN;
        if (conn.state == State::kWriting) events = POLLOUT;
        fds.push_back({conn.fd, events, 0});
        ids.push_back(id);
      }
      const int timeout_ms = static_cast<int>(std::clamp<int64_t>(
          absl::ToInt64Milliseconds(next - now) + 1, 1, 1000));
      const int ready = poll(fds.data(), fds.size(), timeout_ms);
      if (ready < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (fds[0].revents & POLLIN) {
        uint64_t value;
        [[maybe_unused]] ssize_t n = read(wake_fd, &value, sizeof(value));
      }
      CollectDone();
      size_t first_conn = 1;
      if (listen_fd >= 0) {
        first_conn = 2;
        if (fds[1].revents & POLLIN) Accept();
      }
      for (size_t i = first_conn; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        auto it = conns.find(ids[i]);
        if (it == conns.end()) continue;
        Conn& conn = it->second;
        bool keep = true;
        if (conn.state == State::kReading &&
            (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
          keep = Read(ids[i], conn);
        } else if (conn.state == State::kWriting &&
                   (fds[i].revents & (POLLOUT | POLLHUP | POLLERR))) {
          keep = Write(ids[i], conn);
        }
        if (!keep) CloseConn(ids[i]);
      }
    }
    // Leaving: close whatever is left; answers still being computed are
    // dropped by CollectDone's lookup.
    std::vector<uint64_t> left;
    for (const auto& [id, conn] : conns) left.push_back(id);
    for (uint64_t id : left) CloseConn(id);
    if (listen_fd >= 0) {
      close(listen_fd);
      listen_fd = -1;
    }
  }
};

HttpServer::HttpServer(Options options) : options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Handle(std::string path, Handler handler) {
  handlers_[std::move(path)] = std::move(handler);
}

int HttpServer::port() const {
  return impl_ == nullptr ? 0 : impl_->port.load();
}

absl::Status HttpServer::Start(absl::string_view host_port) {
  if (impl_ != nullptr) {
    return absl::FailedPreconditionError("HttpServer already started");
  }
  const size_t colon = host_port.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("HTTP address is not HOST:PORT: '", host_port, "'"));
  }
  std::string host(host_port.substr(0, colon));
  const std::string port_text(host_port.substr(colon + 1));
  int port_number = 0;
  if (!absl::SimpleAtoi(port_text, &port_number) || port_number < 0 ||
      port_number > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("HTTP address has a bad port: '", host_port, "'"));
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || host == "*") host = "0.0.0.0";

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc =
          getaddrinfo(host.c_str(), port_text.c_str(), &hints, &found);
      rc != 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot resolve HTTP address '", host_port, "': ", gai_strerror(rc)));
  }
  int fd = -1;
  std::string last_error = "no address";
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                ai->ai_protocol);
    if (fd < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0) {
      break;
    }
    last_error = std::strerror(errno);
    close(fd);
    fd = -1;
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on HTTP address ",
                                               host_port, ": ", last_error));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  const int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) {
    close(fd);
    return absl::InternalError(absl::StrCat("eventfd: ", std::strerror(errno)));
  }

  impl_ = std::make_unique<Impl>(options_, &handlers_);
  impl_->listen_fd = fd;
  impl_->wake_fd = wake;
  impl_->port = bound.ss_family == AF_INET6
                    ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                    : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    impl_->workers.emplace_back([impl = impl_.get()] { impl->WorkerLoop(); });
  }
  impl_->loop_thread = std::thread([impl = impl_.get()] { impl->Loop(); });
  return absl::OkStatus();
}

void HttpServer::Stop() {
  if (impl_ == nullptr || impl_->stopping.exchange(true)) return;
  impl_->Wake();
  impl_->loop_thread.join();
  {
    absl::MutexLock lock(&impl_->mu);
    impl_->workers_stop = true;
    impl_->jobs.clear();  // their connections are closed already
  }
  for (std::thread& worker : impl_->workers) worker.join();
  close(impl_->wake_fd);
}

}  // namespace cables
