// IngestServiceImpl: gRPC (callback API) adapter of the Ingester. Reactors
// never block: every database call runs on the BoundedExecutor; when its
// queue is full a call is refused with RESOURCE_EXHAUSTED and RetryInfo
// (push back instead of queueing without bound). ImportCables reads the
// next document only after the previous batch has been committed and
// acknowledged, so a fast client is held back by HTTP/2 flow control.
// ImportBag collects the archive (at most max_bag_bytes, else
// RESOURCE_EXHAUSTED) and verifies and stores the bag on the executor
// after the client half-closes. VerifyFixity checks one page of versions at
// a time on the executor and writes its progress before checking the next.
//
// Thread-safe. The Ingester and the executor must outlive the service.
#ifndef CABLES_SERVICES_INGEST_INGEST_SERVICE_H_
#define CABLES_SERVICES_INGEST_INGEST_SERVICE_H_

#include <cstddef>
#include <functional>

#include "cables/v1/ingest_service.grpc.pb.h"
#include "services/common/bounded_executor.h"
#include "services/ingest/ingester.h"

namespace cables::ingest {

struct ImportOptions {
  // True once the server is shutting down (e.g. ServerRunner::ShuttingDown;
  // empty: never). An ImportCables stream then commits and acknowledges the
  // documents it holds and ends with UNAVAILABLE (reason SHUTTING_DOWN)
  // instead of reading on until the drain grace cancels it -- which could
  // lose the last acknowledgement. The client resumes elsewhere or later
  // from its last acknowledged position.
  std::function<bool()> shutting_down;
  // Cables per committed batch unless the client asks for another size.
  int default_batch_size = 500;
  int max_batch_size = 5000;
  // A batch is also cut when its documents reach this many bytes.
  size_t max_batch_bytes = 8 << 20;
  // Batches of one stream committing at once (separate transactions, each
  // atomic; acknowledged in order). 2 keeps both of PostgreSQL's cores
  // busy on a 2-core machine while the next batch is read.
  int max_batches_in_flight = 2;
  // ImportBag: the largest archive accepted (it is held in memory while
  // the bag is verified; what it unpacks to is bounded by the Ingester's
  // BagImportOptions).
  size_t max_bag_bytes = size_t{256} << 20;
};

// The generated CallbackService with ImportCables as a raw method (see
// ImportReactor in ingest_service.cc).
using IngestCallbackService =
    cables::v1::IngestService::WithCallbackMethod_IngestCable<
        cables::v1::IngestService::WithRawCallbackMethod_ImportCables<
            cables::v1::IngestService::WithRawCallbackMethod_ImportBag<
                cables::v1::IngestService::WithCallbackMethod_VerifyFixity<
                    cables::v1::IngestService::Service>>>>;

class IngestServiceImpl final : public IngestCallbackService {
 public:
  IngestServiceImpl(Ingester* ingester, BoundedExecutor* executor,
                    ImportOptions options = {})
      : ingester_(ingester), executor_(executor), options_(options) {}

  grpc::ServerUnaryReactor* IngestCable(
      grpc::CallbackServerContext* context,
      const cables::v1::IngestCableRequest* request,
      cables::v1::IngestCableResponse* response) override;

  // Raw: messages are parsed by the reactor (a malformed one is
  // INVALID_ARGUMENT, not a silent end of stream).
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* ImportCables(
      grpc::CallbackServerContext* context) override;

  // Raw, like ImportCables: a malformed message is INVALID_ARGUMENT
  // (MALFORMED_REQUEST), not taken for the end of the archive.
  grpc::ServerReadReactor<grpc::ByteBuffer>* ImportBag(
      grpc::CallbackServerContext* context,
      grpc::ByteBuffer* response) override;

  grpc::ServerWriteReactor<cables::v1::VerifyFixityResponse>* VerifyFixity(
      grpc::CallbackServerContext* context,
      const cables::v1::VerifyFixityRequest* request) override;

 private:
  Ingester* const ingester_;
  BoundedExecutor* const executor_;
  const ImportOptions options_;
};

}  // namespace cables::ingest

#endif  // CABLES_SERVICES_INGEST_INGEST_SERVICE_H_
