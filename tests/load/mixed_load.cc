// mixed_load: the mixed-workload load generator of issue #8.
//
// N client threads (--clients), each with its own channel to each service,
// call in a closed loop (the next call starts when the previous returns):
//   SearchCables  --search_pct  (default 80%)
//   GetCable      --get_pct     (default 15%)
//   IngestCable   --ingest_pct  (default 5%)
// chosen by a per-client RNG seeded from --seed, every call with a deadline
// (--deadline). The mix is kept fresh:
//   - searches: a query of --queries (one per line, '#' comments, as the
//     search benchmark reads it), sometimes restricted to a year
//     ("(q) created>=YYYY"), ordered by relevance or by date, with or
//     without facets, page 1 or -- when the client has seen page 1 of that
//     same request -- page 2 (its next_page_token);
//   - gets: a uniformly chosen id of --ids (one canonical id per line) or,
//     without it, of --id_sample ids sampled at start with ListCables over
//     every month and year of the archive;
//   - ingests: the next row of --ingest_csv (a cables.csv file, e.g. from
//     synth-corpus; up to --ingest_rows rows, cycled), sent as the raw bytes
//     of one row with format CSV and a unique request_id, starting at row
//     --ingest_start (the run prints where the next run should start:
//     "ingest_next=N").
// Channels do not retry (errors are seen, not hidden) and accept messages up
// to 256 MiB.
//
// Timeline: --warmup (not measured), then the measured run of --duration.
// With --slow_clients K > 0 the run has two halves: "base" (the mixed load
// alone) for duration/2, then the slow clients are set up -- K idle
// connections (K separate channels spread over the three services, each
// makes one grpc.health.v1 Check and then idles) plus, with --slow_streams,
// an ExportCables stream over the whole corpus and a WatchCables stream
// from position 0 that are started and never read -- and "slow" (the same
// mixed load beside them) runs for another duration/2. The p99 of each
// method in both halves and their ratio (goal <= 2) are printed.
//
// With --pids search=PID,metadata=PID,ingest=PID, VmRSS of each service is
// read from /proc/PID/status every --memory_interval: a timeline and, per
// service, start/max/end and the maxima of each half (goal: flat, < 300 MB).
//
// Output: plain text on stdout, one figure per line ("key=value" fields),
// starting with a header (date, machine, corpus size, clients, duration).
// Lines a driver greps for: "throughput_qps=X", "errors_total=N".
// Exit status: 0 when no call failed, 1 when some did, 2 on a setup error
// (unreadable files, unreachable services).
//
//   mixed_load --search A --metadata B --ingest C --clients 16
//       --duration 10m --ingest_csv rows.csv [--ids ids.txt]
//       [--slow_clients 300] [--pids search=1,metadata=2,ingest=3]
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "cables/v1/search_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "services/common/grpc_status.h"
#include "services/ingest/parser/csv_reader.h"

ABSL_FLAG(std::string, search, "127.0.0.1:50053", "cables-search address");
ABSL_FLAG(std::string, metadata, "127.0.0.1:50052", "cables-metadata address");
ABSL_FLAG(std::string, ingest, "127.0.0.1:50051", "cables-ingest address");
ABSL_FLAG(int, clients, 8, "concurrent closed-loop clients");
ABSL_FLAG(absl::Duration, duration, absl::Minutes(10),
          "measured run time (with --slow_clients: two halves)");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(3),
          "unmeasured load before the run (errors still count)");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(5), "deadline of each call");
ABSL_FLAG(std::string, queries, "/work/shared/bench/queries.txt",
          "search queries, one per line ('#' comments)");
ABSL_FLAG(std::string, ids, "",
          "canonical ids to Get, one per line (empty: sample with ListCables)");
ABSL_FLAG(int, id_sample, 5000, "ids sampled with ListCables without --ids");
ABSL_FLAG(std::string, ingest_csv, "",
          "cables.csv rows to ingest (required when --ingest_pct > 0)");
ABSL_FLAG(int, ingest_rows, 20000, "rows of --ingest_csv used (cycled)");
ABSL_FLAG(int64_t, ingest_start, 0,
          "index of the first row ingested (a driver running several loads "
          "passes the previous run's ingest_next, so each run writes new "
          "rows)");
ABSL_FLAG(int, search_pct, 80, "share of SearchCables calls, percent");
ABSL_FLAG(int, get_pct, 15, "share of GetCable calls, percent");
ABSL_FLAG(int, ingest_pct, 5, "share of IngestCable calls, percent");
ABSL_FLAG(int, page_size, 20, "SearchCables page size");
ABSL_FLAG(uint64_t, seed, 1, "seed of the clients' random choices");
ABSL_FLAG(std::string, pids, "",
          "search=PID,metadata=PID,ingest=PID: services whose memory to "
          "sample");
ABSL_FLAG(absl::Duration, memory_interval, absl::Seconds(5),
          "how often VmRSS is sampled");
ABSL_FLAG(int, slow_clients, 0,
          "idle connections opened for the second half (0: no slow phase)");
ABSL_FLAG(bool, slow_streams, true,
          "with --slow_clients: also an ExportCables and a WatchCables "
          "stream that are never read");
ABSL_FLAG(std::string, label, "", "free text for the header (e.g. corpus)");

