#include "services/ingest/parser/testing/real_corpus.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace cables::parser::testing {

namespace fs = std::filesystem;

fs::path CorpusRoot() {
  return fs::path(CABLES_SOURCE_DIR) / ".." / "shared" / "corpus" /
         "wikileaks-html";
}

std::vector<fs::path> CorpusPages() {
  std::vector<fs::path> pages;
  const fs::path root = CorpusRoot();
  std::error_code error;
  if (!fs::exists(root, error)) return pages;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".html") {
      pages.push_back(entry.path());
    }
  }
  std::sort(pages.begin(), pages.end());
  return pages;
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace cables::parser::testing
