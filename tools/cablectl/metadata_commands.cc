// cablectl get / list / browse / refs / cited-by / versions / diff: the
// metadata service from the command line. Plain text by default, protobuf
// JSON (one object per line) with --json.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/next_page.h"
#include "tools/cablectl/rpc_output.h"
#include "tools/cablectl/service_addresses.h"

ABSL_FLAG(std::string, filter, "",
          "list/export/browse: AIP-160 filter, e.g. "
          "'origin = \"Embassy Almaty\" AND tags:\"PGOV\"'");
ABSL_FLAG(std::string, order_by, "",
          "list: created, created desc, released, id");
ABSL_FLAG(int, page_size, 0, "list: cables per page (0: server default)");
ABSL_FLAG(std::string, page_token, "", "list: continue from this page token");
ABSL_FLAG(bool, all, false, "list: follow page tokens to the end");
ABSL_FLAG(int, limit, 0, "browse/cited-by: values per dimension / cables");

namespace cables::cablectl {
namespace {

using cables::v1::MetadataService;

std::unique_ptr<MetadataService::Stub> Stub() {
  return MetadataService::NewStub(MakeChannel(MetadataAddress()));
}

std::string Name(const std::string& id) {
  return id.rfind("cables/", 0) == 0 ? id : "cables/" + id;
}

// "cables/05ALMATY1595" -> "05ALMATY1595".
std::string IdOf(const std::string& name) {
  return name.rfind("cables/", 0) == 0 ? name.substr(7) : name;
}

// Citing cables per ListCitingCables call (the server caps larger sizes).
constexpr int kCitedByPageSize = 1000;

// The cable the way a cable-browser page shows it.
void PrintCablePage(const cables::v1::Cable& c) {
  if (!c.subject().empty()) std::printf("%s\n\n", c.subject().c_str());
  std::printf("Identifier: %s\n", c.canonical_id().c_str());
  if (c.reference_id() != c.canonical_id()) {
    std::printf("Reference ID: %s\n", c.reference_id().c_str());
  }
  std::printf("Origin: %s\n", c.origin().c_str());
  std::printf("Created: %s\n", FormatTimestamp(c.created()).c_str());
  if (c.has_released())
    std::printf("Released: %s\n", FormatTimestamp(c.released()).c_str());
  std::printf("Classification: %s\n", c.classification().c_str());
  std::printf("Tags: %s\n", absl::StrJoin(c.tags(), " ").c_str());
  std::printf("Redacted: %s\n",
              c.redacted() ? "This cable was redacted by Wikileaks."
                           : "This cable was not redacted by Wikileaks.");
  if (c.partial()) {
    std::printf(
        "This record is a partial extract of the original cable. The full text "
        "of "
        "the original cable is not available.\n");
  }
  std::printf("Version: %d\n\n", c.version());
  if (!c.header().empty()) std::printf("%s\n\n", c.header().c_str());
  std::printf("%s\n", c.body().c_str());
}

void PrintListLine(const cables::v1::Cable& c) {
  std::printf("%-22s %s  %-28s %-14s %s\n", c.canonical_id().c_str(),
              FormatTimestamp(c.created()).substr(0, 10).c_str(),
              c.origin().c_str(), c.classification().c_str(),
              c.subject().c_str());
}

}  // namespace

int RunGet(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr, "usage: cablectl get ID... [--json]\n");
    return kExitUsage;
  }
  auto stub = Stub();
  int status = kExitOk;
  for (const auto& id : args) {
    grpc::ClientContext context;
    SetDeadline(&context);
    cables::v1::GetCableRequest request;
    request.set_name(Name(id));
    cables::v1::Cable cable;
    const grpc::Status s = stub->GetCable(&context, request, &cable);
    if (!s.ok()) {
      status = ReportRpcError("get", s);
      continue;
    }
    if (JsonOutput()) {
      if (!PrintJson(cable)) status = kExitFailure;
    } else {
      PrintCablePage(cable);
    }
  }
  return status;
}