namespace {

using Clock = std::chrono::steady_clock;

enum Method { kSearch = 0, kGet, kIngest, kMethods };
const char* const kMethodNames[kMethods] = {"search", "get", "ingest"};

// The phase a call is attributed to: the phase when it started.
enum Phase { kWarmup = 0, kBase, kTransition, kSlow, kPhases, kDone = kPhases };
const char* const kPhaseNames[kPhases] = {"warmup", "base", "transition",
                                          "slow"};

enum Service {
  kSearchService = 0,
  kMetadataService,
  kIngestService,
  kServices
};
const char* const kServiceNames[kServices] = {"search", "metadata", "ingest"};

std::chrono::system_clock::time_point DeadlineIn(absl::Duration d) {
  return std::chrono::system_clock::now() +
         std::chrono::microseconds(absl::ToInt64Microseconds(d));
}

// A channel of its own (no connection shared with other channels of this
// process), without retries, with large message limits.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& address,
                                          const std::string& owner, int index) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetString("cables.mixed_load.owner", owner);
  args.SetInt("cables.mixed_load.index", index);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  args.SetInt(GRPC_ARG_CLIENT_IDLE_TIMEOUT_MS, INT_MAX);
  args.SetMaxReceiveMessageSize(256 << 20);
  args.SetMaxSendMessageSize(256 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

// ---------------------------------------------------------------- inputs

absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    const absl::string_view v = absl::StripAsciiWhitespace(line);
    if (v.empty() || v[0] == '#') continue;
    lines.emplace_back(v);
  }
  return lines;
}

// The raw bytes of the first `max_rows` good records of a cables.csv file.
absl::StatusOr<std::vector<std::string>> ReadCsvRows(const std::string& path,
                                                     int max_rows) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size == 0) {
    close(fd);
    return absl::InvalidArgumentError(absl::StrCat(path, " is empty"));
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* mapped = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (mapped == MAP_FAILED) {
    return absl::InternalError(absl::StrCat("cannot map ", path));
  }
  madvise(mapped, size, MADV_SEQUENTIAL);
  const absl::string_view data(static_cast<const char*>(mapped), size);
  std::vector<std::string> rows;
  {
    cables::parser::CsvReader reader;
    reader.SetWholeInput(data);
    cables::parser::CsvRecord record;
    while (static_cast<int>(rows.size()) < max_rows && reader.Next(&record)) {
      if (!record.status.ok()) continue;
      rows.emplace_back(data.substr(static_cast<size_t>(record.offset),
                                    static_cast<size_t>(record.size)));
    }
  }
  munmap(mapped, size);
  if (rows.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, " holds no rows"));
  }
  return rows;
}

// Up to `want` canonical ids spread over the archive: ListCables for every
// month of 2000-2010 and every year of 1966-1999 (the corpus' range).
absl::StatusOr<std::vector<std::string>> SampleIds(
    cables::v1::MetadataService::Stub* stub, int want, uint64_t seed) {
  std::vector<std::string> filters;
  for (int year = 2000; year <= 2010; ++year) {
    for (int month = 1; month <= 12; ++month) {
      filters.push_back(
          absl::StrFormat("created = \"%04d-%02d\"", year, month));
    }
  }
  for (int year = 1966; year <= 1999; ++year) {
    filters.push_back(absl::StrFormat("created = \"%04d\"", year));
  }
  const int per_filter =
      std::clamp((want + static_cast<int>(filters.size()) - 1) /
                     static_cast<int>(filters.size()) * 2,
                 10, 1000);
  std::vector<std::string> ids;
  for (const std::string& filter : filters) {
    cables::v1::ListCablesRequest request;
    request.set_page_size(per_filter);
    request.set_filter(filter);
    request.set_order_by("id");
    request.mutable_read_mask()->add_paths("canonical_id");
    cables::v1::ListCablesResponse response;
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(absl::Seconds(30)));
    const grpc::Status status = stub->ListCables(&context, request, &response);
    if (!status.ok()) {
      return absl::UnavailableError(
          absl::StrCat("ListCables(", filter,
                       "): ", cables::GrpcCodeConstantName(status.error_code()),
                       " ", status.error_message()));
    }
    for (const auto& cable : response.cables()) {
      if (!cable.canonical_id().empty()) ids.push_back(cable.canonical_id());
    }
  }
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(seed));
  if (static_cast<int>(ids.size()) > want) ids.resize(want);
  if (ids.empty()) return absl::NotFoundError("ListCables found no cable");
  return ids;
}

absl::StatusOr<int64_t> CorpusSize(cables::v1::MetadataService::Stub* stub) {
  cables::v1::ListCablesRequest request;
  request.set_page_size(1);
  request.mutable_read_mask()->add_paths("canonical_id");
  cables::v1::ListCablesResponse response;
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(absl::Seconds(60)));
  const grpc::Status status = stub->ListCables(&context, request, &response);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "ListCables: ", cables::GrpcCodeConstantName(status.error_code()), " ",
        status.error_message()));
  }
  return response.total_size();
}

// ---------------------------------------------------------------- machine

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

// The value of "key: value" / "key\t: value" lines of /proc files.
std::string ProcField(const std::string& text, absl::string_view key) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::StartsWith(line, key)) continue;
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    if (absl::StripAsciiWhitespace(line.substr(0, colon)) != key) continue;
    return std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  }
  return "";
}

int Nproc() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
  return static_cast<int>(std::thread::hardware_concurrency());
}

// VmRSS and VmHWM of a process in kB; -1 when unreadable (it has exited).
std::pair<int64_t, int64_t> ProcessMemoryKb(int pid) {
  const std::string status = ReadFile(absl::StrCat("/proc/", pid, "/status"));
  int64_t rss = -1;
  int64_t hwm = -1;
  // "VmRSS:\t  123456 kB"
  const std::string r = ProcField(status, "VmRSS");
  const std::string h = ProcField(status, "VmHWM");
  if (!r.empty() && !absl::SimpleAtoi(absl::StripSuffix(r, " kB"), &rss)) {
    rss = -1;
  }
  if (!h.empty() && !absl::SimpleAtoi(absl::StripSuffix(h, " kB"), &hwm)) {
    hwm = -1;
  }
  return {rss, hwm};
}

