// cablectl search QUERY [--facets] [--json]: ranked results with
// highlighted snippets (colour on a terminal), facet counts, and the
// command for the next page.
#include <cstdio>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "cables/v1/search_service.grpc.pb.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/next_page.h"
#include "tools/cablectl/rpc_output.h"
#include "tools/cablectl/service_addresses.h"

ABSL_DECLARE_FLAG(int, page_size);
ABSL_DECLARE_FLAG(std::string, page_token);

ABSL_FLAG(bool, facets, false, "search: print facet counts");
ABSL_FLAG(std::string, order, "", "search: relevance (default) or created");

namespace cables::cablectl {
namespace {

std::string Highlight(const std::string& text) {
  if (UseColour()) {
    return absl::StrReplaceAll(text, {{"[[", "\033[1;33m"}, {"]]", "\033[0m"}});
  }
  return text;
}

void PrintFacet(const char* title,
                const google::protobuf::RepeatedPtrField<cables::v1::SearchFacetCount>& counts) {
  if (counts.empty()) return;
  std::printf("%s:", title);
  int shown = 0;
  for (const auto& c : counts) {
    if (++shown > 12) break;
    std::printf(" %s (%lld)", c.value().c_str(), static_cast<long long>(c.count()));
  }
  std::printf("\n");
}

}  // namespace

int RunSearch(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr, "usage: cablectl search QUERY [--facets] [--order created] [--page_size N] [--page_token T] [--json]\n");
    return kExitUsage;
  }
  const std::string query = absl::StrJoin(args, " ");
  auto stub = cables::v1::SearchService::NewStub(MakeChannel(SearchAddress()));
  grpc::ClientContext context;
  SetDeadline(&context);
  cables::v1::SearchCablesRequest request;
  request.set_query(query);
  request.set_facets(absl::GetFlag(FLAGS_facets));
  request.set_order_by(absl::GetFlag(FLAGS_order));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  cables::v1::SearchCablesResponse response;
  const grpc::Status status = stub->SearchCables(&context, request, &response);
  if (!status.ok()) return ReportRpcError("search", status);
  if (JsonOutput()) return PrintJson(response) ? kExitOk : kExitFailure;
  std::printf("%s%lld cables match\n\n", response.total_is_estimate() ? "about " : "",
              static_cast<long long>(response.total_size()));
  for (const auto& r : response.results()) {
    std::printf("%s  %s  %s  %s\n", r.canonical_id().c_str(),
                FormatTimestamp(r.created()).substr(0, 10).c_str(), r.origin().c_str(),
                r.classification().c_str());
    if (!r.subject().empty()) std::printf("  %s\n", Highlight(r.subject()).c_str());
    for (const auto& s : r.snippets()) {
      std::printf("  ¶%d %s\n", s.paragraph_number(), Highlight(s.text()).c_str());
    }
    std::printf("\n");
  }
  if (response.has_facets()) {
    PrintFacet("tags", response.facets().tags());
    PrintFacet("origins", response.facets().origins());
    PrintFacet("classifications", response.facets().classifications());
    PrintFacet("years", response.facets().years());
  }
  if (!response.next_page_token().empty()) {
    const int page_size = absl::GetFlag(FLAGS_page_size);
    const std::string address = SearchAddress();
    const std::string command = NextPageCommand(
        "search", {query},
        {{"search", address == kDefaultSearchAddress ? "" : address},
         {"order", absl::GetFlag(FLAGS_order)},
         {"facets", absl::GetFlag(FLAGS_facets) ? "true" : ""},
         {"page_size", page_size > 0 ? absl::StrCat(page_size) : ""}},
        response.next_page_token());
    std::printf("\nnext page: %s\n", command.c_str());
  }
  return kExitOk;
}

}  // namespace cables::cablectl
