#include "services/ingest/bagit/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "services/common/error_details.h"

namespace cables::bagit {
namespace {

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveDeleter>;

absl::Status TooLarge(absl::string_view path, absl::string_view what) {
  absl::Status status = absl::ResourceExhaustedError(
      absl::StrCat("bag file \"", path, "\" ", what));
  AddFieldViolation(&status, path, what);
  return status;
}

// Counts entries and bytes against the limits.
class Budget {
 public:
  explicit Budget(const ReadLimits& limits) : limits_(limits) {}

  absl::Status AddEntry(absl::string_view path) {
    if (++entries_ > limits_.max_entries) {
      return TooLarge(path, absl::StrCat("exceeds the limit of ",
                                         limits_.max_entries, " entries"));
    }
    return absl::OkStatus();
  }

  // `file_bytes`: the file's size so far (or declared); `more`: bytes about
  // to be added to the total.
  absl::Status Check(absl::string_view path, uint64_t file_bytes,
                     uint64_t more) {
    if (file_bytes > limits_.max_file_bytes) {
      return TooLarge(path, absl::StrCat("is larger than the limit of ",
                                         limits_.max_file_bytes, " bytes"));
    }
    if (total_ + more > limits_.max_total_bytes) {
      return TooLarge(path, absl::StrCat("takes the bag over the limit of ",
                                         limits_.max_total_bytes, " bytes"));
    }
    total_ += more;
    return absl::OkStatus();
  }

 private:
  const ReadLimits limits_;
  size_t entries_ = 0;
  uint64_t total_ = 0;
};

EntryType TypeOf(struct archive_entry* entry) {
  if (archive_entry_hardlink(entry) != nullptr) return EntryType::kHardlink;
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
      return EntryType::kFile;
    case AE_IFDIR:
      return EntryType::kDirectory;
    case AE_IFLNK:
      return EntryType::kSymlink;
    default:
      return EntryType::kOther;
  }
}

absl::Status ArchiveError(struct archive* a, absl::string_view context) {
  const char* message = archive_error_string(a);
  return absl::InvalidArgumentError(
      absl::StrCat("cannot read the bag archive", context, ": ",
                   message != nullptr ? message : "unknown error"));
}

// Reads all entries of an opened archive.
absl::StatusOr<std::vector<ArchiveEntry>> ReadEntries(
    struct archive* a, const ReadLimits& limits) {
  Budget budget(limits);
  std::vector<ArchiveEntry> entries;
  struct archive_entry* header = nullptr;
  for (;;) {
    const int r = archive_read_next_header(a, &header);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return ArchiveError(a, "");
    ArchiveEntry entry;
    const char* path = archive_entry_pathname_utf8(header);
    if (path == nullptr) path = archive_entry_pathname(header);
    if (path == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bag archive entry ", entries.size() + 1, " has no readable path"));
    }
    entry.path = path;
    entry.type = TypeOf(header);
    if (absl::Status s = budget.AddEntry(entry.path); !s.ok()) return s;
    if (entry.type == EntryType::kFile) {
      if (archive_entry_size_is_set(header) && archive_entry_size(header) > 0) {
        const auto declared = static_cast<uint64_t>(archive_entry_size(header));
        // Checked against the per-file limit only: the total is counted as
        // the bytes arrive.
        if (absl::Status s = budget.Check(entry.path, declared, 0); !s.ok()) {
          return s;
        }
        // A zip may declare a size its data does not have: reserve little.
        entry.data.reserve(std::min<uint64_t>(declared, 1 << 20));
      }
      char buffer[65536];
      for (;;) {
        const la_ssize_t n = archive_read_data(a, buffer, sizeof(buffer));
        if (n == 0) break;
        if (n < 0) {
          return ArchiveError(a, absl::StrCat(" (\"", entry.path, "\")"));
        }
        if (absl::Status s = budget.Check(entry.path, entry.data.size() + n, n);
            !s.ok()) {
          return s;
        }
        entry.data.append(buffer, static_cast<size_t>(n));
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

ArchivePtr NewReader() {
  ArchivePtr a(archive_read_new());
  if (a == nullptr) return a;
  // Formats and in-process filters only (no external programs).
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  return a;
}

}  // namespace

absl::StatusOr<std::vector<ArchiveEntry>> ReadArchive(
    absl::string_view bytes, const ReadLimits& limits) {
  ArchivePtr a = NewReader();
  if (a == nullptr) return absl::ResourceExhaustedError("out of memory");
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) !=
      ARCHIVE_OK) {
    return ArchiveError(a.get(), " (not a tar or zip archive)");
  }
  return ReadEntries(a.get(), limits);
}

absl::StatusOr<std::vector<ArchiveEntry>> ReadDirectory(
    const std::string& root, const ReadLimits& limits) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(root, ec))) {
    return absl::NotFoundError(absl::StrCat(root, " is not a directory"));
  }
  Budget budget(limits);
  std::vector<ArchiveEntry> entries;
  // Does not follow directory symlinks: they are reported, not walked.
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end;
       it.increment(ec)) {
    ArchiveEntry entry;
    // Lexical: fs::relative would resolve symbolic links.
    entry.path = it->path().lexically_relative(root).generic_string();
    const fs::file_status status = it->symlink_status(ec);
    if (ec) break;
    if (absl::Status s = budget.AddEntry(entry.path); !s.ok()) return s;
    if (fs::is_symlink(status)) {
      entry.type = EntryType::kSymlink;
    } else if (fs::is_directory(status)) {
      entry.type = EntryType::kDirectory;
    } else if (fs::is_regular_file(status)) {
      entry.type = EntryType::kFile;
      const uint64_t size = it->file_size(ec);
      if (ec) break;
      if (absl::Status s = budget.Check(entry.path, size, size); !s.ok()) {
        return s;
      }
      std::ifstream in(it->path(), std::ios::binary);
      entry.data.resize(size);
      if (!in.read(entry.data.data(), static_cast<std::streamsize>(size))) {
        return absl::DataLossError(
            absl::StrCat("cannot read ", it->path().string()));
      }
    } else {
      entry.type = EntryType::kOther;
    }
    entries.push_back(std::move(entry));
  }
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot read directory ", root, ": ", ec.message()));
  }
  std::sort(entries.begin(), entries.end(),
            [](const ArchiveEntry& a, const ArchiveEntry& b) {
              return a.path < b.path;
            });
  return entries;
}

}  // namespace cables::bagit