// ---------------------------------------------------------------- stats

struct Bucket {
  std::vector<float> latencies_ms;  // successful calls
  std::map<grpc::StatusCode, int64_t> errors;
};

struct ClientStats {
  Bucket buckets[kPhases][kMethods];
  std::map<cables::v1::IngestOutcome, int64_t> ingest_outcomes;
  int64_t page2_searches = 0;
  int64_t facet_searches = 0;
};

struct Summary {
  int64_t calls = 0;  // successful
  int64_t errors = 0;
  double p50 = 0, p99 = 0, p999 = 0, max = 0, mean = 0;
};

double Percentile(const std::vector<float>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i =
      std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()));
  return sorted[i];
}

Summary Summarize(std::vector<float> latencies, int64_t errors) {
  Summary s;
  std::sort(latencies.begin(), latencies.end());
  s.calls = static_cast<int64_t>(latencies.size());
  s.errors = errors;
  s.p50 = Percentile(latencies, 0.50);
  s.p99 = Percentile(latencies, 0.99);
  s.p999 = Percentile(latencies, 0.999);
  s.max = latencies.empty() ? 0 : latencies.back();
  double sum = 0;
  for (const float v : latencies) sum += v;
  s.mean = latencies.empty() ? 0 : sum / latencies.size();
  return s;
}

// ---------------------------------------------------------------- load

struct Inputs {
  std::vector<std::string> queries;
  std::vector<std::string> ids;
  std::vector<std::string> rows;
};

std::atomic<int> g_phase{kWarmup};
std::atomic<uint64_t> g_ingest_next{0};

class Client {
 public:
  Client(int index, const Inputs* inputs, std::string run_id)
      : index_(index),
        inputs_(inputs),
        run_id_(std::move(run_id)),
        rng_(absl::GetFlag(FLAGS_seed) * 1000003 + index),
        search_(cables::v1::SearchService::NewStub(
            NewChannel(absl::GetFlag(FLAGS_search), "client", index))),
        metadata_(cables::v1::MetadataService::NewStub(
            NewChannel(absl::GetFlag(FLAGS_metadata), "client", index))),
        ingest_(cables::v1::IngestService::NewStub(
            NewChannel(absl::GetFlag(FLAGS_ingest), "client", index))),
        deadline_(absl::GetFlag(FLAGS_deadline)),
        search_pct_(absl::GetFlag(FLAGS_search_pct)),
        get_pct_(absl::GetFlag(FLAGS_get_pct)) {}

  // Calls until the phase is kDone.
  void Run() {
    std::uniform_int_distribution<int> percent(0, 99);
    for (;;) {
      const int phase = g_phase.load(std::memory_order_acquire);
      if (phase == kDone) break;
      const int p = percent(rng_);
      const Method method = p < search_pct_
                                ? kSearch
                                : (p < search_pct_ + get_pct_ ? kGet : kIngest);
      const Clock::time_point start = Clock::now();
      grpc::Status status;
      switch (method) {
        case kSearch:
          status = Search();
          break;
        case kGet:
          status = Get();
          break;
        default:
          status = Ingest();
          break;
      }
      const double ms =
          std::chrono::duration<double, std::milli>(Clock::now() - start)
              .count();
      Bucket& bucket = stats_.buckets[phase][method];
      if (status.ok()) {
        bucket.latencies_ms.push_back(static_cast<float>(ms));
      } else {
        ++bucket.errors[status.error_code()];
        if (++errors_logged_ <= 5) {
          std::fprintf(stderr, "mixed_load: client %d: %s: %s %s\n", index_,
                       kMethodNames[method],
                       cables::GrpcCodeConstantName(status.error_code()),
                       status.error_message().c_str());
        }
      }
    }
  }

  const ClientStats& stats() const { return stats_; }

 private:
  grpc::Status Search() {
    const auto& queries = inputs_->queries;
    std::uniform_int_distribution<size_t> pick(0, queries.size() - 1);
    std::uniform_real_distribution<double> coin(0, 1);
    std::string query = queries[pick(rng_)];
    if (coin(rng_) < 0.3) {
      // A year restriction: another result set (and another cache entry).
      std::uniform_int_distribution<int> year(2000, 2010);
      query = absl::StrCat("(", query, ") created>=", year(rng_));
    }
    cables::v1::SearchCablesRequest request;
    request.set_query(query);
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    if (coin(rng_) < 0.2) request.set_order_by("created desc");
    if (coin(rng_) < 0.25) request.set_facets(true);
    const std::string key =
        absl::StrCat(request.query(), "\x1f", request.order_by(), "\x1f",
                     request.facets() ? "f" : "");
    auto token = page_tokens_.find(key);
    const bool page2 = token != page_tokens_.end() && coin(rng_) < 0.3;
    if (page2) request.set_page_token(token->second);
    cables::v1::SearchCablesResponse response;
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(deadline_));
    grpc::Status status = search_->SearchCables(&context, request, &response);
    if (status.ok()) {
      if (page2) ++stats_.page2_searches;
      if (request.facets()) ++stats_.facet_searches;
      if (!page2 && !response.next_page_token().empty()) {
        page_tokens_[key] = response.next_page_token();
      }
    }
    return status;
  }

  grpc::Status Get() {
    const auto& ids = inputs_->ids;
    std::uniform_int_distribution<size_t> pick(0, ids.size() - 1);
    cables::v1::GetCableRequest request;
    request.set_name(absl::StrCat("cables/", ids[pick(rng_)]));
    cables::v1::Cable response;
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(deadline_));
    return metadata_->GetCable(&context, request, &response);
  }

  grpc::Status Ingest() {
    const auto& rows = inputs_->rows;
    const uint64_t n = g_ingest_next.fetch_add(1);
    cables::v1::IngestCableRequest request;
    request.set_content(rows[n % rows.size()]);
    request.set_format(cables::v1::INPUT_FORMAT_CSV);
    request.set_source("mixed_load");
    request.set_request_id(absl::StrCat("mixed_load-", run_id_, "-", n));
    cables::v1::IngestCableResponse response;
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(deadline_));
    grpc::Status status = ingest_->IngestCable(&context, request, &response);
    if (status.ok()) ++stats_.ingest_outcomes[response.outcome()];
    return status;
  }

  const int index_;
  const Inputs* const inputs_;
  const std::string run_id_;
  std::mt19937_64 rng_;
  std::unique_ptr<cables::v1::SearchService::Stub> search_;
  std::unique_ptr<cables::v1::MetadataService::Stub> metadata_;
  std::unique_ptr<cables::v1::IngestService::Stub> ingest_;
  const absl::Duration deadline_;
  const int search_pct_;
  const int get_pct_;
  // Page 2 of a request this client has seen page 1 of.
  std::unordered_map<std::string, std::string> page_tokens_;
  int errors_logged_ = 0;
  ClientStats stats_;
};

