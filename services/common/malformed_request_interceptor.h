// MalformedRequestInterceptorFactory: a gRPC server interceptor that answers
// a request message that cannot be parsed with INVALID_ARGUMENT (ErrorInfo
// reason MALFORMED_REQUEST) instead of what gRPC 1.51's callback API sends
// by itself: UNIMPLEMENTED with an empty message (it swaps the handler for
// an "unimplemented" reactor when deserialization fails; see
// grpcpp/impl/codegen/server_callback_handlers.h).
//
// A call is rewritten only when a message was not received AND the call is
// ending with UNIMPLEMENTED, so methods that do not exist stay UNIMPLEMENTED.
// Client-streaming methods cannot be told apart from a normal end of stream
// this way; they parse their messages themselves (raw methods, e.g.
// IngestService.ImportCables).
//
// Install first with ServerBuilder::experimental().SetInterceptorCreators.
// Thread-safe.
#ifndef CABLES_SERVICES_COMMON_MALFORMED_REQUEST_INTERCEPTOR_H_
#define CABLES_SERVICES_COMMON_MALFORMED_REQUEST_INTERCEPTOR_H_

#include "grpcpp/support/server_interceptor.h"

namespace cables {

class MalformedRequestInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_MALFORMED_REQUEST_INTERCEPTOR_H_
