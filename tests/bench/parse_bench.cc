// parse_bench FILE.csv: single-thread throughput of the cables.csv path.
//
// 1. reads the file into memory (the plain-read baseline, MB/s);
// 2. splits it into records with CsvReader alone (tokenising cost);
// 3. splits and parses every record (CsvReader + ParseCsvFields, i.e. the
//    whole ParseCable pipeline: front-end, telegram analysis, digest),
// and prints MB/s, cables/s and the ratio of each stage to the plain read.
// Goal: >= 100 MB/s per core for stage 3.
//
//   /usr/bin/python3 ../shared/tools/synth-corpus --count 20000 --out
//   /tmp/c.csv build/<dir>/tests/bench/parse_bench /tmp/c.csv
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/ingest/parser/csv_reader.h"

namespace {

constexpr size_t kChunk = 1 << 20;

double Mb(size_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

// CPU time (user + system) of this process, in seconds: on a shared,
// loaded machine it measures the work better than the wall clock.
double CpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) /
             1e6;
}

struct Stage {
  double seconds = 0;
  double cpu_seconds = 0;
  long records = 0;
  long errors = 0;
};

// Feeds `data` to a CsvReader in 1 MiB chunks, as a streaming reader
// would; `parse` also builds each cable.
Stage Run(absl::string_view data, bool parse) {
  Stage stage;
  const absl::Time start = absl::Now();
  const double cpu_start = CpuSeconds();
  cables::parser::CsvReader reader;
  cables::parser::CsvRecord record;
  size_t checksum = 0;
  auto handle = [&](cables::parser::CsvRecord& r) {
    ++stage.records;
    if (!r.status.ok()) {
      ++stage.errors;
      return;
    }
    if (!parse) {
      checksum += r.fields.size();
      return;
    }
    auto cable = cables::parser::ParseCsvFields(std::move(r.fields));
    if (!cable.ok()) {
      ++stage.errors;
      if (stage.errors <= 3) {
        std::fprintf(stderr, "row %ld: %s\n", static_cast<long>(r.row),
                     std::string(cable.status().message()).c_str());
      }
      return;
    }
    checksum += cable->paragraphs_size() + cable->content_sha256().size();
  };
  for (size_t i = 0; i < data.size(); i += kChunk) {
    reader.Feed(data.substr(i, kChunk));
    while (reader.Next(&record)) handle(record);
  }
  reader.Finish();
  while (reader.Next(&record)) handle(record);
  stage.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  stage.cpu_seconds = CpuSeconds() - cpu_start;
  if (checksum == 1) std::printf("\n");  // keeps the work observable
  return stage;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: parse_bench FILE.csv\n");
    return 2;
  }
  const absl::Time read_start = absl::Now();
  const double read_cpu_start = CpuSeconds();
  std::string data;
  {
    std::error_code error;
    const auto size = std::filesystem::file_size(argv[1], error);
    if (!error) data.reserve(size);
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "parse_bench: cannot open %s\n", argv[1]);
      return 1;
    }
    std::string chunk(kChunk, '\0');
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) ||
           in.gcount() > 0) {
      data.append(chunk.data(), static_cast<size_t>(in.gcount()));
    }
  }
  const double read_s = absl::ToDoubleSeconds(absl::Now() - read_start);
  const double read_cpu = CpuSeconds() - read_cpu_start;
  const double mb = Mb(data.size());
  std::printf("file           %s\n", argv[1]);
  std::printf("size           %.1f MB (MB = 2^20 bytes)\n", mb);
  std::printf("%-14s %9s %9s %10s %10s %12s %10s\n", "stage", "wall s", "cpu s",
              "MB/s wall", "MB/s cpu", "records/s", "x read");
  std::printf("%-14s %9.3f %9.3f %10.1f %10.1f %12s %10s\n", "read", read_s,
              read_cpu, mb / read_s, mb / read_cpu, "-", "1.00");
  auto print = [&](const char* name, const Stage& s) {
    std::printf("%-14s %9.3f %9.3f %10.1f %10.1f %12.0f %10.2f\n", name,
                s.seconds, s.cpu_seconds, mb / s.seconds, mb / s.cpu_seconds,
                s.records / s.cpu_seconds, s.seconds / read_s);
  };
  const Stage split = Run(data, /*parse=*/false);
  print("csv split", split);
  const Stage full = Run(data, /*parse=*/true);
  print("split+parse", full);
  std::printf("records %ld (bad %ld); cables %ld (failed %ld)\n", split.records,
              split.errors, full.records, full.errors);
  return full.errors == 0 ? 0 : 1;
}