// ---------------------------------------------------------------- memory

struct MemorySample {
  double t_s = 0;       // since the sampler started
  int phase = kWarmup;  // or kDone
  std::array<int64_t, kServices> rss_kb{};
};

class MemorySampler {
 public:
  MemorySampler(std::array<int, kServices> pids, absl::Duration interval)
      : pids_(pids), interval_(interval), start_(Clock::now()) {}

  bool enabled() const {
    for (const int pid : pids_) {
      if (pid > 0) return true;
    }
    return false;
  }

  void Start() {
    if (!enabled()) return;
    thread_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mu_);
      for (;;) {
        AddLocked(SampleLocked());
        if (cv_.wait_for(
                lock,
                std::chrono::microseconds(absl::ToInt64Microseconds(interval_)),
                [this] { return stop_; })) {
          break;
        }
      }
    });
  }

  // One more sample now (e.g. at the end of a phase).
  void SampleNow() {
    if (!enabled()) return;
    std::lock_guard<std::mutex> lock(mu_);
    AddLocked(SampleLocked());
  }

  void Stop() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // VmHWM (peak RSS) of each service now, kB (-1: unknown).
  std::array<int64_t, kServices> PeakKb() const {
    std::array<int64_t, kServices> peak{};
    for (int s = 0; s < kServices; ++s) {
      peak[s] = pids_[s] > 0 ? ProcessMemoryKb(pids_[s]).second : -1;
    }
    return peak;
  }

  const std::array<int, kServices>& pids() const { return pids_; }
  // Valid after Stop.
  const std::vector<MemorySample>& samples() const { return samples_; }

 private:
  // Appends `sample`; replaces the last sample instead when that is from
  // the same phase and under a second older (no near-duplicate lines).
  void AddLocked(const MemorySample& sample) {
    if (!samples_.empty() && samples_.back().phase == sample.phase &&
        sample.t_s - samples_.back().t_s < 1.0) {
      samples_.back() = sample;
    } else {
      samples_.push_back(sample);
    }
  }

  MemorySample SampleLocked() {
    MemorySample sample;
    sample.t_s = std::chrono::duration<double>(Clock::now() - start_).count();
    sample.phase = g_phase.load();
    for (int s = 0; s < kServices; ++s) {
      sample.rss_kb[s] = pids_[s] > 0 ? ProcessMemoryKb(pids_[s]).first : -1;
    }
    return sample;
  }

  const std::array<int, kServices> pids_;
  const absl::Duration interval_;
  const Clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<MemorySample> samples_;
  std::thread thread_;
};

absl::StatusOr<std::array<int, kServices>> ParsePids(const std::string& flag) {
  std::array<int, kServices> pids{0, 0, 0};
  if (flag.empty()) return pids;
  for (absl::string_view part : absl::StrSplit(flag, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(part, '=');
    int pid = 0;
    if (!absl::SimpleAtoi(kv.second, &pid) || pid <= 0) {
      return absl::InvalidArgumentError(absl::StrCat("--pids: bad ", part));
    }
    bool known = false;
    for (int s = 0; s < kServices; ++s) {
      if (kv.first == kServiceNames[s]) {
        pids[s] = pid;
        known = true;
      }
    }
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("--pids: unknown service ", kv.first));
    }
  }
  return pids;
}

// ---------------------------------------------------------------- slow

// A server-streaming call that is started and never read: the server can
// only send what HTTP/2 flow control lets it. Cancel() ends it; status()
// tells whether it was still open then.
template <typename Response>
class NeverReadStream final : public grpc::ClientReadReactor<Response> {
 public:
  grpc::ClientContext* context() { return &context_; }

  void Begin() { this->StartCall(); }

  void OnDone(const grpc::Status& status) override {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
    done_ = true;
    cv_.notify_all();
  }

  // True while the call has not ended (it is open, held by flow control).
  bool open() {
    std::lock_guard<std::mutex> lock(mu_);
    return !done_;
  }

  // Cancels the call and waits for its end; its final status.
  grpc::Status CancelAndWait() {
    context_.TryCancel();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [this] { return done_; });
    return done_ ? status_ : grpc::Status(grpc::UNKNOWN, "did not end");
  }

 private:
  grpc::ClientContext context_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  grpc::Status status_;
};