int RunList(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr,
                 "usage: cablectl list [--filter F] [--order_by O] "
                 "[--page_size N] [--all] [--json]\n");
    return kExitUsage;
  }
  auto stub = Stub();
  std::string token = absl::GetFlag(FLAGS_page_token);
  for (;;) {
    grpc::ClientContext context;
    SetDeadline(&context);
    cables::v1::ListCablesRequest request;
    request.set_filter(absl::GetFlag(FLAGS_filter));
    request.set_order_by(absl::GetFlag(FLAGS_order_by));
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(token);
    request.mutable_read_mask()->add_paths("name");
    for (const char* f : {"canonical_id", "reference_id", "created", "origin",
                          "classification", "subject", "tags", "version"}) {
      request.mutable_read_mask()->add_paths(f);
    }
    cables::v1::ListCablesResponse response;
    const grpc::Status s = stub->ListCables(&context, request, &response);
    if (!s.ok()) return ReportRpcError("list", s);
    for (const auto& c : response.cables()) {
      if (JsonOutput()) {
        PrintJson(c);
      } else {
        PrintListLine(c);
      }
    }
    token = response.next_page_token();
    if (token.empty()) break;
    if (!absl::GetFlag(FLAGS_all)) {
      if (!JsonOutput()) {
        const int page_size = absl::GetFlag(FLAGS_page_size);
        const std::string address = MetadataAddress();
        const std::string command = NextPageCommand(
            "list", {},
            {{"metadata", address == kDefaultMetadataAddress ? "" : address},
             {"filter", absl::GetFlag(FLAGS_filter)},
             {"order_by", absl::GetFlag(FLAGS_order_by)},
             {"page_size", page_size > 0 ? absl::StrCat(page_size) : ""}},
            token);
        std::fprintf(stderr, "next page: %s\n", command.c_str());
      }
      break;
    }
  }
  return kExitOk;
}

int RunBrowse(const std::vector<std::string>& args) {
  const std::string what = args.empty() ? "" : args[0];
  if (args.size() != 1 ||
      (what != "tags" && what != "origins" && what != "classifications" &&
       what != "caveats" && what != "years" && what != "months")) {
    std::fprintf(stderr,
                 "usage: cablectl browse "
                 "tags|origins|classifications|caveats|years|months [--filter "
                 "F] [--json]\n");
    return kExitUsage;
  }
  auto stub = Stub();
  grpc::ClientContext context;
  SetDeadline(&context);
  cables::v1::BrowseCablesRequest request;
  request.set_filter(absl::GetFlag(FLAGS_filter));
  request.set_limit(absl::GetFlag(FLAGS_limit));
  cables::v1::BrowseCablesResponse response;
  const grpc::Status s = stub->BrowseCables(&context, request, &response);
  if (!s.ok()) return ReportRpcError("browse", s);
  const auto& counts = what == "tags"              ? response.tags()
                       : what == "origins"         ? response.origins()
                       : what == "classifications" ? response.classifications()
                       : what == "caveats"         ? response.caveats()
                       : what == "years"           ? response.years()
                                                   : response.months();
  for (const auto& c : counts) {
    if (JsonOutput()) {
      PrintJson(c);
    } else if (what == "tags") {
      std::printf("%8lld  %-24s %s\n", static_cast<long long>(c.count()),
                  c.value().c_str(),
                  cables::v1::TagKind_Name(c.tag_kind()).c_str());
    } else {
      std::printf("%8lld  %s\n", static_cast<long long>(c.count()),
                  c.value().c_str());
    }
  }
  if (!JsonOutput())
    std::printf("%8lld  cables in all\n",
                static_cast<long long>(response.total_size()));
  return kExitOk;
}

int RunRefs(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: cablectl refs ID [--json]\n");
    return kExitUsage;
  }
  auto stub = Stub();
  grpc::ClientContext context;
  SetDeadline(&context);
  cables::v1::ListCableReferencesRequest request;
  request.set_name(Name(args[0]));
  cables::v1::ListCableReferencesResponse response;
  const grpc::Status s =
      stub->ListCableReferences(&context, request, &response);
  if (!s.ok()) return ReportRpcError("refs", s);
  for (const auto& r : response.references()) {
    if (JsonOutput()) {
      PrintJson(r);
      continue;
    }
    const auto& ref = r.reference();
    const std::string kind = cables::v1::Reference::Kind_Name(ref.kind());
    std::string target = ref.id().empty() ? kind : ref.id();
    std::string note =
        r.in_archive()
            ? FormatTimestamp(r.created()).substr(0, 10) + "  " + r.subject()
            : (ref.kind() == cables::v1::Reference::CABLE
                   ? "(not in the archive)"
                   : ref.text());
    std::printf("%-2s %-22s %s\n", ref.letter().c_str(), target.c_str(),
                note.c_str());
  }
  return kExitOk;
}

