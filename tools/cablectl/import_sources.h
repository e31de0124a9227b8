// ImportSources: turns `cablectl import` arguments into the ordered stream
// of documents sent to ImportCables. Directories are walked recursively
// (sorted, so positions are stable between runs: resuming depends on it);
// files ending in .csv are split into chunks of whole rows (memory-mapped,
// never read whole); every other file is one document; "-" is standard
// input (one document, or CSV chunks when it looks like cables.csv).
//
// Positions: file index * 2^32 + the first row of the chunk (1 for a
// single-cable file), so they increase strictly and identify a document
// across runs.
//
// Not thread-safe.
#ifndef CABLES_TOOLS_CABLECTL_IMPORT_SOURCES_H_
#define CABLES_TOOLS_CABLECTL_IMPORT_SOURCES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cables/v1/ingest_service.pb.h"

namespace cables::cablectl {

struct ImportFile {
  std::string path;  // "-" for standard input
  uint64_t size = 0;
  bool csv = false;
};

// Expands the arguments. kNotFound naming a path that does not exist.
// Hidden files and directories (".name") are skipped.
absl::StatusOr<std::vector<ImportFile>> ExpandImportPaths(
    const std::vector<std::string>& paths);

class DocumentStream {
 public:
  // `files` from ExpandImportPaths; CSV chunks hold about `chunk_bytes`.
  DocumentStream(std::vector<ImportFile> files, size_t chunk_bytes);
  ~DocumentStream();

  DocumentStream(const DocumentStream&) = delete;
  DocumentStream& operator=(const DocumentStream&) = delete;

  // The next document, or false at the end. A file that cannot be read is
  // returned as an error for that file; the stream then continues.
  bool Next(absl::StatusOr<cables::v1::ImportCablesRequest::Document>* out);

  // Bytes of input consumed so far (for progress).
  uint64_t bytes_done() const { return bytes_done_; }

 private:
  struct CsvState;

  std::vector<ImportFile> files_;
  const size_t chunk_bytes_;
  size_t file_index_ = 0;
  uint64_t bytes_done_ = 0;
  std::unique_ptr<CsvState> csv_;
};

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_IMPORT_SOURCES_H_
