// The command a user runs for the next page of a paged listing: the same
// subcommand, arguments and flags, and the page token. Printed by `list`
// and `search` when more pages follow.
#ifndef CABLES_TOOLS_CABLECTL_NEXT_PAGE_H_
#define CABLES_TOOLS_CABLECTL_NEXT_PAGE_H_

#include <string>
#include <utility>
#include <vector>

namespace cables::cablectl {

// `s` in single quotes for a POSIX shell.
std::string ShellQuote(const std::string& s);

// "cablectl <command> <args...> --<flag>=<value>... --page_token=<token>",
// every argument and value shell-quoted (the = form suits boolean flags). Flags
// with an empty value are left out.
std::string NextPageCommand(
    const std::string& command, const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& flags,
    const std::string& token);

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_NEXT_PAGE_H_
