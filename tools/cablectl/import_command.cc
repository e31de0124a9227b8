// cablectl import PATH...: streams files, directories, cables.csv dumps or
// standard input to the ingest service's ImportCables.
//
// Durability: the service acknowledges a position only after the batch that
// holds it has been committed. Documents sent but not yet acknowledged are
// kept; when the stream breaks (service restarted, database briefly down),
// cablectl reconnects with backoff and resends them: stored items come back
// UNCHANGED, so nothing is lost and nothing is stored twice. With --state
// FILE the acknowledged position is also written to FILE, and running the
// same command again skips what was acknowledged (resume after cablectl
// itself was interrupted).
//
// BagIt bags (a directory holding bagit.txt, or a .zip/.tar/.tar.gz/.tgz
// file) go to ImportBag instead, one stream per bag (bag_stream.h): the
// service verifies the whole bag and stores it in one transaction or
// refuses it, naming the failing files.
#include <algorithm>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "tools/cablectl/bag_stream.h"
#include "tools/cablectl/command.h"
#include "tools/cablectl/import_sources.h"
#include "tools/cablectl/progress_bar.h"
#include "tools/cablectl/rpc_output.h"
#include "tools/cablectl/service_addresses.h"

ABSL_FLAG(std::string, state, "",
          "import: file recording the acknowledged position; rerunning the "
          "same import with it resumes where it stopped");
ABSL_FLAG(int, batch_size, 0,
          "import: cables per committed batch (0: server default)");
ABSL_FLAG(bool, bulk, false,
          "import: bulk mode -- store without the PostgreSQL full-text "
          "vectors, which the search service fills afterwards (several "
          "times faster; the search index finds the cables as usual)");
ABSL_FLAG(int, chunk_kb, 1024, "import: size of the cables.csv chunks sent");
ABSL_FLAG(int, retries, 20,
          "import: reconnect attempts after a broken stream (consecutive: "
          "acknowledged progress resets the count)");
ABSL_FLAG(int, show_rejections, 10, "import: rejections listed at the end");

namespace cables::cablectl {
namespace {

using cables::v1::ImportCablesRequest;
using cables::v1::ImportCablesResponse;

struct Tally {
  int64_t created = 0, new_version = 0, unchanged = 0, rejected = 0;
  int64_t total() const { return created + new_version + unchanged + rejected; }
};

std::string Fingerprint(const std::vector<ImportFile>& files) {
  std::vector<std::string> parts;
  for (const auto& f : files)
    parts.push_back(absl::StrCat(f.path, ":", f.size));
  return std::to_string(std::hash<std::string>()(absl::StrJoin(parts, "|")));
}

int64_t LoadState(const std::string& path, const std::string& fingerprint) {
  std::ifstream in(path);
  std::string fp;
  int64_t position = 0;
  if (in >> fp >> position && fp == fingerprint) return position;
  return 0;
}

void SaveState(const std::string& path, const std::string& fingerprint,
               int64_t position) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << fingerprint << " " << position << "\n";
  }
  std::rename(tmp.c_str(), path.c_str());
}

// RESOURCE_EXHAUSTED is retried only when the server said it was saturated
// (its status carries RetryInfo); a message over the server's limit is not.
bool Retryable(const grpc::Status& status) {
  const grpc::StatusCode code = status.error_code();
  if (code == grpc::StatusCode::RESOURCE_EXHAUSTED) {
    return !status.error_details().empty();
  }
  return code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::ABORTED ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code ==
             grpc::StatusCode::INTERNAL;  // e.g. a connection reset mid-frame
}

// For gRPC's "Received message larger than max (N vs. M)": N (the size of
// the refused message) and M (the server's limit).
bool TooLargeSizes(const grpc::Status& status, int64_t* size, int64_t* limit) {
  if (status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) return false;
  const std::string& m = status.error_message();
  const size_t open = m.find("larger than max (");
  if (open == std::string::npos) return false;
  const std::vector<absl::string_view> parts =
      absl::StrSplit(absl::string_view(m).substr(open + 17),
                     absl::ByAnyChar(" )"), absl::SkipEmpty());
  return parts.size() >= 3 && parts[1] == "vs." &&
         absl::SimpleAtoi(parts[0], size) && absl::SimpleAtoi(parts[2], limit);
}

