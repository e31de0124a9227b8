#include "tools/cablectl/import_sources.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/ingest/parser/csv_reader.h"
#include "tools/cablectl/file_input.h"

namespace cables::cablectl {
namespace fs = std::filesystem;

namespace {

constexpr int kRowBits = 32;

bool IsHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

bool IsCsvName(const std::string& path) {
  return absl::EndsWithIgnoreCase(path, ".csv");
}

}  // namespace

absl::StatusOr<std::vector<ImportFile>> ExpandImportPaths(
    const std::vector<std::string>& paths) {
  std::vector<ImportFile> files;
  for (const std::string& path : paths) {
    if (path == "-") {
      files.push_back({"-", 0, false});
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      return absl::NotFoundError(path + ": no such file or directory");
    }
    if (fs::is_directory(st)) {
      std::vector<ImportFile> found;
      for (auto it = fs::recursive_directory_iterator(
               path, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (IsHidden(it->path())) {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (!it->is_regular_file()) continue;
        const std::string p = it->path().string();
        found.push_back({p, it->file_size(), IsCsvName(p)});
      }
      std::sort(found.begin(), found.end(),
                [](const ImportFile& a, const ImportFile& b) { return a.path < b.path; });
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back({path, fs::file_size(path, ec), IsCsvName(path)});
    }
  }
  return files;
}

// A memory-mapped CSV file being cut into chunks of whole rows.
struct DocumentStream::CsvState {
  int fd = -1;
  const char* data = nullptr;
  size_t size = 0;
  std::string owned;  // standard input, read whole
  parser::CsvReader reader;
  parser::CsvRecord record;
  bool have_record = false;

  ~CsvState() {
    if (data != nullptr && owned.empty()) munmap(const_cast<char*>(data), size);
    if (fd >= 0) close(fd);
  }
};

DocumentStream::DocumentStream(std::vector<ImportFile> files,
                               size_t chunk_bytes)
    : files_(std::move(files)), chunk_bytes_(chunk_bytes) {}

DocumentStream::~DocumentStream() = default;

bool DocumentStream::Next(
    absl::StatusOr<cables::v1::ImportCablesRequest::Document>* out) {
  while (file_index_ < files_.size()) {
    const ImportFile& file = files_[file_index_];
    const int64_t base = static_cast<int64_t>(file_index_ + 1) << kRowBits;
    if (!file.csv && csv_ == nullptr) {
      auto content = ReadWholeInput(file.path);
      ++file_index_;
      if (!content.ok()) {
        *out = content.status();
        return true;
      }
      // Standard input holding a cables.csv dump is cut into rows as well.
      if (file.path == "-" && parser::LooksLikeCablesCsv(*content)) {
        csv_ = std::make_unique<CsvState>();
        csv_->owned = *std::move(content);
        csv_->data = csv_->owned.data();
        csv_->size = csv_->owned.size();
        csv_->reader.SetWholeInput(absl::string_view(csv_->data, csv_->size));
        --file_index_;
        continue;
      }
      bytes_done_ += content->size();
      cables::v1::ImportCablesRequest::Document document;
      document.set_position(base + 1);
      document.set_source(file.path);
      *document.mutable_content() = *std::move(content);
      *out = std::move(document);
      return true;
    }
    if (csv_ == nullptr) {
      csv_ = std::make_unique<CsvState>();
      csv_->fd = open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (csv_->fd < 0) {
        csv_.reset();
        ++file_index_;
        *out = absl::UnavailableError(file.path + ": cannot open");
        return true;
      }
      struct stat st {};
      fstat(csv_->fd, &st);
      csv_->size = static_cast<size_t>(st.st_size);
      if (csv_->size > 0) {
        void* mapped = mmap(nullptr, csv_->size, PROT_READ, MAP_PRIVATE, csv_->fd, 0);
        if (mapped == MAP_FAILED) {
          csv_.reset();
          ++file_index_;
          *out = absl::UnavailableError(file.path + ": cannot map");
          return true;
        }
        madvise(mapped, csv_->size, MADV_SEQUENTIAL);
        csv_->data = static_cast<const char*>(mapped);
      }
      csv_->reader.SetWholeInput(absl::string_view(csv_->data, csv_->size));
    }
    // Cut the next chunk: whole records until chunk_bytes_.
    CsvState& s = *csv_;
    int64_t first_row = 0;
    int64_t start = -1;
    int64_t end = -1;
    while (s.have_record || s.reader.Next(&s.record)) {
      s.have_record = true;
      if (start >= 0 && static_cast<size_t>(end - start) >= chunk_bytes_) break;
      if (start < 0) {
        start = s.record.offset;
        first_row = s.record.row;
      }
      end = s.record.offset + s.record.size;
      s.have_record = false;
    }
    if (start < 0) {  // file exhausted
      csv_.reset();
      ++file_index_;
      continue;
    }
    bytes_done_ += static_cast<uint64_t>(end - start);
    cables::v1::ImportCablesRequest::Document document;
    document.set_position(base + first_row);
    document.set_source(file.path);
    document.set_format(cables::v1::INPUT_FORMAT_CSV);
    document.set_content(s.data + start, static_cast<size_t>(end - start));
    *out = std::move(document);
    return true;
  }
  return false;
}

}  // namespace cables::cablectl