struct SlowClients {
  std::vector<std::shared_ptr<grpc::Channel>> idle;
  std::map<grpc::StatusCode, int64_t> idle_errors;
  double setup_s = 0;
  std::shared_ptr<grpc::Channel> export_channel;
  std::shared_ptr<grpc::Channel> watch_channel;
  std::unique_ptr<cables::v1::MetadataService::Stub> export_stub;
  std::unique_ptr<cables::v1::MetadataService::Stub> watch_stub;
  cables::v1::ExportCablesRequest export_request;
  cables::v1::WatchCablesRequest watch_request;
  std::unique_ptr<NeverReadStream<cables::v1::Cable>> export_stream;
  std::unique_ptr<NeverReadStream<cables::v1::ChangeEvent>> watch_stream;
};

// Opens `count` idle connections (each one Health.Check, then nothing) and
// the never-read streams, which stay open for `stream_time` at most.
void StartSlowClients(int count, bool streams, absl::Duration stream_time,
                      SlowClients* slow) {
  const Clock::time_point start = Clock::now();
  const std::string addresses[kServices] = {absl::GetFlag(FLAGS_search),
                                            absl::GetFlag(FLAGS_metadata),
                                            absl::GetFlag(FLAGS_ingest)};
  slow->idle.resize(count);
  std::vector<grpc::StatusCode> codes(count, grpc::OK);
  const int workers = std::min(count, 16);
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = w; i < count; i += workers) {
        auto channel = NewChannel(addresses[i % kServices], "idle", i);
        auto stub = grpc::health::v1::Health::NewStub(channel);
        grpc::health::v1::HealthCheckRequest request;
        grpc::health::v1::HealthCheckResponse response;
        grpc::ClientContext context;
        context.set_deadline(DeadlineIn(absl::Seconds(20)));
        codes[i] = stub->Check(&context, request, &response).error_code();
        slow->idle[i] = std::move(channel);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const grpc::StatusCode code : codes) {
    if (code != grpc::OK) ++slow->idle_errors[code];
  }
  if (streams) {
    const std::string metadata = absl::GetFlag(FLAGS_metadata);
    slow->export_channel = NewChannel(metadata, "export", 0);
    slow->export_stub =
        cables::v1::MetadataService::NewStub(slow->export_channel);
    slow->export_stream =
        std::make_unique<NeverReadStream<cables::v1::Cable>>();
    slow->export_stream->context()->set_deadline(DeadlineIn(stream_time));
    slow->export_stub->async()->ExportCables(slow->export_stream->context(),
                                             &slow->export_request,
                                             slow->export_stream.get());
    slow->export_stream->Begin();

    slow->watch_channel = NewChannel(metadata, "watch", 0);
    slow->watch_stub =
        cables::v1::MetadataService::NewStub(slow->watch_channel);
    slow->watch_request.set_after_position(0);  // the whole change log
    slow->watch_stream =
        std::make_unique<NeverReadStream<cables::v1::ChangeEvent>>();
    slow->watch_stream->context()->set_deadline(DeadlineIn(stream_time));
    slow->watch_stub->async()->WatchCables(slow->watch_stream->context(),
                                           &slow->watch_request,
                                           slow->watch_stream.get());
    slow->watch_stream->Begin();
  }
  slow->setup_s = std::chrono::duration<double>(Clock::now() - start).count();
}

// ---------------------------------------------------------------- output

std::string Mb(int64_t kb) {
  return kb < 0 ? std::string("na") : absl::StrFormat("%.1f", kb / 1024.0);
}

// The inputs named by the flags; `ids_source` says where the ids came from.
absl::Status LoadInputs(cables::v1::MetadataService::Stub* metadata,
                        Inputs* inputs, std::string* ids_source) {
  auto queries = ReadLines(absl::GetFlag(FLAGS_queries));
  if (!queries.ok()) return queries.status();
  if (queries->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no queries in ", absl::GetFlag(FLAGS_queries)));
  }
  inputs->queries = *std::move(queries);
  if (!absl::GetFlag(FLAGS_ids).empty()) {
    auto ids = ReadLines(absl::GetFlag(FLAGS_ids));
    if (!ids.ok()) return ids.status();
    if (ids->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("no ids in ", absl::GetFlag(FLAGS_ids)));
    }
    inputs->ids = *std::move(ids);
    *ids_source = absl::GetFlag(FLAGS_ids);
  } else if (absl::GetFlag(FLAGS_get_pct) > 0) {
    auto ids = SampleIds(metadata, absl::GetFlag(FLAGS_id_sample),
                         absl::GetFlag(FLAGS_seed));
    if (!ids.ok()) return ids.status();
    inputs->ids = *std::move(ids);
    *ids_source = "ListCables sample over months and years";
  }
  if (absl::GetFlag(FLAGS_ingest_pct) > 0) {
    if (absl::GetFlag(FLAGS_ingest_csv).empty()) {
      return absl::InvalidArgumentError("--ingest_csv is required");
    }
    auto rows = ReadCsvRows(absl::GetFlag(FLAGS_ingest_csv),
                            absl::GetFlag(FLAGS_ingest_rows));
    if (!rows.ok()) return rows.status();
    inputs->rows = *std::move(rows);
  }
  return absl::OkStatus();
}

