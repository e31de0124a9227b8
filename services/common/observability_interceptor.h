// ObservabilityInterceptorFactory: a gRPC server interceptor that records
// the go-grpc-prometheus metrics and writes one JSON access-log line per
// RPC (structured_log.h).
//
// Metrics (labels grpc_type = unary|client_stream|server_stream|
// bidi_stream, grpc_service, grpc_method; grpc_code is the Go name of the
// code, e.g. OK, NotFound):
//   grpc_server_started_total, grpc_server_handled_total{...,grpc_code},
//   grpc_server_handling_seconds (histogram), grpc_server_msg_received_total,
//   grpc_server_msg_sent_total.
//
// Access log fields: grpc_service, grpc_method, grpc_type, grpc_code,
// duration_ms, peer, request_id (the `x-request-id` metadata, else the
// request message's `request_id` field), trace_id (from `traceparent`),
// error_reason (the ErrorInfo reason of a failed call). Nothing of request
// or response bodies is logged. Health checks log at debug level.
//
// Install with ServerBuilder::experimental().SetInterceptorCreators. The
// registry must outlive the server. Thread-safe.
#ifndef CABLES_SERVICES_COMMON_OBSERVABILITY_INTERCEPTOR_H_
#define CABLES_SERVICES_COMMON_OBSERVABILITY_INTERCEPTOR_H_

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"
#include "services/common/metrics.h"

namespace cables {

// "OK", "Canceled", "InvalidArgument", ... as Go's codes.Code.String().
absl::string_view GrpcCodeName(grpc::StatusCode code);

// The 32 hex digit trace id of a W3C `traceparent` value
// ("00-<trace id>-<span id>-<flags>"), "" when malformed.
std::string TraceIdFromTraceparent(absl::string_view traceparent);

class ObservabilityInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ObservabilityInterceptorFactory(
      MetricsRegistry* registry = &MetricsRegistry::Default());

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

  struct Families {
    MetricFamily<Counter>* started;
    MetricFamily<Counter>* handled;
    MetricFamily<Histogram>* handling_seconds;
    MetricFamily<Counter>* msg_received;
    MetricFamily<Counter>* msg_sent;
  };

 private:
  Families families_;
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_OBSERVABILITY_INTERCEPTOR_H_
