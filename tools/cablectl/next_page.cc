#include "tools/cablectl/next_page.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace cables::cablectl {

std::string ShellQuote(const std::string& s) {
  return absl::StrCat("'", absl::StrReplaceAll(s, {{"'", "'\\''"}}), "'");
}

std::string NextPageCommand(
    const std::string& command, const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& flags,
    const std::string& token) {
  std::string out = absl::StrCat("cablectl ", command);
  for (const std::string& arg : args)
    absl::StrAppend(&out, " ", ShellQuote(arg));
  for (const auto& [flag, value] : flags) {
    if (!value.empty())
      absl::StrAppend(&out, " --", flag, "=", ShellQuote(value));
  }
  absl::StrAppend(&out, " --page_token=", ShellQuote(token));
  return out;
}

}  // namespace cables::cablectl
