#include "services/common/malformed_request_interceptor.h"

#include "services/common/grpc_status.h"
#include "services/common/raw_message.h"

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
      methods->ModifySendStatus(
          ToGrpcStatus(MalformedRequestError("the request")));
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
