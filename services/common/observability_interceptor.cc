#include "services/common/observability_interceptor.h"

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/common/raw_message.h"
#include "services/common/structured_log.h"

namespace cables {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;
using grpc::experimental::ServerRpcInfo;

// Longest request id copied into a log line.
constexpr size_t kMaxRequestIdBytes = 128;

absl::string_view TypeLabel(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unary";
}

// As go-grpc-middleware's DefaultServerCodeToLevel.
LogLevel LevelForCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::UNAUTHENTICATED:
      return LogLevel::kInfo;
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
      return LogLevel::kError;
    default:
      return LogLevel::kWarning;
  }
}

std::string FromRef(grpc::string_ref ref) {
  return std::string(ref.data(), ref.size());
}

class ObservabilityInterceptor final : public grpc::experimental::Interceptor {
 public:
  ObservabilityInterceptor(
      const ObservabilityInterceptorFactory::Families& families,
      ServerRpcInfo* info)
      : families_(families), info_(info), start_(absl::Now()) {
    absl::string_view full(info->method());  // "/pkg.Service/Method"
    if (absl::StartsWith(full, "/")) full.remove_prefix(1);
    const size_t slash = full.rfind('/');
    service_ = std::string(
        full.substr(0, slash == absl::string_view::npos ? full.size() : slash));
    method_ = slash == absl::string_view::npos
                  ? std::string()
                  : std::string(full.substr(slash + 1));
    type_ = std::string(TypeLabel(info->type()));
    labels_ = {type_, service_, method_};
    // Our own services' messages are protobuf messages with known fields;
    // built-in services (health) may use raw byte buffers.
    inspect_messages_ =
        absl::StartsWith(service_, "cables.") && !IsRawMethod(info->method());
    health_ = absl::StartsWith(service_, "grpc.health.");
    families_.started->Labels(labels_)->Increment();
  }

  ~ObservabilityInterceptor() override {
    // A call that ended without sending a status (cancelled).
    if (!finished_) Finish(grpc::StatusCode::CANCELLED, "");
  }

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      ReadMetadata(*methods->GetRecvInitialMetadata());
      if (info_->server_context() != nullptr) {
        peer_ = info_->server_context()->peer();
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (void* message = methods->GetRecvMessage(); message != nullptr) {
        families_.msg_received->Labels(labels_)->Increment();
        if (request_id_.empty() && inspect_messages_) {
          ReadRequestId(
              *static_cast<const google::protobuf::Message*>(message));
        }
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      families_.msg_sent->Labels(labels_)->Increment();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      std::string reason;
      if (!status.ok() && !status.error_details().empty()) {
        cables::v1::ErrorInfo info;
        if (GetErrorInfo(FromGrpcStatus(status), &info)) reason = info.reason();
      }
      Finish(status.error_code(), reason);
    }
    methods->Proceed();
  }

 private:
  void ReadMetadata(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    for (const auto& [key, value] : metadata) {
      if (key == "x-request-id") {
        request_id_ = FromRef(value).substr(0, kMaxRequestIdBytes);
      } else if (key == "traceparent") {
        trace_id_ = TraceIdFromTraceparent(
            absl::string_view(value.data(), value.size()));
      }
    }
  }

  void ReadRequestId(const google::protobuf::Message& message) {
    const google::protobuf::FieldDescriptor* field =
        message.GetDescriptor()->FindFieldByName("request_id");
    if (field == nullptr || field->is_repeated() ||
        field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
      return;
    }
    request_id_ = message.GetReflection()
                      ->GetString(message, field)
                      .substr(0, kMaxRequestIdBytes);
  }

