// CallGuard: admission control at the top of every RPC handler --
// bearer-token authentication and scopes (token_authenticator.h) and a
// per-client rate limit (rate_limiter.h).
//
// gRPC 1.51's server interceptors cannot finish a call with a chosen status
// (Hijack is client-only), and AuthMetadataProcessor asserts with insecure
// credentials, so each handler starts with one guard line:
//
//   // unary
//   if (auto* r = GuardUnary(context, Scope::kRead)) return r;
//   // server streaming / bidi streaming
//   if (auto* r = GuardWriter<Cable>(context, Scope::kRead)) return r;
//   if (auto* r = GuardBidi<Req, Resp>(context, Scope::kWrite)) return r;
//
// which returns nullptr to proceed, or a reactor already finished with the
// refusal: UNAUTHENTICATED (missing/unknown token), PERMISSION_DENIED
// (scope) or RESOURCE_EXHAUSTED (rate limit, with RetryInfo), each with an
// ErrorInfo detail. Health and reflection have no guard.
//
// The guard used is the process-wide one (SetGlobal, at startup). Without
// one -- and with a guard configured with neither tokens nor a rate limit --
// every call is admitted.
//
// Thread-safe.
#ifndef CABLES_SERVICES_COMMON_CALL_GUARD_H_
#define CABLES_SERVICES_COMMON_CALL_GUARD_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/common/grpc_status.h"
#include "services/common/metrics.h"
#include "services/common/rate_limiter.h"
#include "services/common/token_authenticator.h"

namespace cables {

class CallGuard final {
 public:
  struct Options {
    // Absent: authentication is off (every call is anonymous).
    std::optional<TokenAuthenticator> tokens;
    // Calls per second per client; 0: no rate limit.
    double rate_limit_qps = 0;
    // Bucket size; 0: max(1, rate_limit_qps).
    double rate_limit_burst = 0;
  };

  explicit CallGuard(Options options,
                     MetricsRegistry* registry = &MetricsRegistry::Default());

  // Admits the call or says why not (see the file comment).
  absl::Status Admit(const grpc::CallbackServerContext* context, Scope scope);

  // The same on the call's parts: `authorization` is the metadata value
  // ("" when absent), `peer` gRPC's peer string ("ipv4:1.2.3.4:5678"),
  // `cert_identity` the verified client certificate's name ("" if none).
  absl::Status Admit(absl::string_view authorization, absl::string_view peer,
                     absl::string_view cert_identity, Scope scope);

  bool auth_enabled() const { return options_.tokens.has_value(); }
  bool rate_limit_enabled() const { return limiter_ != nullptr; }

  // The process-wide guard (nullptr: admit everything). Shared ownership
  // because handlers on many threads hold it while SetGlobal (tests) may
  // replace it.
  static std::shared_ptr<CallGuard> Global();
  // Replaces the process-wide guard; nullptr: admit everything.
  static void SetGlobal(std::shared_ptr<CallGuard> guard);

 private:
  absl::Status Count(absl::Status status, absl::string_view reason);

  const Options options_;
  std::unique_ptr<RateLimiter> limiter_;
  MetricFamily<Counter>* rejected_;
};

// The address part of a gRPC peer string: "ipv4:1.2.3.4:5678" -> "1.2.3.4",
// "ipv6:[::1]:5678" -> "::1"; other forms are returned whole.
std::string PeerAddress(absl::string_view peer);

// Admits `context` with the process-wide guard.
absl::Status AdmitCall(const grpc::CallbackServerContext* context, Scope scope);

// nullptr when the call is admitted; otherwise the context's default
// reactor, finished with the refusal.
grpc::ServerUnaryReactor* GuardUnary(grpc::CallbackServerContext* context,
                                     Scope scope);

namespace internal {

// A streaming reactor (Reactor = grpc::ServerBidiReactor<Req, Resp>,
// ServerWriteReactor<Resp> or ServerReadReactor<Req>) that finishes at once
// with `status`. Deletes itself in OnDone (gRPC's reactor ownership model).
template <typename Reactor>
class Refused final : public Reactor {
 public:
  explicit Refused(const absl::Status& status) {
    this->Finish(ToGrpcStatus(status));
  }
  void OnDone() override { delete this; }
};

// nullptr when admitted, else a Refused<Reactor>.
template <typename Reactor>
Reactor* GuardStream(grpc::CallbackServerContext* context, Scope scope) {
  const absl::Status status = AdmitCall(context, scope);
  if (status.ok()) return nullptr;
  return new Refused<Reactor>(status);
}

}  // namespace internal

template <typename Request, typename Response>
grpc::ServerBidiReactor<Request, Response>* GuardBidi(
    grpc::CallbackServerContext* context, Scope scope) {
  return internal::GuardStream<grpc::ServerBidiReactor<Request, Response>>(
      context, scope);
}

template <typename Response>
grpc::ServerWriteReactor<Response>* GuardWriter(
    grpc::CallbackServerContext* context, Scope scope) {
  return internal::GuardStream<grpc::ServerWriteReactor<Response>>(context,
                                                                   scope);
}

template <typename Request>
grpc::ServerReadReactor<Request>* GuardReader(
    grpc::CallbackServerContext* context, Scope scope) {
  return internal::GuardStream<grpc::ServerReadReactor<Request>>(context,
                                                                 scope);
}

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_CALL_GUARD_H_
