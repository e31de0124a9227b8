// Replays the fuzzer's regression inputs (tests/fuzz/regressions/parser/)
// and seed corpus (tests/fuzz/corpus/parser/) through the same checks the
// libFuzzer target runs, in the normal (non-clang) build.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fuzz/parser_fuzz_check.h"

namespace cables::parser {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> Inputs(const char* dir) {
  std::vector<fs::path> files;
  const fs::path root = fs::path(CABLES_SOURCE_DIR) / dir;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void Replay(const std::vector<fs::path>& files) {
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    const std::string bytes = data.str();
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