void PrintHeader(absl::Time started, int64_t corpus, const Inputs& inputs,
                 const std::string& ids_source) {
  const std::string cpuinfo = ReadFile("/proc/cpuinfo");
  int64_t mem_kb = 0;
  if (!absl::SimpleAtoi(
          absl::StripSuffix(ProcField(ReadFile("/proc/meminfo"), "MemTotal"),
                            " kB"),
          &mem_kb)) {
    mem_kb = 0;
  }
  const int slow_count = absl::GetFlag(FLAGS_slow_clients);
  std::printf("# mixed_load: mixed workload (issue #8)\n");
  std::printf("date: %s\n", absl::FormatTime("%a %b %e %H:%M:%S UTC %Y",
                                             started, absl::UTCTimeZone())
                                .c_str());
  std::printf("machine: nproc=%d cpu=\"%s\" mem_gib=%.1f\n", Nproc(),
              ProcField(cpuinfo, "model name").c_str(),
              mem_kb / 1024.0 / 1024.0);
  if (!absl::GetFlag(FLAGS_label).empty()) {
    std::printf("label: %s\n", absl::GetFlag(FLAGS_label).c_str());
  }
  std::printf("corpus_cables: %lld\n", static_cast<long long>(corpus));
  std::printf("clients: %d\n", absl::GetFlag(FLAGS_clients));
  std::printf("duration: %s (warmup %s%s)\n",
              absl::FormatDuration(absl::GetFlag(FLAGS_duration)).c_str(),
              absl::FormatDuration(absl::GetFlag(FLAGS_warmup)).c_str(),
              slow_count > 0 ? ", then two halves: base, slow" : "");
  std::printf("mix: search=%d%% get=%d%% ingest=%d%% deadline=%s seed=%llu\n",
              absl::GetFlag(FLAGS_search_pct), absl::GetFlag(FLAGS_get_pct),
              absl::GetFlag(FLAGS_ingest_pct),
              absl::FormatDuration(absl::GetFlag(FLAGS_deadline)).c_str(),
              static_cast<unsigned long long>(absl::GetFlag(FLAGS_seed)));
  std::printf(
      "queries: %zu from %s (x year restriction x order x facets x page "
      "1/2)\n",
      inputs.queries.size(), absl::GetFlag(FLAGS_queries).c_str());
  std::printf("get_ids: %zu (%s)\n", inputs.ids.size(), ids_source.c_str());
  std::printf("ingest_rows: %zu (%s, from row %lld)\n", inputs.rows.size(),
              absl::GetFlag(FLAGS_ingest_csv).c_str(),
              static_cast<long long>(absl::GetFlag(FLAGS_ingest_start)));
  std::printf("slow_clients: %d idle connections%s\n", slow_count,
              slow_count > 0 && absl::GetFlag(FLAGS_slow_streams)
                  ? " + never-read ExportCables + never-read WatchCables"
                  : "");
  std::printf("services: search=%s metadata=%s ingest=%s\n",
              absl::GetFlag(FLAGS_search).c_str(),
              absl::GetFlag(FLAGS_metadata).c_str(),
              absl::GetFlag(FLAGS_ingest).c_str());
  std::fflush(stdout);
}

// What a run leaves to report besides the clients' stats.
struct RunOutcome {
  double phase_s[kPhases] = {0, 0, 0, 0};
  bool slow_phase = false;
  size_t idle_count = 0;
  int idle_ready_at_end = 0;
  std::map<grpc::StatusCode, int64_t> idle_errors;
  double slow_setup_s = 0;
  bool streams = false;
  bool export_open_at_end = false;
  bool watch_open_at_end = false;
  grpc::Status export_final;
  grpc::Status watch_final;
};

// Warmup, then the measured phases (see the file comment); the clients
// have stopped when it returns.
RunOutcome RunPhases(const std::vector<std::unique_ptr<Client>>& pool,
                     MemorySampler* memory) {
  RunOutcome outcome;
  const int slow_count = absl::GetFlag(FLAGS_slow_clients);
  outcome.slow_phase = slow_count > 0;
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const absl::Duration half = outcome.slow_phase ? duration / 2 : duration;

  g_phase.store(kWarmup);
  g_ingest_next.store(static_cast<uint64_t>(
      std::max<int64_t>(0, absl::GetFlag(FLAGS_ingest_start))));
  std::vector<std::thread> threads;
  for (const auto& client : pool) {
    threads.emplace_back([c = client.get()] { c->Run(); });
  }
  absl::SleepFor(absl::GetFlag(FLAGS_warmup));

  Clock::time_point t = Clock::now();
  auto end_phase = [&](int phase, int next) {
    const Clock::time_point now = Clock::now();
    outcome.phase_s[phase] = std::chrono::duration<double>(now - t).count();
    t = now;
    g_phase.store(next, std::memory_order_release);
  };
  g_phase.store(kBase, std::memory_order_release);
  memory->SampleNow();
  absl::SleepFor(half);
  SlowClients slow;
  if (outcome.slow_phase) {
    memory->SampleNow();
    end_phase(kBase, kTransition);
    StartSlowClients(slow_count, absl::GetFlag(FLAGS_slow_streams),
                     half + absl::Seconds(120), &slow);
    end_phase(kTransition, kSlow);
    memory->SampleNow();
    absl::SleepFor(half);
    memory->SampleNow();
    end_phase(kSlow, kDone);
  } else {
    memory->SampleNow();
    end_phase(kBase, kDone);
  }
  for (auto& thread : threads) thread.join();

  // The slow clients: still there at the end?
  outcome.idle_count = slow.idle.size();
  for (const auto& channel : slow.idle) {
    if (channel->GetState(false) == GRPC_CHANNEL_READY) {
      ++outcome.idle_ready_at_end;
    }
  }
  outcome.idle_errors = slow.idle_errors;
  outcome.slow_setup_s = slow.setup_s;
  if (slow.export_stream) {
    outcome.streams = true;
    outcome.export_open_at_end = slow.export_stream->open();
    outcome.watch_open_at_end = slow.watch_stream->open();
    outcome.export_final = slow.export_stream->CancelAndWait();
    outcome.watch_final = slow.watch_stream->CancelAndWait();
  }
  slow.idle.clear();
  if (outcome.slow_phase) {
    // Memory once the slow clients are gone.
    absl::SleepFor(absl::Seconds(2));
  }
  memory->SampleNow();
  return outcome;
}

