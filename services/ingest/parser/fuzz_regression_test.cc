// Replays the fuzzer's regression inputs (tests/fuzz/regressions/parser/)
// and seed corpus (tests/fuzz/corpus/parser/) through the same checks the
// libFuzzer target runs, in the normal (non-clang) build.
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fuzz/fuzz_inputs.h"
#include "tests/fuzz/parser_fuzz_check.h"

namespace cables::parser {
namespace {

namespace fs = std::filesystem;
using fuzz::FuzzInputBytes;
using fuzz::FuzzInputs;

std::vector<fs::path> Inputs(const char* dir) {
  return FuzzInputs(fs::path(CABLES_SOURCE_DIR) / dir);
}

void Replay(const std::vector<fs::path>& files) {
  for (const fs::path& file : files) {
    const std::string bytes = FuzzInputBytes(file);
    EXPECT_EQ(cables::fuzz::FuzzParserOnce(
                  reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
              "")
        << file;
  }
}

TEST(FuzzRegressionTest, RegressionInputs) {
  Replay(Inputs("tests/fuzz/regressions/parser"));
}

TEST(FuzzRegressionTest, SeedCorpus) {
  const auto files = Inputs("tests/fuzz/corpus/parser");
  EXPECT_GE(files.size(), 5u);
  Replay(files);
}

}  // namespace
}  // namespace cables::parser
