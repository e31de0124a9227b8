// The real cables of ../shared/corpus/wikileaks-html, for tests: read at
// test time, never copied into the project. Thread-compatible.
#ifndef CABLES_SERVICES_INGEST_PARSER_TESTING_REAL_CORPUS_H_
#define CABLES_SERVICES_INGEST_PARSER_TESTING_REAL_CORPUS_H_

#include <filesystem>
#include <string>
#include <vector>

namespace cables::parser::testing {

// ../shared/corpus/wikileaks-html beside the source tree.
std::filesystem::path CorpusRoot();

// Every .html page below CorpusRoot(), in path order (empty when the
// corpus is absent).
std::vector<std::filesystem::path> CorpusPages();

// The bytes of `path` (empty when it cannot be read).
std::string ReadBytes(const std::filesystem::path& path);

}  // namespace cables::parser::testing

#endif  // CABLES_SERVICES_INGEST_PARSER_TESTING_REAL_CORPUS_H_