class Importer {
 public:
  Importer(std::vector<ImportFile> files, int64_t resume_after)
      : stream_(files, static_cast<size_t>(absl::GetFlag(FLAGS_chunk_kb))
                           << 10),
        resume_after_(resume_after),
        acked_(resume_after) {
    for (const auto& f : files) total_bytes_ += f.size;
    fingerprint_ = Fingerprint(files);
  }

  int Run() {
    auto stub =
        cables::v1::IngestService::NewStub(MakeChannel(IngestAddress()));
    ProgressBar progress(total_bytes_);
    int attempts_left = absl::GetFlag(FLAGS_retries);
    absl::Duration backoff = absl::Milliseconds(200);
    for (;;) {
      const int64_t acked_before = Acked();
      const grpc::Status status = RunStream(stub.get(), &progress);
      // A stream that made progress before it broke starts a new streak:
      // --retries bounds consecutive failures, not failures per import.
      if (Acked() > acked_before) {
        attempts_left = absl::GetFlag(FLAGS_retries);
        backoff = absl::Milliseconds(200);
      }
      if (status.ok() && input_done_) break;
      // A document over the server's message limit is rejected by name and
      // the import goes on without it.
      if (RejectTooLarge(status)) continue;
      if (!status.ok() && (!Retryable(status) || attempts_left-- <= 0)) {
        progress.Done();
        std::fprintf(stderr, "cablectl import: %s (%s)\n",
                     status.error_message().c_str(), IngestAddress().c_str());
        PrintSummary();
        return kExitFailure;
      }
      if (!status.ok()) {
        if (!progress.on_terminal()) {
          std::fprintf(stderr,
                       "cablectl import: stream broke (%s); resending from "
                       "position %lld\n",
                       status.error_message().c_str(),
                       static_cast<long long>(acked_));
        }
        absl::SleepFor(backoff);
        backoff = std::min(backoff * 2, absl::Seconds(5));
      }
    }
    progress.Done();
    PrintSummary();
    return tally_.rejected > 0 ? kExitFailure : kExitOk;
  }

 private:
  int64_t Acked() {
    absl::MutexLock lock(&mu_);
    return acked_;
  }

  // True when `status` refused an unacknowledged document for its size:
  // that document is rejected and dropped from the resend queue.
  bool RejectTooLarge(const grpc::Status& status) {
    int64_t size = 0;
    int64_t limit = 0;
    if (!TooLargeSizes(status, &size, &limit)) return false;
    absl::MutexLock lock(&mu_);
    for (auto it = unacked_.begin(); it != unacked_.end(); ++it) {
      if (static_cast<int64_t>(it->ByteSizeLong()) != size) continue;
      RejectLocked(
          it->document().source(), 0,
          absl::StrCat("too large for the ingest service (", size,
                       " bytes in one message; its limit is ", limit, ")"));
      bytes_acked_ += it->document().content().size();
      unacked_.erase(it);
      return true;
    }
    return false;
  }

