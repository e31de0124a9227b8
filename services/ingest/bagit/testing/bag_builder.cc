#include "services/ingest/bagit/testing/bag_builder.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/ingest/bagit/bag_verifier.h"

namespace cables::bagit::testing {
namespace {

std::string Manifest(Algorithm algorithm,
                     const std::map<std::string, std::string>& files) {
  std::string out;
  for (const auto& [path, contents] : files) {
    absl::StrAppend(&out, HexDigest(algorithm, contents), "  ", path, "\n");
  }
  return out;
}

la_ssize_t AppendToString(struct archive*, void* client, const void* buffer,
                          size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer),
                                            length);
  return static_cast<la_ssize_t>(length);
}

struct WriterDeleter {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};

void WriteEntry(struct archive* a, const std::string& path,
                const std::string& contents, const std::string* symlink) {
  std::unique_ptr<struct archive_entry, EntryDeleter> entry(
      archive_entry_new());
  archive_entry_set_pathname(entry.get(), path.c_str());
  archive_entry_set_mtime(entry.get(), 1700000000, 0);
  if (symlink != nullptr) {
    archive_entry_set_filetype(entry.get(), AE_IFLNK);
    archive_entry_set_perm(entry.get(), 0777);
    archive_entry_set_symlink(entry.get(), symlink->c_str());
    archive_entry_set_size(entry.get(), 0);
    archive_write_header(a, entry.get());
    return;
  }
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(contents.size()));
  archive_write_header(a, entry.get());
  archive_write_data(a, contents.data(), contents.size());
}

}  // namespace

BagBuilder& BagBuilder::AddPayload(std::string path, std::string contents) {
  payload_.emplace_back(std::move(path), std::move(contents));
  return *this;
}

BagBuilder& BagBuilder::SetAlgorithms(std::vector<Algorithm> algorithms) {
  algorithms_ = std::move(algorithms);
  return *this;
}

BagBuilder& BagBuilder::SetPayloadOxum(std::string value) {
  payload_oxum_ = std::move(value);
  return *this;
}

BagBuilder& BagBuilder::SetFile(std::string path, std::string contents) {
  overrides_[std::move(path)] = std::move(contents);
  return *this;
}

BagBuilder& BagBuilder::RemoveFile(std::string path) {
  removed_.push_back(std::move(path));
  return *this;
}

BagBuilder& BagBuilder::AddSymlink(std::string path, std::string target) {
  symlinks_.emplace_back(std::move(path), std::move(target));
  return *this;
}

BagBuilder& BagBuilder::AddRawEntry(std::string path, std::string contents) {
  raw_entries_.emplace_back(std::move(path), std::move(contents));
  return *this;
}

std::map<std::string, std::string> BagBuilder::Files() const {
  std::map<std::string, std::string> payload(payload_.begin(), payload_.end());
  uint64_t bytes = 0;
  for (const auto& [path, contents] : payload) bytes += contents.size();
  std::map<std::string, std::string> files = payload;
  files["bagit.txt"] =
      "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
  for (const Algorithm a : algorithms_) {
    files[absl::StrCat("manifest-", AlgorithmName(a), ".txt")] =
        Manifest(a, payload);
  }
  files["bag-info.txt"] = absl::StrCat(
      "Source-Organization: Cable Archive tests\n"
      "External-Description: Real cables of the 2010-2011 release,\n"
      "  packed by the test suite.\n"
      "Bagging-Date: 2024-01-01\n"
      "Payload-Oxum: ",
      payload_oxum_.value_or(absl::StrCat(bytes, ".", payload.size())), "\n");
  std::map<std::string, std::string> tag_files;
  for (const auto& [path, contents] : files) {
    if (path.rfind("data/", 0) != 0) tag_files[path] = contents;
  }
  files["tagmanifest-sha256.txt"] = Manifest(Algorithm::kSha256, tag_files);
  for (const auto& [path, contents] : overrides_) files[path] = contents;
  for (const std::string& path : removed_) files.erase(path);
  return files;
}

std::vector<ArchiveEntry> BagBuilder::Entries(const std::string& top) const {
  const std::string prefix = top.empty() ? "" : top + "/";
  std::vector<ArchiveEntry> entries;
  for (auto& [path, contents] : Files()) {
    entries.push_back({prefix + path, EntryType::kFile, contents});
  }
  for (const auto& [path, target] : symlinks_) {
    entries.push_back({prefix + path, EntryType::kSymlink, ""});
  }
  for (const auto& [path, contents] : raw_entries_) {
    entries.push_back({path, EntryType::kFile, contents});
  }
  return entries;
}

std::string BagBuilder::Archive(const std::string& top, bool zip,
                                bool gzip) const {
  std::string out;
  std::unique_ptr<struct archive, WriterDeleter> a(archive_write_new());
  if (zip) {
    archive_write_set_format_zip(a.get());
  } else {
    archive_write_set_format_pax_restricted(a.get());
    if (gzip) archive_write_add_filter_gzip(a.get());
  }
  archive_write_set_bytes_in_last_block(a.get(), 1);
  archive_write_open(a.get(), &out, nullptr, AppendToString, nullptr);
  const std::string prefix = top.empty() ? "" : top + "/";
  for (const auto& [path, contents] : Files()) {
    WriteEntry(a.get(), prefix + path, contents, nullptr);
  }
  for (const auto& [path, target] : symlinks_) {
    WriteEntry(a.get(), prefix + path, "", &target);
  }
  for (const auto& [path, contents] : raw_entries_) {
    WriteEntry(a.get(), path, contents, nullptr);
  }
  archive_write_close(a.get());
  return out;
}

std::string BagBuilder::Tar(const std::string& top, bool gzip) const {
  return Archive(top, /*zip=*/false, gzip);
}

std::string BagBuilder::Zip(const std::string& top) const {
  return Archive(top, /*zip=*/true, /*gzip=*/false);
}

absl::Status BagBuilder::WriteDirectory(const std::string& dir) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& [path, contents] : Files()) {
    const fs::path target = fs::path(dir) / path;
    fs::create_directories(target.parent_path(), ec);
    std::ofstream out(target, std::ios::binary);
    out << contents;
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  for (const auto& [path, target] : symlinks_) {
    fs::create_symlink(target, fs::path(dir) / path, ec);
    if (ec) return absl::InternalError(ec.message());
  }
  return absl::OkStatus();
}

std::string TarHeaderOnly(const std::string& name, uint64_t size) {
  std::string header(512, '\0');
  const auto put = [&header](size_t offset, const std::string& value) {
    header.replace(offset, value.size(), value);
  };
  put(0, name.substr(0, 99));
  put(100, "0000644");
  put(108, "0000000");
  put(116, "0000000");
  put(124, absl::StrFormat("%011o", size));
  put(136, "14540000000");
  put(148, "        ");
  header[156] = '0';
  put(257, std::string("ustar\0"
                       "00",
                       8));
  unsigned sum = 0;
  for (const unsigned char c : header) sum += c;
  put(148, absl::StrFormat("%06o", sum));
  header[154] = '\0';
  header[155] = ' ';
  // Two zero blocks end the archive (the data never follows).
  return header + std::string(1024, '\0');
}

}  // namespace cables::bagit::testing
