// HttpServer: a small HTTP/1.1 server on plain POSIX sockets for the
// operational endpoints (/metrics) and HTTP front ends (OAI-PMH).
//
// Requests are read with Content-Length bodies (no chunked request bodies),
// keep-alive is supported. A fixed pool of `threads` workers serves at most
// `max_connections` open connections; further connections are accepted and
// answered 503 immediately, never given a thread of their own. A request
// whose head and body are not complete within `read_timeout` is dropped with
// 408 (slowloris). Malformed requests get 400, bodies over
// `max_request_bytes` get 413, methods other than GET/HEAD/POST get 405 and
// unknown paths 404.
//
// Thread safety: Handle must be called before Start; Start, Stop, port and
// the destructor may be called from any one thread. Handlers run on the
// worker threads, concurrently with each other, and must be thread-safe.
#ifndef CABLES_SERVICES_COMMON_HTTP_SERVER_H_
#define CABLES_SERVICES_COMMON_HTTP_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cables {

struct HttpRequest {
  std::string method;  // "GET", "POST", "HEAD"
  std::string path;    // "/oai" (no query string), percent-decoded
  std::string query;   // raw query string after '?', not decoded ("" if none)
  std::vector<std::pair<std::string, std::string>>
      headers;       // names lower-cased
  std::string body;  // POST body (e.g. application/x-www-form-urlencoded)
  std::string peer;  // "ip:port"
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
};

// Decodes an application/x-www-form-urlencoded string ("a=1&b=%20x&a=2") into
// (name, value) pairs in order, repeated names kept; '+' is a space.
// InvalidArgumentError on a malformed percent escape.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ParseFormEncoded(absl::string_view s);

class HttpServer final {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  struct Options {
    int max_connections = 64;
    int max_request_bytes = 1 << 20;
    absl::Duration read_timeout = absl::Seconds(10);
    int threads = 4;
  };

  explicit HttpServer(Options options);
  ~HttpServer();  // stops

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Exact-path handler; must be called before Start. Unknown paths answer
  // 404.
  void Handle(std::string path, Handler handler);

  // Binds "host:port" (port 0 = any free port), starts serving in background
  // threads. UnavailableError if the address cannot be bound;
  // InvalidArgumentError if it is malformed; FailedPreconditionError if
  // already started.
  absl::Status Start(absl::string_view host_port);

  // The bound port after Start (0 before).
  int port() const;

  // Idempotent; closes the listener, finishes in-flight requests (waiting
  // for their handlers). Must not be called from a handler.
  void Stop();

 private:
  struct Impl;
  Options options_;
  absl::flat_hash_map<std::string, Handler> handlers_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_HTTP_SERVER_H_
