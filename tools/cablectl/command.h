// cablectl subcommands: each is a function from its positional arguments
// (after the subcommand name; flags are already parsed by absl) to an exit
// status. Output goes to stdout, errors to stderr.
#ifndef CABLES_TOOLS_CABLECTL_COMMAND_H_
#define CABLES_TOOLS_CABLECTL_COMMAND_H_

#include <string>
#include <vector>

namespace cables::cablectl {

// Exit statuses shared by all subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // bad input, rejected items, RPC error
inline constexpr int kExitUsage = 2;    // wrong arguments

using CommandFn = int (*)(const std::vector<std::string>& args);

struct Command {
  const char* name;
  const char* usage;  // "parse [--format F] FILE|-"
  CommandFn run;
};

int RunParse(const std::vector<std::string>& args);
int RunId(const std::vector<std::string>& args);
int RunImport(const std::vector<std::string>& args);
int RunHealth(const std::vector<std::string>& args);
int RunGet(const std::vector<std::string>& args);
int RunList(const std::vector<std::string>& args);
int RunBrowse(const std::vector<std::string>& args);
int RunRefs(const std::vector<std::string>& args);
int RunCitedBy(const std::vector<std::string>& args);
int RunVersions(const std::vector<std::string>& args);
int RunDiff(const std::vector<std::string>& args);
int RunExport(const std::vector<std::string>& args);
int RunSearch(const std::vector<std::string>& args);
int RunWatch(const std::vector<std::string>& args);
int RunDelete(const std::vector<std::string>& args);
int RunVerify(const std::vector<std::string>& args);
int RunEvents(const std::vector<std::string>& args);

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_COMMAND_H_