int RunCitedBy(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: cablectl cited-by ID [--limit N] [--json]\n");
    return kExitUsage;
  }
  auto stub = Stub();
  // Every citing cable, page by page; --limit caps how many are printed.
  const int limit = absl::GetFlag(FLAGS_limit);
  cables::v1::ListCitingCablesRequest request;
  request.set_name(Name(args[0]));
  request.set_page_size(kCitedByPageSize);
  int printed = 0;
  int64_t total = 0;
  do {
    grpc::ClientContext context;
    SetDeadline(&context);
    cables::v1::ListCitingCablesResponse response;
    const grpc::Status s = stub->ListCitingCables(&context, request, &response);
    if (!s.ok()) return ReportRpcError("cited-by", s);
    total = response.total_size();
    for (const auto& c : response.cables()) {
      if (limit > 0 && printed == limit) break;
      ++printed;
      if (JsonOutput()) {
        PrintJson(c);
      } else {
        std::printf("%-2s %-22s %s  %s\n", c.letter().c_str(),
                    IdOf(c.name()).c_str(),
                    FormatTimestamp(c.created()).substr(0, 10).c_str(),
                    c.subject().c_str());
      }
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() && (limit <= 0 || printed < limit));
  if (!JsonOutput()) {
    std::printf("%lld cables cite %s\n", static_cast<long long>(total),
                IdOf(request.name()).c_str());
  }
  return kExitOk;
}

int RunVersions(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: cablectl versions ID [--json]\n");
    return kExitUsage;
  }
  auto stub = Stub();
  grpc::ClientContext context;
  SetDeadline(&context);
  cables::v1::ListCableVersionsRequest request;
  request.set_name(Name(args[0]));
  cables::v1::ListCableVersionsResponse response;
  const grpc::Status s = stub->ListCableVersions(&context, request, &response);
  if (!s.ok()) return ReportRpcError("versions", s);
  for (const auto& v : response.versions()) {
    if (JsonOutput()) {
      PrintJson(v);
    } else {
      std::printf("%3d%s %s  %s  %s  %s\n", v.version(),
                  v.current() ? "*" : " ",
                  FormatTimestamp(v.ingest_time()).c_str(),
                  v.content_sha256().substr(0, 16).c_str(), v.source().c_str(),
                  absl::StrJoin(v.changed_fields(), ",").c_str());
    }
  }
  return kExitOk;
}

int RunDiff(const std::vector<std::string>& args) {
  int from = 0, to = 0;
  if (args.size() != 3 || !absl::SimpleAtoi(args[1], &from) ||
      !absl::SimpleAtoi(args[2], &to)) {
    std::fprintf(stderr, "usage: cablectl diff ID V1 V2 [--json]\n");
    return kExitUsage;
  }
  auto stub = Stub();
  grpc::ClientContext context;
  SetDeadline(&context);
  cables::v1::DiffCableVersionsRequest request;
  request.set_name(Name(args[0]));
  request.set_from_version(from);
  request.set_to_version(to);
  cables::v1::DiffCableVersionsResponse response;
  const grpc::Status s = stub->DiffCableVersions(&context, request, &response);
  if (!s.ok()) return ReportRpcError("diff", s);
  if (JsonOutput()) return PrintJson(response) ? kExitOk : kExitFailure;
  for (const auto& f : response.changed_fields()) {
    std::printf("field %s: %s -> %s\n", f.field().c_str(),
                f.from_value().c_str(), f.to_value().c_str());
  }
  std::printf("%s", response.unified_diff().c_str());
  return kExitOk;
}

}  // namespace cables::cablectl
