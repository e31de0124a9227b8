// cablectl id ID...: prints each canonical id on its own line.
#include <cstdio>

#include "services/ingest/parser/cable_id.h"
#include "tools/cablectl/command.h"

namespace cables::cablectl {

int RunId(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr, "usage: cablectl id ID...\n");
    return kExitUsage;
  }
  int status = kExitOk;
  for (const std::string& raw : args) {
    const auto canonical = parser::CanonicalizeCableId(raw);
    if (canonical.ok()) {
      std::printf("%s\n", canonical->c_str());
    } else {
      std::fprintf(stderr, "cablectl id: '%s': %s\n", raw.c_str(),
                   std::string(canonical.status().message()).c_str());
      status = kExitFailure;
    }
  }
  return status;
}

}  // namespace cables::cablectl
