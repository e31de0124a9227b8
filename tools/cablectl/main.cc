// cablectl: command-line client of the Cable Archive.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "tools/cablectl/command.h"

namespace {

constexpr cables::cablectl::Command kCommands[] = {
    {"parse",
     "parse [--format auto|html|csv|browser|text] [--id REFID] "
     "[--year YYYY] FILE|-",
     cables::cablectl::RunParse},
    {"id", "id ID...", cables::cablectl::RunId},
    {"import",
     "import [--ingest ADDR] [--state FILE] [--batch_size N] [--bulk] "
     "PATH...|-|BAG...",
     cables::cablectl::RunImport},
    {"verify", "verify [--ingest ADDR] [--repair] [--json]",
     cables::cablectl::RunVerify},
    {"events", "events ID|- [--filter F] [--all] [--json]",
     cables::cablectl::RunEvents},
    {"health", "health [--wait SECONDS] [ADDR|ingest|metadata|search]",
     cables::cablectl::RunHealth},
    {"get", "get ID... [--json]", cables::cablectl::RunGet},
    {"list",
     "list [--filter F] [--order_by O] [--page_size N] [--all] [--json]",
     cables::cablectl::RunList},
    {"browse",
     "browse tags|origins|classifications|caveats|years|months [--filter F]",
     cables::cablectl::RunBrowse},
    {"refs", "refs ID [--json]", cables::cablectl::RunRefs},
    {"cited-by", "cited-by ID [--limit N] [--json]",
     cables::cablectl::RunCitedBy},
    {"versions", "versions ID [--json]", cables::cablectl::RunVersions},
    {"diff", "diff ID V1 V2 [--json]", cables::cablectl::RunDiff},
    {"export", "export [--filter F] [--export_format jsonl|csv] [--out FILE]",
     cables::cablectl::RunExport},
    {"search", "search QUERY [--facets] [--order created] [--json]",
     cables::cablectl::RunSearch},
    {"watch", "watch [--after N] [--from_now] [--kinds K,...] [--json]",
     cables::cablectl::RunWatch},
    {"delete", "delete ID... [--reason R] [--json]",
     cables::cablectl::RunDelete},
};

int Usage() {
  std::fprintf(stderr, "usage: cablectl COMMAND [flags] [args]\ncommands:\n");
  for (const auto& c : kCommands)
    std::fprintf(stderr, "  cablectl %s\n", c.usage);
  return cables::cablectl::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // gRPC notices a failed reconnect (service restarting) only when
  // something polls; between calls that is its backup poller, every 5 s by
  // default -- so a retrying command sat ~5 s idle after a service came
  // back. Before gRPC starts; the environment still overrides.
  setenv("GRPC_CLIENT_CHANNEL_BACKUP_POLL_INTERVAL_MS", "200", /*overwrite=*/0);
  absl::SetProgramUsageMessage("cablectl COMMAND [flags] [args]");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) return Usage();
  const std::string name = positional[1];
  for (const auto& c : kCommands) {
    if (name == c.name) {
      return c.run(
          std::vector<std::string>(positional.begin() + 2, positional.end()));
    }
  }
  std::fprintf(stderr, "cablectl: unknown command '%s'\n", name.c_str());
  return Usage();
}
