// auth_probe: calls EVERY method of every cables.v1 service -- enumerated
// from the services' descriptors, so a method added later is covered
// without touching this file -- with no token, an unknown token, a read
// token and a write token, and checks the answer:
//   no token / unknown token   -> UNAUTHENTICATED, for every method;
//   read token, write method   -> PERMISSION_DENIED;
//   read token, read method    -> neither (the call got past the guard);
//   write token, any method    -> neither.
// Write methods: every IngestService method and MetadataService.DeleteCable.
// Each call sends one empty request message (valid wire format for unary
// and streaming methods alike) and reads until the server ends the call,
// within a 3 s deadline. Point it at services on an EMPTY database: the
// calls that pass the guard then change nothing.
//
//   auth_probe --ingest A --metadata B --search C --read_token R
//              --write_token W
// Prints one line per method and token; exit status 1 on any violation.
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "cables/v1/search_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "services/common/grpc_status.h"

ABSL_FLAG(std::string, ingest, "127.0.0.1:50051", "ingest address");
ABSL_FLAG(std::string, metadata, "127.0.0.1:50052", "metadata address");
ABSL_FLAG(std::string, search, "127.0.0.1:50053", "search address");
ABSL_FLAG(std::string, read_token, "", "a token with the read scope");
ABSL_FLAG(std::string, write_token, "", "a token with the write scope");

namespace {

// Waits for the one outstanding operation on `cq`; its `ok`.
bool Wait(grpc::CompletionQueue& cq) {
  void* tag = nullptr;
  bool ok = false;
  if (!cq.Next(&tag, &ok)) return false;
  return ok;
}

grpc::Status Call(grpc::GenericStub& stub, const std::string& method,
                  const std::string& authorization) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(3));
  if (!authorization.empty()) {
    context.AddMetadata("authorization", authorization);
  }
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&context, method, &cq);
  int tag = 0;
  call->StartCall(&tag);
  if (Wait(cq)) {
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    call->Write(request, &tag);
    if (Wait(cq)) {
      call->WritesDone(&tag);
      Wait(cq);
    }
  }
  grpc::ByteBuffer response;
  for (;;) {
    call->Read(&response, &tag);
    if (!Wait(cq)) break;
  }
  grpc::Status status;
  call->Finish(&status, &tag);
  Wait(cq);
  cq.Shutdown();
  void* ignored_tag;
  bool ignored_ok;
  while (cq.Next(&ignored_tag, &ignored_ok)) {
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string read_token = absl::GetFlag(FLAGS_read_token);
  const std::string write_token = absl::GetFlag(FLAGS_write_token);
  if (read_token.empty() || write_token.empty()) {
    std::fprintf(stderr, "auth_probe: --read_token and --write_token\n");
    return 2;
  }
  // Each service from the file of one of its messages (which also makes
  // sure the generated descriptors are linked in).
  const std::vector<
      std::pair<const google::protobuf::ServiceDescriptor*, std::string>>
      services = {
          {cables::v1::IngestCableRequest::descriptor()
               ->file()
               ->FindServiceByName("IngestService"),
           absl::GetFlag(FLAGS_ingest)},
          {cables::v1::GetCableRequest::descriptor()->file()->FindServiceByName(
               "MetadataService"),
           absl::GetFlag(FLAGS_metadata)},
          {cables::v1::SearchCablesRequest::descriptor()
               ->file()
               ->FindServiceByName("SearchService"),
           absl::GetFlag(FLAGS_search)},
      };
  const std::set<std::string> write_methods_outside_ingest = {
      "cables.v1.MetadataService.DeleteCable"};
  int violations = 0;
  int methods = 0;
  for (const auto& [service, address] : services) {
    if (service == nullptr) {
      std::fprintf(stderr, "auth_probe: a service descriptor is missing\n");
      return 2;
    }
    grpc::GenericStub stub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* m = service->method(i);
      ++methods;
      const std::string path = "/" + service->full_name() + "/" + m->name();
      const bool write = service->full_name() == "cables.v1.IngestService" ||
                         write_methods_outside_ingest.count(m->full_name()) > 0;
      struct Case {
        const char* who;
        std::string authorization;
        bool expect_unauthenticated;
        bool expect_denied;
      };
      const Case cases[] = {
          {"no token", "", true, false},
          {"unknown token", "Bearer not-a-token", true, false},
          {"read token", "Bearer " + read_token, false, write},
          {"write token", "Bearer " + write_token, false, false},
      };
      for (const Case& c : cases) {
        const grpc::Status status = Call(stub, path, c.authorization);
        const grpc::StatusCode code = status.error_code();
        bool ok;
        if (c.expect_unauthenticated) {
          ok = code == grpc::UNAUTHENTICATED;
        } else if (c.expect_denied) {
          ok = code == grpc::PERMISSION_DENIED;
        } else {
          ok = code != grpc::UNAUTHENTICATED &&
               code != grpc::PERMISSION_DENIED && code != grpc::UNIMPLEMENTED;
        }
        if (!ok) ++violations;
        std::printf("%-4s %-45s %-13s %-6s -> %s\n", ok ? "ok" : "FAIL",
                    m->full_name().c_str(), c.who, write ? "write" : "read",
                    cables::GrpcCodeConstantName(code));
      }
    }
  }
  std::printf("%d methods, %d violations\n", methods, violations);
  return violations == 0 && methods > 0 ? 0 : 1;
}
