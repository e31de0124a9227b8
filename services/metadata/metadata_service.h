// MetadataServiceImpl: gRPC (callback API) adapter of the MetadataCatalog.
// Reactors never block: each call runs on the BoundedExecutor
// (RESOURCE_EXHAUSTED with RetryInfo when its queue is full). ExportCables
// fetches one page at a time on the executor and writes its cables one by
// one, the next write only after the previous completes (flow control).
//
// Thread-safe. The catalog and the executor must outlive the service.
#ifndef CABLES_SERVICES_METADATA_METADATA_SERVICE_H_
#define CABLES_SERVICES_METADATA_METADATA_SERVICE_H_

#include "absl/time/time.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "services/common/bounded_executor.h"
#include "services/metadata/metadata_catalog.h"

namespace cables::metadata {

// The generated CallbackService with GetCable as a raw method: a cached
// cable is sent as the bytes the cache holds (services/common/raw_message.h).
using MetadataCallbackService =
    cables::v1::MetadataService::WithRawCallbackMethod_GetCable<
        cables::v1::MetadataService::CallbackService>;

class MetadataServiceImpl final : public MetadataCallbackService {
 public:
  // `watch_poll_interval`: how long an idle WatchCables stream waits before
  // reading the change log again.
  MetadataServiceImpl(
      const MetadataCatalog* catalog, BoundedExecutor* executor,
      absl::Duration watch_poll_interval = absl::Milliseconds(200))
      : catalog_(catalog),
        executor_(executor),
        watch_poll_interval_(watch_poll_interval) {}

  // Raw (GetCableRequest in, Cable out): parses its request; a cache hit
  // is answered on the reactor with the cached bytes.
  grpc::ServerUnaryReactor* GetCable(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetCables(
      grpc::CallbackServerContext* context,
      const cables::v1::BatchGetCablesRequest* request,
      cables::v1::BatchGetCablesResponse* response) override;
  grpc::ServerUnaryReactor* ListCables(
      grpc::CallbackServerContext* context,
      const cables::v1::ListCablesRequest* request,
      cables::v1::ListCablesResponse* response) override;
  grpc::ServerUnaryReactor* BrowseCables(
      grpc::CallbackServerContext* context,
      const cables::v1::BrowseCablesRequest* request,
      cables::v1::BrowseCablesResponse* response) override;
  grpc::ServerUnaryReactor* ListCableReferences(
      grpc::CallbackServerContext* context,
      const cables::v1::ListCableReferencesRequest* request,
      cables::v1::ListCableReferencesResponse* response) override;
  grpc::ServerUnaryReactor* ListCitingCables(
      grpc::CallbackServerContext* context,
      const cables::v1::ListCitingCablesRequest* request,
      cables::v1::ListCitingCablesResponse* response) override;
  grpc::ServerUnaryReactor* ListCableVersions(
      grpc::CallbackServerContext* context,
      const cables::v1::ListCableVersionsRequest* request,
      cables::v1::ListCableVersionsResponse* response) override;
  grpc::ServerUnaryReactor* DiffCableVersions(
      grpc::CallbackServerContext* context,
      const cables::v1::DiffCableVersionsRequest* request,
      cables::v1::DiffCableVersionsResponse* response) override;
  grpc::ServerUnaryReactor* GetParagraph(
      grpc::CallbackServerContext* context,
      const cables::v1::GetParagraphRequest* request,
      cables::v1::CableParagraph* response) override;
  grpc::ServerUnaryReactor* ListCableEvents(
      grpc::CallbackServerContext* context,
      const cables::v1::ListCableEventsRequest* request,
      cables::v1::ListCableEventsResponse* response) override;
  grpc::ServerWriteReactor<cables::v1::Cable>* ExportCables(
      grpc::CallbackServerContext* context,
      const cables::v1::ExportCablesRequest* request) override;
  // Needs the write scope.
  grpc::ServerUnaryReactor* DeleteCable(
      grpc::CallbackServerContext* context,
      const cables::v1::DeleteCableRequest* request,
      cables::v1::CableTombstone* response) override;
  // The change feed (WatchReactor).
  grpc::ServerWriteReactor<cables::v1::ChangeEvent>* WatchCables(
      grpc::CallbackServerContext* context,
      const cables::v1::WatchCablesRequest* request) override;

 private:
  const MetadataCatalog* const catalog_;
  BoundedExecutor* const executor_;
  const absl::Duration watch_poll_interval_;
};

}  // namespace cables::metadata

#endif  // CABLES_SERVICES_METADATA_METADATA_SERVICE_H_
