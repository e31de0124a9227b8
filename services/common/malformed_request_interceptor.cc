#include "services/common/malformed_request_interceptor.h"

#include "absl/status/status.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"

namespace cables {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;

class MalformedRequestInterceptor final
    : public grpc::experimental::Interceptor {
 public:
  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      missing_message_ = true;
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        missing_message_ &&
        methods->GetSendStatus().error_code() ==
            grpc::StatusCode::UNIMPLEMENTED) {
      absl::Status status = absl::InvalidArgumentError(
          "the request is not a valid protobuf message of this method's "
          "request type (truncated, corrupt, or invalid UTF-8 in a string "
          "field)");
      SetErrorReason(&status, "MALFORMED_REQUEST");
      methods->ModifySendStatus(ToGrpcStatus(status));
    }
    methods->Proceed();
  }

 private:
  bool missing_message_ = false;
};

}  // namespace

grpc::experimental::Interceptor*
MalformedRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo*) {
  return new MalformedRequestInterceptor();
}

}  // namespace cables
