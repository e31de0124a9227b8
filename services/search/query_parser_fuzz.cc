// libFuzzer target for the search query path (built when CABLES_FUZZ is
// ON): the checks of query_fuzz_check.h; a broken one aborts. Seeds:
// fuzz_corpus/, replayed in every build by query_fuzz_replay_test.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "services/search/query_fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string broken = cables::search::FuzzQueryOnce(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "query_parser_fuzz: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
