#include "tools/cablectl/bag_stream.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cables::cablectl {
namespace fs = std::filesystem;
namespace {

constexpr size_t kBlock = 512;
constexpr uint64_t kMaxUstarSize = 077777777777;  // 11 octal digits
constexpr const char* kArchiveSuffixes[] = {".tar.gz", ".tgz", ".tar", ".zip"};

// One pax extended-header record: "LEN key=value\n", LEN counting itself.
std::string PaxRecord(const std::string& key, const std::string& value) {
  const size_t body = key.size() + value.size() + 3;  // ' ', '=', '\n'
  size_t length = body + 1;
  while (absl::StrCat(length).size() + body != length) {
    length = absl::StrCat(length).size() + body;
  }
  return absl::StrCat(length, " ", key, "=", value, "\n");
}

std::string Padding(uint64_t size) {
  return std::string((kBlock - size % kBlock) % kBlock, '\0');
}

// A ustar header block; names over 100 bytes are cut (a pax record
// before it carries them whole).
std::string UstarHeader(const std::string& name, char type, uint64_t size,
                        const std::string& link) {
  std::string h(kBlock, '\0');
  const auto put = [&h](size_t offset, size_t width, const std::string& v) {
    h.replace(offset, std::min(v.size(), width), v.substr(0, width));
  };
  put(0, 100, name);
  put(100, 8, type == '5' ? "0000755" : type == '2' ? "0000777" : "0000644");
  put(108, 8, "0000000");
  put(116, 8, "0000000");
  put(124, 12, absl::StrFormat("%011o", size));
  put(136, 12, absl::StrFormat("%011o", 0));
  put(148, 8, "        ");
  h[156] = type;
  put(157, 100, link);
  put(257, 8,
      std::string("ustar\0"
                  "00",
                  8));
  unsigned sum = 0;
  for (const unsigned char c : h) sum += c;
  put(148, 8, absl::StrFormat("%06o", sum));
  h[154] = '\0';
  h[155] = ' ';
  return h;
}

}  // namespace

bool IsBagPath(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return fs::is_regular_file(fs::path(path) / "bagit.txt", ec);
  }
  for (const char* suffix : kArchiveSuffixes) {
    if (absl::EndsWithIgnoreCase(path, suffix)) return true;
  }
  return false;
}

BagStream::BagStream(std::string root, std::string name,
                     std::vector<Entry> entries, bool archive,
                     size_t chunk_bytes)
    : root_(std::move(root)),
      name_(std::move(name)),
      entries_(std::move(entries)),
      archive_(archive),
      chunk_bytes_(std::max<size_t>(chunk_bytes, kBlock)) {
  for (const Entry& e : entries_) total_bytes_ += e.size;
}

absl::StatusOr<std::unique_ptr<BagStream>> BagStream::Open(
    const std::string& path, size_t chunk_bytes) {
  std::error_code ec;
  const fs::path p = fs::path(path).lexically_normal();
  std::string name =
      (p.has_filename() ? p.filename() : p.parent_path().filename()).string();
  if (fs::is_regular_file(p, ec)) {
    for (const char* suffix : kArchiveSuffixes) {
      if (absl::EndsWithIgnoreCase(name, suffix)) {
        name.resize(name.size() - std::string(suffix).size());
        break;
      }
    }
    const uint64_t size = fs::file_size(p, ec);
    auto stream = std::make_unique<BagStream>(
        p.string(), name, std::vector<Entry>{}, /*archive=*/true, chunk_bytes);
    stream->file_.open(p, std::ios::binary);
    if (ec || !stream->file_) {
      return absl::NotFoundError(absl::StrCat(path, ": cannot read"));
    }
    stream->file_left_ = size;
    stream->total_bytes_ = size;
    return stream;
  }
  if (!fs::is_directory(p, ec)) {
    return absl::NotFoundError(
        absl::StrCat(path, ": no such file or directory"));
  }
  if (!fs::is_regular_file(p / "bagit.txt", ec)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a BagIt bag (no bagit.txt)"));
  }
  std::vector<Entry> entries;
  for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end;
       it.increment(ec)) {
    Entry e;
    // Lexical: fs::relative would resolve symbolic links.
    e.path = it->path().lexically_relative(p).generic_string();
    const fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_symlink(st)) {
      e.type = '2';
      e.link = fs::read_symlink(it->path(), ec).string();
    } else if (fs::is_directory(st)) {
      e.type = '5';
    } else if (fs::is_regular_file(st)) {
      e.size = it->file_size(ec);
      if (e.size > kMaxUstarSize) {
        return absl::InvalidArgumentError(
            absl::StrCat(it->path().string(), ": too large to send"));
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          it->path().string(), ": not a regular file, directory or link"));
    }
    entries.push_back(std::move(e));
  }
  if (ec) {
    return absl::NotFoundError(absl::StrCat(path, ": ", ec.message()));
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.path < b.path; });
  return std::make_unique<BagStream>(p.string(), name, std::move(entries),
                                     /*archive=*/false, chunk_bytes);
}

absl::Status BagStream::StartEntry() {
  const Entry& e = entries_[next_entry_++];
  const std::string name = e.type == '5' ? e.path + "/" : e.path;
  if (name.size() > 100 || e.link.size() > 100) {
    std::string records = PaxRecord("path", name);
    if (!e.link.empty()) records += PaxRecord("linkpath", e.link);
    absl::StrAppend(&pending_,
                    UstarHeader("PaxHeader", 'x', records.size(), ""), records,
                    Padding(records.size()));
  }
  pending_ += UstarHeader(name, e.type, e.size, e.link);
  if (e.type != '0') return absl::OkStatus();
  file_.close();
  file_.clear();
  file_.open(fs::path(root_) / e.path, std::ios::binary);
  if (!file_) {
    return absl::NotFoundError(
        absl::StrCat(root_, "/", e.path, ": cannot read"));
  }
  file_left_ = e.size;
  padding_ = Padding(e.size).size();
  return absl::OkStatus();
}

absl::StatusOr<bool> BagStream::Next(std::string* chunk) {
  while (pending_.size() < chunk_bytes_ && !finished_) {
    if (file_left_ > 0) {
      const size_t n = static_cast<size_t>(
          std::min<uint64_t>(file_left_, chunk_bytes_ - pending_.size()));
      const size_t at = pending_.size();
      pending_.resize(at + n);
      if (!file_.read(pending_.data() + at, static_cast<std::streamsize>(n))) {
        return absl::DataLossError(
            absl::StrCat(root_, ": a file changed while it was being sent"));
      }
      file_left_ -= n;
    } else if (padding_ > 0) {
      pending_.append(padding_, '\0');
      padding_ = 0;
    } else if (next_entry_ < entries_.size()) {
      if (absl::Status s = StartEntry(); !s.ok()) return s;
    } else {
      if (!archive_) pending_.append(2 * kBlock, '\0');
      finished_ = true;
    }
  }
  if (pending_.empty()) return false;
  const size_t n = std::min(chunk_bytes_, pending_.size());
  chunk->assign(pending_, 0, n);
  pending_.erase(0, n);
  return true;
}

}  // namespace cables::cablectl
