// load_bench: imports a cables.csv file through the repository layer and
// prints throughput. Run by storage/bench/run_load_bench.sh, which also
// measures the PostgreSQL-only baseline.
//
//   load_bench --csv cables.csv [--database URL] [--batch 1000]
//              [--writers 2] [--no-defer-index] [--defer-vectors]
//              [--source NAME]
//
// --defer-vectors stores without full-text vectors (WriteProvenance::
// defer_search_vectors), as `cablectl import --bulk` does.
//
// One thread reads and parses the file (parser's CsvReader + ParseCsvFields)
// into batches; `writers` threads store them with BulkUpsert, each batch
// atomically. A bounded queue keeps memory flat. Prints one "key=value" line
// per figure. Exit status 1 when any batch failed.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/ingest/parser/csv_reader.h"
#include "storage/pg_cable_repository.h"

namespace {

using cables::v1::Cable;

struct Flags {
  std::string csv;
  std::string database;
  int batch = 1000;
  int writers = 2;
  bool defer_index = true;
  bool defer_vectors = false;
  std::string source;
  // Skip the import; time the repository's reads on what is stored.
  bool reads_only = false;
};

struct Batch {
  std::vector<Cable> cables;
  int64_t bytes = 0;
};

// Bounded FIFO of batches between the parser and the writers.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  void Push(Batch batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }
  bool Pop(Batch* batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return false;
    *batch = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return true;
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> queue_;
  bool closed_ = false;
};

bool ParseFlags(int argc, char** argv, Flags* flags) {
  if (const char* env = std::getenv("DATABASE_URL")) flags->database = env;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      return i + 1 < argc ? argv[++i] : "";
    };
    if (arg == "--csv") {
      flags->csv = value();
    } else if (arg == "--database") {
      flags->database = value();
    } else if (arg == "--batch") {
      if (!absl::SimpleAtoi(value(), &flags->batch)) return false;
    } else if (arg == "--writers") {
      if (!absl::SimpleAtoi(value(), &flags->writers)) return false;
    } else if (arg == "--no-defer-index") {
      flags->defer_index = false;
    } else if (arg == "--defer-vectors") {
      flags->defer_vectors = true;
    } else if (arg == "--source") {
      flags->source = value();
    } else if (arg == "--reads-only") {
      flags->reads_only = true;
    } else {
      return false;
    }
  }
  if (flags->source.empty()) flags->source = flags->csv;
  return (flags->reads_only || !flags->csv.empty()) &&
         !flags->database.empty() && flags->batch > 0 && flags->writers > 0;
}

long PeakRssKiB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Times `fn` `n` times; prints "name_ms p50=.. max=..".
template <typename Fn>
void Time(const char* name, int n, Fn&& fn) {
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    const absl::Time t0 = absl::Now();
    const absl::Status s = fn(i);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    if (!s.ok()) {
      std::printf("%s error: %s\n", name, s.ToString().c_str());
      return;
    }
  }
  std::sort(ms.begin(), ms.end());
  std::printf("read_%s_ms p50=%.1f max=%.1f (n=%d)\n", name, ms[ms.size() / 2],
              ms.back(), n);
}