  // One ImportCables stream: resends the unacknowledged documents, then
  // continues with new ones. OK when all input was sent and acknowledged.
  grpc::Status RunStream(cables::v1::IngestService::Stub* stub,
                         ProgressBar* progress) {
    grpc::ClientContext context;
    auto rpc = stub->ImportCables(&context);
    std::thread reader([&] {
      ImportCablesResponse response;
      while (rpc->Read(&response)) Acknowledge(response, progress);
    });
    bool ok = true;
    const int batch = absl::GetFlag(FLAGS_batch_size);
    const bool bulk = absl::GetFlag(FLAGS_bulk);
    if (batch > 0 || bulk) {
      ImportCablesRequest options;
      options.mutable_options()->set_batch_size(std::max(batch, 0));
      options.mutable_options()->set_defer_search_vectors(bulk);
      ok = rpc->Write(options);
    }
    // Resend what the previous stream did not get acknowledged.
    std::vector<ImportCablesRequest> resend;
    {
      absl::MutexLock lock(&mu_);
      for (const auto& r : unacked_) resend.push_back(r);
    }
    for (const auto& r : resend) {
      if (!ok) break;
      ok = rpc->Write(r);
    }
    while (ok) {
      absl::StatusOr<ImportCablesRequest::Document> document;
      if (!stream_.Next(&document)) {
        input_done_ = true;
        break;
      }
      if (!document.ok()) {
        Reject("", 0, std::string(document.status().message()));
        continue;
      }
      if (document->position() <= resume_after_) continue;
      ImportCablesRequest request;
      *request.mutable_document() = *std::move(document);
      {
        absl::MutexLock lock(&mu_);
        unacked_.push_back(request);
      }
      ok = rpc->Write(request);
    }
    if (ok) rpc->WritesDone();
    reader.join();
    grpc::Status status = rpc->Finish();
    absl::MutexLock lock(&mu_);
    if (status.ok() && !unacked_.empty()) {
      return grpc::Status(
          grpc::StatusCode::UNAVAILABLE,
          "stream ended before every document was acknowledged");
    }
    return status;
  }

  void Acknowledge(const ImportCablesResponse& response,
                   ProgressBar* progress) {
    absl::MutexLock lock(&mu_);
    for (const auto& r : response.results()) {
      switch (r.outcome()) {
        case cables::v1::CREATED:
          ++tally_.created;
          break;
        case cables::v1::NEW_VERSION:
          ++tally_.new_version;
          break;
        case cables::v1::UNCHANGED:
          ++tally_.unchanged;
          break;
        default:
          RejectLocked(
              r.source(),
              r.row() == 0 ? 0 : (r.position() & 0xFFFFFFFF) + r.row() - 1,
              r.reason());
      }
    }
    acked_ = std::max(acked_, response.acknowledged_position());
    while (!unacked_.empty() &&
           unacked_.front().document().position() <= acked_) {
      bytes_acked_ += unacked_.front().document().content().size();
      unacked_.pop_front();
    }
    if (!absl::GetFlag(FLAGS_state).empty()) {
      SaveState(absl::GetFlag(FLAGS_state), fingerprint_, acked_);
    }
    progress->Update(tally_.total(), bytes_acked_);
  }

  void Reject(const std::string& source, int64_t row,
              const std::string& reason) {
    absl::MutexLock lock(&mu_);
    RejectLocked(source, row, reason);
  }

  void RejectLocked(const std::string& source, int64_t row,
                    const std::string& reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ++tally_.rejected;
    if (static_cast<int>(rejections_.size()) <
        absl::GetFlag(FLAGS_show_rejections)) {
      rejections_.push_back(
          row > 0 ? absl::StrCat(source, " row ", row, ": ", reason)
                  : absl::StrCat(source, ": ", reason));
    }
  }

  void PrintSummary() {
    absl::MutexLock lock(&mu_);
    std::printf(
        "created %lld, new version %lld, unchanged %lld, rejected %lld\n",
        static_cast<long long>(tally_.created),
        static_cast<long long>(tally_.new_version),
        static_cast<long long>(tally_.unchanged),
        static_cast<long long>(tally_.rejected));
    for (const auto& line : rejections_)
      std::printf("rejected: %s\n", line.c_str());
    if (tally_.rejected > static_cast<int64_t>(rejections_.size())) {
      std::printf("... and %lld more rejections\n",
                  static_cast<long long>(tally_.rejected - rejections_.size()));
    }
  }

  DocumentStream stream_;
  const int64_t resume_after_;
  uint64_t total_bytes_ = 0;
  std::string fingerprint_;
  bool input_done_ = false;
  absl::Mutex mu_;
  std::deque<ImportCablesRequest> unacked_ ABSL_GUARDED_BY(mu_);
  int64_t acked_ ABSL_GUARDED_BY(mu_);
  uint64_t bytes_acked_ ABSL_GUARDED_BY(mu_) = 0;
  Tally tally_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> rejections_ ABSL_GUARDED_BY(mu_);
};

