// Replays the search query fuzzer's inputs through the checks of
// query_fuzz_check.h in every build (the fuzz target itself is built only
// with clang and CABLES_FUZZ): the seeds in services/search/fuzz_corpus/,
// crash regressions in tests/fuzz/regressions/query_parser/ (when any), and
// the minimized corpus of the last long run
// (tests/fuzz/corpus/query_parser-merged.tar.xz), unpacked with tar into a
// temporary folder.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/search/query_fuzz_check.h"
#include "tests/fuzz/fuzz_inputs.h"

namespace cables::search {
namespace {

namespace fs = std::filesystem;
using fuzz::FuzzInputBytes;
using fuzz::FuzzInputs;

void Replay(const std::vector<fs::path>& files) {
  for (const fs::path& file : files) {
    const std::string bytes = FuzzInputBytes(file);
    EXPECT_EQ(FuzzQueryOnce(reinterpret_cast<const uint8_t*>(bytes.data()),
                            bytes.size()),
              "")
        << file;
  }
}

TEST(QueryFuzzReplayTest, Seeds) {
  const auto files =
      FuzzInputs(fs::path(CABLES_SOURCE_DIR) / "services/search/fuzz_corpus");
  EXPECT_GE(files.size(), 20u);
  Replay(files);
}

TEST(QueryFuzzReplayTest, Regressions) {
  Replay(FuzzInputs(fs::path(CABLES_SOURCE_DIR) /
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
  const auto files = FuzzInputs(dir);
  EXPECT_GE(files.size(), 100u);
  Replay(files);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cables::search
