// cablectl parse: prints each cable of a document as one line of JSON.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "services/ingest/parser/cable_parser.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/file_input.h"
#include "tools/cablectl/json_printer.h"

ABSL_FLAG(std::string, format, "auto",
          "parse: input format: auto, html, csv, browser or text; "
          "export: output format, jsonl (the default) or csv");
ABSL_FLAG(std::string, id, "",
          "parse: reference id giving context (year, station) to a fragment");
ABSL_FLAG(int, year, 0, "parse: year giving context to a fragment");

namespace cables::cablectl {

int RunParse(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr,
                 "usage: cablectl parse [--format auto|html|csv|browser|text] "
                 "[--id REFID] [--year YYYY] FILE|-\n");
    return kExitUsage;
  }
  const auto format = parser::InputFormatFromName(absl::GetFlag(FLAGS_format));
  if (!format.ok()) {
    std::fprintf(stderr, "cablectl parse: %s\n",
                 std::string(format.status().message()).c_str());
    return kExitUsage;
  }
  const auto input = ReadWholeInput(args[0]);
  if (!input.ok()) {
    std::fprintf(stderr, "cablectl parse: %s\n",
                 std::string(input.status().message()).c_str());
    return kExitFailure;
  }
  parser::ParseOptions options;
  options.format = *format;
  options.id_hint = absl::GetFlag(FLAGS_id);
  options.year_hint = absl::GetFlag(FLAGS_year);
  const auto cables = parser::ParseDocument(*input, options);
  if (!cables.ok()) {
    std::fprintf(stderr, "cablectl parse: %s: %s\n", args[0].c_str(),
                 std::string(cables.status().message()).c_str());
    return kExitFailure;
  }
  for (const auto& cable : *cables) {
    const auto line = ToJsonLine(cable);
    if (!line.ok()) {
      std::fprintf(stderr, "cablectl parse: %s\n",
                   std::string(line.status().message()).c_str());
      return kExitFailure;
    }
    std::printf("%s\n", line->c_str());
  }
  return kExitOk;
}

}  // namespace cables::cablectl