// Prints the figures of the run; returns the number of failed calls.
int64_t PrintResults(const std::vector<std::unique_ptr<Client>>& pool,
                     const RunOutcome& run) {
  std::printf("\n# results\n");
  int64_t errors_total = 0;
  std::map<std::pair<int, grpc::StatusCode>, int64_t> errors_by_code;
  std::map<cables::v1::IngestOutcome, int64_t> outcome_counts;
  int64_t page2 = 0, facets = 0;
  for (const auto& client : pool) {
    const ClientStats& s = client->stats();
    for (int ph = 0; ph < kPhases; ++ph) {
      for (int m = 0; m < kMethods; ++m) {
        for (const auto& [code, n] : s.buckets[ph][m].errors) {
          errors_by_code[{m, code}] += n;
          errors_total += n;
        }
      }
    }
    for (const auto& [outcome, n] : s.ingest_outcomes) {
      outcome_counts[outcome] += n;
    }
    page2 += s.page2_searches;
    facets += s.facet_searches;
  }
  int64_t idle_failed = 0;
  for (const auto& [code, n] : run.idle_errors) idle_failed += n;
  errors_total += idle_failed;

  // Latencies of `method` (-1: all) over `phases`.
  auto summarize = [&](std::initializer_list<int> phases, int method) {
    std::vector<float> all;
    int64_t errors = 0;
    for (const auto& client : pool) {
      for (const int ph : phases) {
        for (int m = 0; m < kMethods; ++m) {
          if (method >= 0 && m != method) continue;
          const Bucket& b = client->stats().buckets[ph][m];
          all.insert(all.end(), b.latencies_ms.begin(), b.latencies_ms.end());
          for (const auto& [code, n] : b.errors) errors += n;
        }
      }
    }
    return Summarize(std::move(all), errors);
  };
  auto print_line = [](const char* phase, const char* method, const Summary& s,
                       double seconds) {
    std::printf(
        "latency phase=%s method=%s calls=%lld errors=%lld qps=%.1f "
        "p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f mean_ms=%.2f\n",
        phase, method, static_cast<long long>(s.calls),
        static_cast<long long>(s.errors), seconds > 0 ? s.calls / seconds : 0,
        s.p50, s.p99, s.p999, s.max, s.mean);
  };
  const double measured_s =
      run.phase_s[kBase] + run.phase_s[kTransition] + run.phase_s[kSlow];
  const std::initializer_list<int> measured = {kBase, kTransition, kSlow};
  const Summary total = summarize(measured, -1);
  std::printf("measured_s=%.1f\n", measured_s);
  std::printf("throughput_qps=%.1f\n",
              measured_s > 0 ? total.calls / measured_s : 0);
  std::printf(
      "errors_total=%lld (goal: 0; warmup and slow-client setup included)\n",
      static_cast<long long>(errors_total));
  for (int m = 0; m < kMethods; ++m) {
    print_line("all", kMethodNames[m], summarize(measured, m), measured_s);
  }
  print_line("all", "total", total, measured_s);
  if (run.slow_phase) {
    for (const int ph : {kBase, kSlow}) {
      for (int m = 0; m < kMethods; ++m) {
        print_line(kPhaseNames[ph], kMethodNames[m], summarize({ph}, m),
                   run.phase_s[ph]);
      }
      print_line(kPhaseNames[ph], "total", summarize({ph}, -1),
                 run.phase_s[ph]);
    }
    for (int m = 0; m <= kMethods; ++m) {
      const int method = m == kMethods ? -1 : m;
      const Summary base = summarize({kBase}, method);
      const Summary with = summarize({kSlow}, method);
      const double ratio = base.p99 > 0 ? with.p99 / base.p99 : 0;
      std::printf(
          "p99_ratio method=%s base_p99_ms=%.2f slow_p99_ms=%.2f "
          "ratio=%.2f goal=<=2 %s\n",
          m == kMethods ? "total" : kMethodNames[m], base.p99, with.p99, ratio,
          ratio <= 2.0 ? "met" : "MISSED");
    }
  }
  for (int m = 0; m < kMethods; ++m) {
    bool any = false;
    for (const auto& [key, n] : errors_by_code) {
      if (key.first != m) continue;
      any = true;
      std::printf("errors method=%s code=%s count=%lld\n", kMethodNames[m],
                  cables::GrpcCodeConstantName(key.second),
                  static_cast<long long>(n));
    }
    if (!any) std::printf("errors method=%s count=0\n", kMethodNames[m]);
  }
  std::printf("search_mix: page2=%lld facets=%lld\n",
              static_cast<long long>(page2), static_cast<long long>(facets));
  std::printf("ingest_outcomes:");
  for (const auto outcome : {cables::v1::CREATED, cables::v1::NEW_VERSION,
                             cables::v1::UNCHANGED, cables::v1::REJECTED}) {
    std::printf(" %s=%lld", cables::v1::IngestOutcome_Name(outcome).c_str(),
                static_cast<long long>(outcome_counts[outcome]));
  }
  std::printf("\n");
  std::printf("ingest_next=%llu\n",
              static_cast<unsigned long long>(g_ingest_next.load()));
  if (run.slow_phase) {
    for (const auto& [code, n] : run.idle_errors) {
      std::printf("slow_idle_errors code=%s count=%lld\n",
                  cables::GrpcCodeConstantName(code),
                  static_cast<long long>(n));
    }
    std::printf(
        "slow_clients: idle_connections=%zu setup_ok=%lld ready_at_end=%d "
        "setup_s=%.1f\n",
        run.idle_count,
        static_cast<long long>(static_cast<int64_t>(run.idle_count) -
                               idle_failed),
        run.idle_ready_at_end, run.slow_setup_s);
    if (run.streams) {
      // Open until cancelled: the server waited on flow control instead of
      // failing or finishing; the status after our cancel is CANCELLED.
      std::printf("slow_export_stream: open_at_end=%s final=%s\n",
                  run.export_open_at_end ? "yes" : "no",
                  cables::GrpcCodeConstantName(run.export_final.error_code()));
      std::printf("slow_watch_stream: open_at_end=%s final=%s\n",
                  run.watch_open_at_end ? "yes" : "no",
                  cables::GrpcCodeConstantName(run.watch_final.error_code()));
    }
  }
  return errors_total;
}

