// libFuzzer target for the cable parser. Build with clang-14:
//   CC=clang-14 CXX=clang++-14 cmake -S . -B build/fuzz -G Ninja \
//       -DCABLES_FUZZ=ON -DCABLES_SANITIZE=address,undefined
//   ninja -C build/fuzz parser_fuzz
//   build/fuzz/tests/fuzz/parser_fuzz -max_total_time=120 \
//       -dict=tests/fuzz/parser.dict build/fuzz/parser_corpus \
//       tests/fuzz/corpus/parser
// Crashes found go into tests/fuzz/regressions/parser/ (replayed by
// services/ingest/parser/fuzz_regression_test.cc).
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "tests/fuzz/parser_fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string problem = cables::fuzz::FuzzParserOnce(data, size);
  if (!problem.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
    __builtin_trap();
  }
  return 0;
}
