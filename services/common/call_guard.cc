#include "services/common/call_guard.h"

#include <algorithm>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"

namespace cables {
namespace {

struct GlobalGuard {
  absl::Mutex mu;
  std::shared_ptr<CallGuard> guard ABSL_GUARDED_BY(mu);
};

GlobalGuard& Global() {
  static GlobalGuard global;
  return global;
}

}  // namespace

std::string PeerAddress(absl::string_view peer) {
  if (absl::ConsumePrefix(&peer, "ipv4:")) {
    return std::string(peer.substr(0, peer.rfind(':')));
  }
  if (absl::ConsumePrefix(&peer, "ipv6:")) {
    if (absl::StartsWith(peer, "[")) {
      const size_t close = peer.find(']');
      if (close != absl::string_view::npos) {
        return std::string(peer.substr(1, close - 1));
      }
    }
    return std::string(peer.substr(0, peer.rfind(':')));
  }
  return std::string(peer);
}

CallGuard::CallGuard(Options options, MetricsRegistry* registry)
    : options_(std::move(options)),
      rejected_(&registry->AddCounter(
          "cables_calls_rejected_total",
          "Calls refused before their handler ran, by reason.", {"reason"})) {
  if (options_.rate_limit_qps > 0) {
    const double burst = options_.rate_limit_burst > 0
                             ? options_.rate_limit_burst
                             : std::max(1.0, options_.rate_limit_qps);
    limiter_ = std::make_unique<RateLimiter>(options_.rate_limit_qps, burst);
  }
}

absl::Status CallGuard::Count(absl::Status status, absl::string_view reason) {
  rejected_->Labels({std::string(reason)})->Increment();
  return status;
}

absl::Status CallGuard::Admit(absl::string_view authorization,
                              absl::string_view peer,
                              absl::string_view cert_identity, Scope scope) {
  std::string key;
  if (options_.tokens.has_value()) {
    absl::StatusOr<TokenAuthenticator::Identity> identity =
        options_.tokens->Authenticate(authorization);
    if (!identity.ok()) return Count(identity.status(), "unauthenticated");
    if (absl::Status allowed = TokenAuthenticator::Authorize(*identity, scope);
        !allowed.ok()) {
      return Count(allowed, "permission_denied");
    }
    key = absl::StrCat("token:", identity->name);
  }
  if (limiter_ == nullptr) return absl::OkStatus();
  if (key.empty()) {
    key = cert_identity.empty() ? absl::StrCat("ip:", PeerAddress(peer))
                                : absl::StrCat("cert:", cert_identity);
  }
  if (absl::Status taken = limiter_->Take(key); !taken.ok()) {
    return Count(taken, "rate_limited");
  }
  return absl::OkStatus();
}

absl::Status CallGuard::Admit(const grpc::CallbackServerContext* context,
                              Scope scope) {
  if (!options_.tokens.has_value() && limiter_ == nullptr) {
    return absl::OkStatus();
  }
  absl::string_view authorization;
  const auto& metadata = context->client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    authorization = absl::string_view(it->second.data(), it->second.size());
  }
  std::string cert_identity;
  if (limiter_ != nullptr) {
    const std::shared_ptr<const grpc::AuthContext> auth =
        context->auth_context();
    if (auth != nullptr && auth->IsPeerAuthenticated()) {
      for (const grpc::string_ref& name : auth->GetPeerIdentity()) {
        cert_identity.assign(name.data(), name.size());
        break;
      }
    }
  }
  return Admit(authorization, context->peer(), cert_identity, scope);
}

std::shared_ptr<CallGuard> CallGuard::Global() {
  GlobalGuard& global = ::cables::Global();
  absl::ReaderMutexLock lock(&global.mu);
  return global.guard;
}

void CallGuard::SetGlobal(std::shared_ptr<CallGuard> guard) {
  GlobalGuard& global = ::cables::Global();
  absl::MutexLock lock(&global.mu);
  global.guard = std::move(guard);
}

absl::Status AdmitCall(const grpc::CallbackServerContext* context,
                       Scope scope) {
  const std::shared_ptr<CallGuard> guard = CallGuard::Global();
  if (guard == nullptr) return absl::OkStatus();
  return guard->Admit(context, scope);
}

grpc::ServerUnaryReactor* GuardUnary(grpc::CallbackServerContext* context,
                                     Scope scope) {
  const absl::Status status = AdmitCall(context, scope);
  if (status.ok()) return nullptr;
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace cables
