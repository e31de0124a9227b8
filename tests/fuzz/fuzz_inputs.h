// The inputs a fuzz target's replay test feeds it: every file under a
// folder (sorted; README.md left out), and a file's bytes. Shared by the
// replay tests of the cable parser and of the search query path.
#ifndef CABLES_TESTS_FUZZ_FUZZ_INPUTS_H_
#define CABLES_TESTS_FUZZ_FUZZ_INPUTS_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cables::fuzz {

// The files under `root`, recursively, sorted; none when it is missing.
inline std::vector<std::filesystem::path> FuzzInputs(
    const std::filesystem::path& root) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(root)) return files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline std::string FuzzInputBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

}  // namespace cables::fuzz

#endif  // CABLES_TESTS_FUZZ_FUZZ_INPUTS_H_
