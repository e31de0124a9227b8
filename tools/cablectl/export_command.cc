// cablectl export --filter F --format jsonl|csv [--out FILE]: streams every
// matching cable from ExportCables into a file (or stdout), with a progress
// bar on a terminal. CSV output is the cables.csv layout, so an export can
// be imported again.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/json_printer.h"
#include "tools/cablectl/progress_bar.h"
#include "tools/cablectl/rpc_output.h"
#include "tools/cablectl/service_addresses.h"

ABSL_DECLARE_FLAG(std::string, filter);
ABSL_DECLARE_FLAG(std::string, format);

ABSL_FLAG(std::string, out, "-", "export: output file (- for stdout)");
ABSL_FLAG(std::string, export_format, "jsonl",
          "export: jsonl or csv (the same as --format)");

namespace cables::cablectl {
namespace {

std::string CsvQuote(const std::string& s) {
  return absl::StrCat(
      "\"", absl::StrReplaceAll(s, {{"\\", "\\\\"}, {"\"", "\\\""}}), "\"");
}

std::string CsvRow(int64_t n, const cables::v1::Cable& c) {
  std::string created;
  if (c.has_created()) {
    created = absl::FormatTime("%m/%d/%Y %H:%M",
                               absl::FromUnixSeconds(c.created().seconds()),
                               absl::UTCTimeZone());
  }
  std::vector<std::string> refs;
  for (const auto& r : c.references()) {
    if (!r.id().empty()) refs.push_back(r.id());
  }
  return absl::StrJoin(
             {CsvQuote(std::to_string(n)), CsvQuote(created),
              CsvQuote(c.reference_id()), CsvQuote(c.origin()),
              CsvQuote(c.classification()), CsvQuote(absl::StrJoin(refs, ",")),
              CsvQuote(c.header()), CsvQuote(c.body())},
             ",") +
         "\n";
}

}  // namespace

int RunExport(const std::vector<std::string>& args) {
  // --format (shared with parse, where "auto" is its default) wins.
  const std::string format = absl::GetFlag(FLAGS_format) != "auto"
                                 ? absl::GetFlag(FLAGS_format)
                                 : absl::GetFlag(FLAGS_export_format);
  if (!args.empty() || (format != "jsonl" && format != "csv")) {
    std::fprintf(stderr,
                 "usage: cablectl export [--filter F] [--format jsonl|csv] "
                 "[--out FILE]\n");
    return kExitUsage;
  }
  const std::string path = absl::GetFlag(FLAGS_out);
  std::ofstream file;
  if (path != "-") {
    file.open(path, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::fprintf(stderr, "cablectl export: cannot write %s\n", path.c_str());
      return kExitFailure;
    }
  }
  std::ostream& out = path == "-" ? std::cout : file;
  auto stub =
      cables::v1::MetadataService::NewStub(MakeChannel(MetadataAddress()));
  grpc::ClientContext context;
  cables::v1::ExportCablesRequest request;
  request.set_filter(absl::GetFlag(FLAGS_filter));
  auto reader = stub->ExportCables(&context, request);
  ProgressBar progress(0);
  cables::v1::Cable cable;
  int64_t n = 0;
  uint64_t bytes = 0;
  while (reader->Read(&cable)) {
    ++n;
    std::string line;
    if (format == "csv") {
      line = CsvRow(n, cable);
    } else {
      auto json = ToJsonLine(cable);
      if (!json.ok()) {
        std::fprintf(stderr, "cablectl export: %s\n",
                     std::string(json.status().message()).c_str());
        return kExitFailure;
      }
      line = *json + "\n";
    }
    bytes += line.size();
    out << line;
    if (path != "-") progress.Update(n, bytes);
  }
  progress.Done();
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return ReportRpcError("export", status);
  out.flush();
  if (!out) {
    std::fprintf(stderr, "cablectl export: write error\n");
    return kExitFailure;
  }
  std::fprintf(stderr, "exported %lld cables\n", static_cast<long long>(n));
  return kExitOk;
}

}  // namespace cables::cablectl