  void Finish(grpc::StatusCode code, absl::string_view reason) {
    if (finished_) return;
    finished_ = true;
    const absl::Duration elapsed = absl::Now() - start_;
    const std::string code_name(GrpcCodeName(code));
    families_.handled->Labels({type_, service_, method_, code_name})
        ->Increment();
    families_.handling_seconds->Labels(labels_)->Observe(
        absl::ToDoubleSeconds(elapsed));
    const LogLevel level = health_ && code == grpc::StatusCode::OK
                               ? LogLevel::kDebug
                               : LevelForCode(code);
    if (!LogEnabled(level)) return;
    Log(level, "rpc",
        {{"grpc_service", service_},
         {"grpc_method", method_},
         {"grpc_type", type_},
         {"grpc_code", code_name},
         {"duration_ms", absl::ToDoubleMilliseconds(elapsed)},
         {"peer", peer_},
         {"request_id", request_id_},
         {"trace_id", trace_id_},
         {"error_reason", std::string(reason)}});
  }

  const ObservabilityInterceptorFactory::Families& families_;
  ServerRpcInfo* const info_;
  const absl::Time start_;
  std::string service_;
  std::string method_;
  std::string type_;
  std::vector<std::string> labels_;
  bool inspect_messages_ = false;
  bool health_ = false;
  bool finished_ = false;
  std::string request_id_;
  std::string trace_id_;
  std::string peer_;  // read while the call is alive, not in the destructor
};

}  // namespace

absl::string_view GrpcCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "Canceled";
    case grpc::StatusCode::UNKNOWN:
      return "Unknown";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "InvalidArgument";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DeadlineExceeded";
    case grpc::StatusCode::NOT_FOUND:
      return "NotFound";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "AlreadyExists";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PermissionDenied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "ResourceExhausted";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FailedPrecondition";
    case grpc::StatusCode::ABORTED:
      return "Aborted";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OutOfRange";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "Unimplemented";
    case grpc::StatusCode::INTERNAL:
      return "Internal";
    case grpc::StatusCode::UNAVAILABLE:
      return "Unavailable";
    case grpc::StatusCode::DATA_LOSS:
      return "DataLoss";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "Unauthenticated";
    default:
      return "Unknown";
  }
}

std::string TraceIdFromTraceparent(absl::string_view traceparent) {
  traceparent = absl::StripAsciiWhitespace(traceparent);
  // version(2) '-' trace-id(32) '-' parent-id(16) '-' flags(2)
  if (traceparent.size() < 55 || traceparent[2] != '-' ||
      traceparent[35] != '-' || traceparent[52] != '-') {
    return "";
  }
  const absl::string_view id = traceparent.substr(3, 32);
  bool all_zero = true;
  for (const char c : id) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) ||
        absl::ascii_isupper(static_cast<unsigned char>(c))) {
      return "";
    }
    if (c != '0') all_zero = false;
  }
  return all_zero ? "" : std::string(id);
}

ObservabilityInterceptorFactory::ObservabilityInterceptorFactory(
    MetricsRegistry* registry) {
  const std::vector<std::string> labels = {"grpc_type", "grpc_service",
                                           "grpc_method"};
  std::vector<std::string> with_code = labels;
  with_code.push_back("grpc_code");
  families_.started = &registry->AddCounter(
      "grpc_server_started_total",
      "Total number of RPCs started on the server.", labels);
  families_.handled = &registry->AddCounter(
      "grpc_server_handled_total",
      "Total number of RPCs completed on the server, regardless of success "
      "or failure.",
      with_code);
  families_.handling_seconds = &registry->AddHistogram(
      "grpc_server_handling_seconds",
      "Histogram of response latency (seconds) of gRPC that had been "
      "application-level handled by the server.",
      labels);
  families_.msg_received = &registry->AddCounter(
      "grpc_server_msg_received_total",
      "Total number of RPC stream messages received on the server.", labels);
  families_.msg_sent = &registry->AddCounter(
      "grpc_server_msg_sent_total",
      "Total number of gRPC stream messages sent by the server.", labels);
}

grpc::experimental::Interceptor*
ObservabilityInterceptorFactory::CreateServerInterceptor(ServerRpcInfo* info) {
  // Owned by gRPC, which deletes it when the call ends.
  return new ObservabilityInterceptor(families_, info);
}

}  // namespace cables