void ReadBench(cables::storage::CableRepository& repo) {
  using cables::storage::CableFilter;
  using cables::storage::ListCablesRequest;
  // Ids to read: the first pages of the newest-first listing.
  std::vector<std::string> ids;
  ListCablesRequest first;
  first.page_size = 200;
  auto page = repo.ListCables(first);
  if (!page.ok() || page->cables.empty()) {
    std::printf("read bench: nothing stored (%s)\n",
                page.status().ToString().c_str());
    return;
  }
  for (const auto& c : page->cables) ids.push_back(c.canonical_id());
  Time("get_cable", 50,
       [&](int i) { return repo.GetCable(ids[i * 7 % ids.size()]).status(); });
  Time("batch_get_50", 5, [&](int) {
    std::vector<std::string> some(ids.begin(), ids.begin() + 50);
    return repo.BatchGetCables(some).status();
  });
  Time("list_page50_walk_20_pages", 3, [&](int) -> absl::Status {
    ListCablesRequest req;
    req.page_size = 50;
    for (int p = 0; p < 20; ++p) {
      auto r = repo.ListCables(req);
      if (!r.ok()) return r.status();
      req.page_token = r->next_page_token;
    }
    return absl::OkStatus();
  });
  const auto list_with = [&](CableFilter f) {
    return [&repo, f](int) {
      ListCablesRequest req;
      req.filter = f;
      req.page_size = 50;
      return repo.ListCables(req).status();
    };
  };
  CableFilter origin;
  origin.origin = page->cables[0].origin();
  Time("list_origin", 10, list_with(origin));
  CableFilter tag;
  tag.tags = {"PGOV"};
  Time("list_tag_PGOV", 10, list_with(tag));
  CableFilter rare;
  rare.tags = {"PGOV", "KNNP"};
  rare.classification = "SECRET//NOFORN";
  Time("list_two_tags_classification", 10, list_with(rare));
  CableFilter year;
  year.created_from =
      absl::FromCivil(absl::CivilDay(2003, 1, 1), absl::UTCTimeZone());
  year.created_until =
      absl::FromCivil(absl::CivilDay(2004, 1, 1), absl::UTCTimeZone());
  Time("list_year_2003", 10, list_with(year));
  Time("facets_all", 5,
       [&](int) { return repo.GetFacetCounts({}, 20).status(); });
  Time("facets_tag_PGOV", 5,
       [&](int) { return repo.GetFacetCounts(tag, 20).status(); });
  Time("facets_origin", 5,
       [&](int) { return repo.GetFacetCounts(origin, 20).status(); });
  Time("references", 20, [&](int i) {
    return repo.GetReferences(ids[i * 3 % ids.size()]).status();
  });
  Time("cited_by", 20, [&](int i) {
    return repo.GetCitedBy(ids[(i * 5 + 100) % ids.size()], 100, "").status();
  });
  Time("list_versions", 20,
       [&](int i) { return repo.ListVersions(ids[i % ids.size()]).status(); });
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) {
    std::fprintf(stderr,
                 "usage: %s --csv FILE [--database URL] [--batch N] "
                 "[--writers N] [--no-defer-index] [--defer-vectors] "
                 "[--source NAME]\n",
                 argv[0]);
    return 2;
  }
  cables::storage::ConnectionPoolOptions options;
  options.database_url = flags.database;
  options.max_connections = flags.writers + 1;
  options.application_name = "load_bench";
  auto repo = cables::storage::PgCableRepository::Open(options);
  if (!repo.ok()) {
    std::fprintf(stderr, "load_bench: %s\n", repo.status().ToString().c_str());
    return 1;
  }

  if (flags.reads_only) {
    ReadBench(**repo);
    return 0;
  }
  std::FILE* in = std::fopen(flags.csv.c_str(), "rb");
  if (in == nullptr) {
    std::fprintf(stderr, "load_bench: cannot open %s\n", flags.csv.c_str());
    return 2;
  }
  const absl::Time start = absl::Now();
  if (flags.defer_index) {
    const absl::Status s = (*repo)->BeginBulkLoad();
    if (!s.ok()) {
      std::fprintf(stderr, "load_bench: %s\n", s.ToString().c_str());
      return 1;
    }
  }

  BatchQueue queue(/*capacity=*/2 * flags.writers);
  std::atomic<int64_t> parse_errors{0}, rows{0}, input_bytes{0};
  absl::Duration parse_time;
  std::thread parser([&] {
    cables::parser::CsvReader reader;
    cables::parser::CsvRecord record;
    std::vector<char> chunk(4 << 20);
    Batch batch;
    const auto flush = [&] {
      if (batch.cables.empty()) return;
      queue.Push(std::move(batch));
      batch = Batch();
    };
    const auto handle = [&] {
      ++rows;
      input_bytes += record.size;
      if (!record.status.ok()) {
        ++parse_errors;
        return;
      }
      if (cables::parser::IsCsvHeaderRow(record.fields)) return;
      absl::StatusOr<Cable> cable =
          cables::parser::ParseCsvFields(std::move(record.fields));
      if (!cable.ok()) {
        if (parse_errors++ < 5) {
          std::fprintf(stderr, "load_bench: row %lld: %s\n",
                       static_cast<long long>(record.row),
                       cable.status().ToString().c_str());
        }
        return;
      }
      batch.bytes += record.size;
      batch.cables.push_back(*std::move(cable));
      if (static_cast<int>(batch.cables.size()) >= flags.batch) flush();
    };
    const absl::Time t0 = absl::Now();
    size_t n;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), in)) > 0) {
      reader.Feed(absl::string_view(chunk.data(), n));
      while (reader.Next(&record)) handle();
    }
    reader.Finish();
    while (reader.Next(&record)) handle();
    flush();
    parse_time = absl::Now() - t0;  // includes waiting for the writers
    queue.Close();
  });

  std::atomic<int64_t> created{0}, new_versions{0}, unchanged{0},
      failed_batches{0}, failed_cables{0}, stored_bytes{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < flags.writers; ++w) {
    writers.emplace_back([&] {
      Batch batch;
      while (queue.Pop(&batch)) {
        cables::storage::WriteProvenance provenance;
        provenance.defer_search_vectors = flags.defer_vectors;
        auto results = (*repo)->BulkUpsertWithProvenance(
            batch.cables, flags.source, provenance);
        if (!results.ok()) {
          ++failed_batches;
          failed_cables += batch.cables.size();
          std::fprintf(stderr, "load_bench: batch failed: %s\n",
                       results.status().ToString().c_str());
          continue;
        }
        stored_bytes += batch.bytes;
        for (const auto& r : *results) {
          switch (r.outcome) {
            case cables::storage::UpsertOutcome::kCreated:
              ++created;
              break;
            case cables::storage::UpsertOutcome::kNewVersion:
              ++new_versions;
              break;
            case cables::storage::UpsertOutcome::kUnchanged:
              ++unchanged;
              break;
          }
        }
      }
    });
  }
  parser.join();
  for (auto& w : writers) w.join();
  std::fclose(in);
  const absl::Time loaded = absl::Now();
  if (flags.defer_index) {
    const absl::Status s = (*repo)->EndBulkLoad();
    if (!s.ok()) {
      std::fprintf(stderr, "load_bench: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  const absl::Time end = absl::Now();
  const double seconds = absl::ToDoubleSeconds(end - start);
  const int64_t stored = created + new_versions + unchanged;
  std::printf("repo_rows=%lld\n", static_cast<long long>(rows.load()));
  std::printf(
      "repo_cables_stored=%lld created=%lld new_version=%lld unchanged=%lld\n",
      static_cast<long long>(stored), static_cast<long long>(created.load()),
      static_cast<long long>(new_versions.load()),
      static_cast<long long>(unchanged.load()));
  std::printf("repo_parse_errors=%lld failed_batches=%lld failed_cables=%lld\n",
              static_cast<long long>(parse_errors.load()),
              static_cast<long long>(failed_batches.load()),
              static_cast<long long>(failed_cables.load()));
  std::printf("repo_batches_s=%.1f\n", absl::ToDoubleSeconds(loaded - start));
  std::printf("repo_index_rebuild_s=%.1f\n",
              absl::ToDoubleSeconds(end - loaded));
  std::printf("repo_parser_thread_s=%.1f\n", absl::ToDoubleSeconds(parse_time));
  std::printf("repo_total_s=%.1f\n", seconds);
  std::printf("repo_cables_per_s=%.0f\n", stored / seconds);
  std::printf("repo_mb_per_s=%.2f\n", input_bytes.load() / 1e6 / seconds);
  std::printf("repo_peak_rss_mib=%.0f\n", PeakRssKiB() / 1024.0);
  return failed_batches > 0 ? 1 : 0;
}