// Sends one bag to ImportBag; prints what the service stored, or why it
// refused the bag (every failing file, from the BadRequest detail).
int ImportOneBag(const std::string& path) {
  auto bag = BagStream::Open(
      path, static_cast<size_t>(absl::GetFlag(FLAGS_chunk_kb)) << 10);
  if (!bag.ok()) {
    std::fprintf(stderr, "cablectl import: %s\n",
                 std::string(bag.status().message()).c_str());
    return kExitFailure;
  }
  auto stub = cables::v1::IngestService::NewStub(MakeChannel(IngestAddress()));
  grpc::ClientContext context;  // no deadline: a bag may be large
  cables::v1::ImportBagResponse response;
  auto writer = stub->ImportBag(&context, &response);
  cables::v1::ImportBagRequest request;
  request.mutable_header()->set_bag_name((*bag)->name());
  bool ok = writer->Write(request);
  ProgressBar progress((*bag)->total_bytes());
  uint64_t sent = 0;
  std::string chunk;
  while (ok) {
    const absl::StatusOr<bool> more = (*bag)->Next(&chunk);
    if (!more.ok()) {
      context.TryCancel();
      progress.Done();
      std::fprintf(stderr, "cablectl import: %s\n",
                   std::string(more.status().message()).c_str());
      return kExitFailure;
    }
    if (!*more) break;
    sent += chunk.size();
    request.set_chunk(std::move(chunk));
    ok = writer->Write(request);
    progress.Update(0, sent);
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  progress.Done();
  if (!status.ok()) return ReportRpcError("import", status);
  if (JsonOutput()) return PrintJson(response) ? kExitOk : kExitFailure;
  Tally tally;
  for (const auto& r : response.results()) {
    if (r.outcome() == cables::v1::CREATED) ++tally.created;
    if (r.outcome() == cables::v1::NEW_VERSION) ++tally.new_version;
    if (r.outcome() == cables::v1::UNCHANGED) ++tally.unchanged;
  }
  std::printf(
      "bag %s: complete and valid (%s), %lld payload files, %lld bytes\n"
      "created %lld, new version %lld, unchanged %lld, rejected 0\n",
      response.bag_name().c_str(), response.checksum_algorithm().c_str(),
      static_cast<long long>(response.payload_files()),
      static_cast<long long>(response.payload_bytes()),
      static_cast<long long>(tally.created),
      static_cast<long long>(tally.new_version),
      static_cast<long long>(tally.unchanged));
  return kExitOk;
}

}  // namespace

int RunImport(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(
        stderr,
        "usage: cablectl import [--ingest ADDR] [--state FILE] [--bulk] "
        "PATH...|-\n");
    return kExitUsage;
  }
  const size_t bags =
      static_cast<size_t>(std::count_if(args.begin(), args.end(), IsBagPath));
  if (bags > 0) {
    if (bags != args.size()) {
      std::fprintf(stderr,
                   "cablectl import: import bags on their own (not mixed with "
                   "cable files)\n");
      return kExitUsage;
    }
    int status = kExitOk;
    for (const std::string& bag : args) {
      if (ImportOneBag(bag) != kExitOk) status = kExitFailure;
    }
    return status;
  }
  auto files = ExpandImportPaths(args);
  if (!files.ok()) {
    std::fprintf(stderr, "cablectl import: %s\n",
                 std::string(files.status().message()).c_str());
    return kExitFailure;
  }
  int64_t resume_after = 0;
  const std::string state = absl::GetFlag(FLAGS_state);
  if (!state.empty()) {
    resume_after = LoadState(state, Fingerprint(*files));
    if (resume_after > 0) {
      std::fprintf(stderr, "cablectl import: resuming after position %lld\n",
                   static_cast<long long>(resume_after));
    }
  }
  Importer importer(*std::move(files), resume_after);
  return importer.Run();
}

}  // namespace cables::cablectl
