// Replays the search query fuzzer's inputs through the checks of
// query_fuzz_check.h in every build (the fuzz target itself is built only
// with clang and CABLES_FUZZ): the seeds in services/search/fuzz_corpus/,
// crash regressions in tests/fuzz/regressions/query_parser/ (when any), and
// the minimized corpus of the last long run
// (tests/fuzz/corpus/query_parser-merged.tar.xz), unpacked with tar into a
// temporary folder.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/search/query_fuzz_check.h"

namespace cables::search {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> Inputs(const fs::path& root) {
  std::vector<fs::path> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
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
    EXPECT_EQ(FuzzQueryOnce(reinterpret_cast<const uint8_t*>(bytes.data()),
                            bytes.size()),
              "")
        << file;
  }
}

TEST(QueryFuzzReplayTest, Seeds) {
  const auto files =
      Inputs(fs::path(CABLES_SOURCE_DIR) / "services/search/fuzz_corpus");
  EXPECT_GE(files.size(), 20u);
  Replay(files);
}

TEST(QueryFuzzReplayTest, Regressions) {
  Replay(Inputs(fs::path(CABLES_SOURCE_DIR) /
                "tests/fuzz/regressions/query_parser"));
}

TEST(QueryFuzzReplayTest, MergedCorpusOfTheLastLongRun) {
  const fs::path tarball = fs::path(CABLES_SOURCE_DIR) /
                           "tests/fuzz/corpus/query_parser-merged.tar.xz";
  ASSERT_TRUE(fs::exists(tarball)) << tarball;
  const fs::path dir = fs::temp_directory_path() /
                       absl::StrCat("query_fuzz_replay_", ::getpid());
  fs::create_directories(dir);
  const std::string command =
      absl::StrCat("tar -C '", dir.string(), "' -xJf '", tarball.string(), "'");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const auto files = Inputs(dir);
  EXPECT_GE(files.size(), 100u);
  Replay(files);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cables::search