// The memory timeline and, per service, start/max/end, the peak (VmHWM,
// which includes the service's start-up), the maxima of the halves and the
// growth over the slow half.
void PrintMemory(const MemorySampler& memory,
                 const std::array<int64_t, kServices>& peak_kb) {
  std::printf(
      "\n# memory (VmRSS, MB; every %s and at phase ends)\n",
      absl::FormatDuration(absl::GetFlag(FLAGS_memory_interval)).c_str());
  const auto& samples = memory.samples();
  for (const MemorySample& s : samples) {
    std::printf("mem t_s=%.0f phase=%s", s.t_s,
                s.phase == kDone ? "done" : kPhaseNames[s.phase]);
    for (int sv = 0; sv < kServices; ++sv) {
      if (memory.pids()[sv] > 0) {
        std::printf(" %s=%s", kServiceNames[sv], Mb(s.rss_kb[sv]).c_str());
      }
    }
    std::printf("\n");
  }
  for (int sv = 0; sv < kServices; ++sv) {
    if (memory.pids()[sv] <= 0 || samples.empty()) continue;
    const int64_t start = samples.front().rss_kb[sv];
    int64_t end = -1, max = -1, base_max = -1, slow_max = -1;
    int64_t slow_first = -1, slow_last = -1;
    for (const MemorySample& s : samples) {
      const int64_t v = s.rss_kb[sv];
      if (v < 0) continue;
      end = v;
      max = std::max(max, v);
      if (s.phase == kBase) base_max = std::max(base_max, v);
      if (s.phase == kSlow) {
        slow_max = std::max(slow_max, v);
        if (slow_first < 0) slow_first = v;
        slow_last = v;
      }
    }
    std::printf(
        "mem_summary service=%s start_mb=%s max_mb=%s end_mb=%s "
        "peak_hwm_mb=%s base_max_mb=%s slow_max_mb=%s slow_growth_mb=%s "
        "goal=<300 %s\n",
        kServiceNames[sv], Mb(start).c_str(), Mb(max).c_str(), Mb(end).c_str(),
        Mb(peak_kb[sv]).c_str(), Mb(base_max).c_str(), Mb(slow_max).c_str(),
        slow_first < 0
            ? "na"
            : absl::StrFormat("%.1f", (slow_last - slow_first) / 1024.0)
                  .c_str(),
        max >= 0 && max < 300 * 1024 ? "met" : "MISSED");
  }
}

int Main() {
  const int clients = absl::GetFlag(FLAGS_clients);
  if (clients < 1 || absl::GetFlag(FLAGS_duration) <= absl::ZeroDuration() ||
      absl::GetFlag(FLAGS_search_pct) < 0 || absl::GetFlag(FLAGS_get_pct) < 0 ||
      absl::GetFlag(FLAGS_ingest_pct) < 0 ||
      absl::GetFlag(FLAGS_search_pct) + absl::GetFlag(FLAGS_get_pct) +
              absl::GetFlag(FLAGS_ingest_pct) !=
          100) {
    std::fprintf(stderr,
                 "mixed_load: need --clients >= 1, --duration > 0 and "
                 "--search_pct + --get_pct + --ingest_pct = 100\n");
    return 2;
  }
  auto pids = ParsePids(absl::GetFlag(FLAGS_pids));
  if (!pids.ok()) {
    std::fprintf(stderr, "mixed_load: %s\n", pids.status().ToString().c_str());
    return 2;
  }
  auto metadata = cables::v1::MetadataService::NewStub(
      NewChannel(absl::GetFlag(FLAGS_metadata), "setup", 0));
  Inputs inputs;
  std::string ids_source;
  if (absl::Status loaded = LoadInputs(metadata.get(), &inputs, &ids_source);
      !loaded.ok()) {
    std::fprintf(stderr, "mixed_load: %s\n", loaded.ToString().c_str());
    return 2;
  }
  auto corpus = CorpusSize(metadata.get());
  if (!corpus.ok()) {
    std::fprintf(stderr, "mixed_load: %s\n",
                 corpus.status().ToString().c_str());
    return 2;
  }
  const absl::Time started = absl::Now();
  PrintHeader(started, *corpus, inputs, ids_source);

  MemorySampler memory(*pids, absl::GetFlag(FLAGS_memory_interval));
  memory.Start();
  const std::string run_id = absl::StrCat(
      absl::FormatTime("%Y%m%dT%H%M%S", started, absl::UTCTimeZone()), "-",
      getpid());
  std::vector<std::unique_ptr<Client>> pool;
  for (int c = 0; c < clients; ++c) {
    pool.push_back(std::make_unique<Client>(c, &inputs, run_id));
  }
  const RunOutcome run = RunPhases(pool, &memory);
  memory.Stop();

  const int64_t errors = PrintResults(pool, run);
  if (memory.enabled()) PrintMemory(memory, memory.PeakKb());
  std::printf("result: %s\n", errors == 0 ? "no errors" : "ERRORS");
  std::fflush(stdout);
  return errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return Main();
}
