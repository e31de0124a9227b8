// Parses the real cable corpus (../shared/corpus/wikileaks-html, read in
// place, never copied), the seed cable-browser page and a synthetic
// cables.csv generated at test time, and prints how many cables yield each
// field.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/ingest/parser/content_hash.h"
#include "services/ingest/parser/csv_reader.h"

namespace cables::parser {
namespace {

namespace fs = std::filesystem;
using cables::v1::Cable;

const fs::path kShared = fs::path(CABLES_SOURCE_DIR) / ".." / "shared";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<fs::path> CorpusPages() {
  std::vector<fs::path> pages;
  const fs::path root = kShared / "corpus" / "wikileaks-html";
  if (!fs::exists(root)) return pages;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".html") {
      pages.push_back(entry.path());
    }
  }
  std::sort(pages.begin(), pages.end());
  return pages;
}

// "CSV-quotes" a field as the cables.csv dump does.
std::string Quote(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string UsDate(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%m/%d/%Y %H:%M", absl::FromUnixSeconds(ts.seconds()),
                          absl::UTCTimeZone());
}

class CorpusTest : public ::testing::Test {
 protected:
  void SetUp() override { pages_ = &Pages(); }
  static const std::vector<fs::path>& Pages() {
    static const std::vector<fs::path> pages = CorpusPages();
    return pages;
  }
  const std::vector<fs::path>* pages_ = nullptr;
};

TEST_F(CorpusTest, EveryHtmlPageParses) {
  ASSERT_EQ(pages_->size(), 1295u) << "corpus missing under " << kShared;
  std::vector<std::string> failures;
  std::map<std::string, int> coverage;
  auto count = [&coverage](const char* field, bool has) {
    coverage[field] += has ? 1 : 0;
  };
  for (const fs::path& page : *pages_) {
    const std::string html = ReadFile(page);
    ParseOptions options;
    options.format = InputFormat::kAuto;
    const auto cable = ParseCable(html, options);
    if (!cable.ok()) {
      failures.push_back(absl::StrCat(page.filename().string(), ": ",
                                      cable.status().message()));
      continue;
    }
    EXPECT_EQ(cable->source_format(), cables::v1::HTML) << page;
    EXPECT_EQ(cable->reference_id(), page.stem().string()) << page;
    EXPECT_TRUE(cable->has_created()) << page;
    EXPECT_TRUE(cable->has_released()) << page;
    EXPECT_FALSE(cable->origin().empty()) << page;
    EXPECT_FALSE(cable->classification().empty()) << page;
    EXPECT_FALSE(cable->body().empty()) << page;
    EXPECT_EQ(cable->content_sha256().size(), 64u) << page;
    count("canonical_id", !cable->canonical_id().empty());
    count("name", !cable->name().empty());
    count("header", !cable->header().empty());
    count("transmission_id", !cable->transmission_id().empty());
    count("recipients", cable->recipients_size() > 0);
    count("tags", cable->tags_size() > 0);
    count("subject", !cable->subject().empty());
    count("references", cable->references_size() > 0);
    count("signers", cable->signers_size() > 0);
    count("summary", !cable->summary().empty());
    count("paragraphs", cable->paragraphs_size() > 0);
    count("classified_by", cable->classified_by_size() > 0);
    count("classification_reasons", cable->classification_reasons_size() > 0);
    count("declassify_on", !cable->declassify_on().empty());
    count("caveats", cable->caveats_size() > 0);
    count("partial", cable->partial());
    count("redacted", cable->redacted());
  }
  EXPECT_TRUE(failures.empty()) << failures.size() << " pages failed:\n"
                                << absl::StrJoin(failures, "\n");
  std::cout << "Field coverage over " << pages_->size() << " pages:\n";
  for (const auto& [field, n] : coverage) {
    std::printf("  %-24s %5d  (%5.1f%%)\n", field.c_str(), n,
                100.0 * n / static_cast<double>(pages_->size()));
  }
  EXPECT_EQ(coverage["partial"], 92);
  // Pages with a partial-extract note have no header <pre>, except
  // 00HARARE6677, whose note opens the <pre> holding its header (and the
  // telegram analysis may find a header quoted at the top of a body).
  EXPECT_GE(coverage["header"], 1295 - 92 + 1);
}

// The same cable as a cables.csv row hashes as its page does.
TEST_F(CorpusTest, HtmlAndCsvRowOfACableHashTheSame) {
  ASSERT_FALSE(pages_->empty());
  int compared = 0;
  for (size_t i = 0; i < pages_->size(); i += 7) {
    const auto page = ParseCable(ReadFile((*pages_)[i]));
    ASSERT_TRUE(page.ok()) << (*pages_)[i] << ": " << page.status();
    std::vector<std::string> refs;
    for (const auto& r : page->references()) {
      if (!r.id().empty()) refs.push_back(r.id());
    }
    const std::string row = absl::StrCat(
        Quote("17"), ",", Quote(UsDate(page->created())), ",",
        Quote(page->reference_id()), ",", Quote(page->origin()), ",",
        Quote(page->classification()), ",", Quote(absl::StrJoin(refs, ",")),
        ",", Quote(page->header()), ",", Quote(page->body()), "\n");
    const auto csv = ParseCable(row);
    ASSERT_TRUE(csv.ok()) << (*pages_)[i] << ": " << csv.status();
    EXPECT_EQ(csv->source_format(), cables::v1::CSV);
    EXPECT_EQ(csv->content_sha256(), page->content_sha256()) << (*pages_)[i];
    EXPECT_EQ(csv->canonical_id(), page->canonical_id());
    ++compared;
  }
  EXPECT_GT(compared, 150);
}

// A page's header and body pasted as one text split back where they were.
TEST_F(CorpusTest, TextOfHeaderAndBodySplitsBack) {
  std::vector<std::string> failures;
  int compared = 0;
  int unrecognised_headers = 0;
  for (const fs::path& path : *pages_) {
    const auto page = ParseCable(ReadFile(path));
    ASSERT_TRUE(page.ok()) << path << ": " << page.status();
    if (page->header().empty()) continue;
    for (const char* separator : {"\n", "\n\n", "\nBT\n"}) {
      ParseOptions options;
      options.format = InputFormat::kText;
      const auto text = ParseCable(
          absl::StrCat(page->header(), separator, page->body()), options);
      ASSERT_TRUE(text.ok()) << path << ": " << text.status();
      if (NormalizeForHash(text->header()) !=
              NormalizeForHash(page->header()) ||
          NormalizeForHash(text->body()) != NormalizeForHash(page->body())) {
        failures.push_back(absl::StrCat(path.filename().string(), " with ",
                                        absl::CEscape(separator)));
      }
      ++compared;
    }
    // Each part alone.
    ParseOptions options;
    options.format = InputFormat::kText;
    // (A header reduced to a date line is no cable on its own.)
    const auto header_only = ParseCable(page->header(), options);
    if (header_only.ok() && (NormalizeForHash(header_only->header()) !=
                                 NormalizeForHash(page->header()) ||
                             !header_only->body().empty())) {
      failures.push_back(absl::StrCat(path.filename().string(), " header"));
    }
    if (!header_only.ok()) ++unrecognised_headers;
    // (Some bodies quote a whole routing header; those split there.)
    const auto body_only = ParseCable(page->body(), options);
    if (body_only.ok() && !body_only->header().empty() &&
        !absl::StrContains(page->body(), "\nFM ")) {
      failures.push_back(absl::StrCat(path.filename().string(), " body"));
    }
  }
  EXPECT_GT(compared, 3000);
  EXPECT_LT(unrecognised_headers, 5);
  EXPECT_TRUE(failures.empty()) << failures.size() << " splits differ:\n"
                                << absl::StrJoin(failures, "\n");
}

TEST(SeedTest, BrowserPageParses) {
  const fs::path seed = kShared / "seed" / "05ALMATY1595.txt";
  ASSERT_TRUE(fs::exists(seed)) << seed;
  const auto cable = ParseCable(ReadFile(seed));
  ASSERT_TRUE(cable.ok()) << cable.status();
  EXPECT_EQ(cable->source_format(), cables::v1::BROWSER);
  EXPECT_EQ(cable->reference_id(), "05ALMATY1595");
  EXPECT_EQ(cable->canonical_id(), "05ALMATY1595");
  EXPECT_EQ(cable->name(), "cables/05ALMATY1595");
  EXPECT_EQ(cable->origin(), "US Office Almaty");
  EXPECT_EQ(cable->classification(), "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
  EXPECT_EQ(cable->created().seconds(), 1114133580);  // 2005-04-22 01:33 UTC
  EXPECT_TRUE(cable->partial());
  EXPECT_FALSE(cable->redacted());
  EXPECT_TRUE(cable->header().empty());
  EXPECT_TRUE(absl::StartsWith(cable->body(), "UNCLAS  ALMATY 001595"))
      << cable->body().substr(0, 80);
  EXPECT_EQ(cable->subject(),
            "KAZAKHSTANI PARLIAMENT CONSIDERS TROUBLING PACKAGE OF NATIONAL "
            "SECURITY AMENDMENTS ON NATIONAL SECURITY");
  ASSERT_GE(cable->tags_size(), 7);
  EXPECT_EQ(cable->tags(0), "PGOV");
}

TEST(SynthCsvTest, EveryRowParses) {
  const fs::path tool = kShared / "tools" / "synth-corpus";
  ASSERT_TRUE(fs::exists(tool)) << tool;
  const fs::path dir = fs::path(::testing::TempDir()) / "corpus_test_synth";
  fs::create_directories(dir);
  const fs::path csv = dir / "x.csv";
  const std::string command =
      absl::StrCat("/usr/bin/python3 '", tool.string(), "' --count 200 --out '",
                   csv.string(), "'");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const std::string data = ReadFile(csv);
  ASSERT_FALSE(data.empty());

  // Streamed in small chunks, record by record.
  CsvReader reader;
  CsvRecord record;
  int rows = 0;
  std::vector<std::string> failures;
  auto handle = [&](CsvRecord& r) {
    ++rows;
    if (!r.status.ok()) {
      failures.push_back(std::string(r.status.message()));
      return;
    }
    EXPECT_EQ(r.fields[0], std::to_string(r.row));
    const auto cable = ParseCsvFields(std::move(r.fields));
    if (!cable.ok()) {
      failures.push_back(
          absl::StrCat("row ", r.row, ": ", cable.status().message()));
      return;
    }
    EXPECT_TRUE(cable->has_created());
    EXPECT_FALSE(cable->canonical_id().empty());
    EXPECT_FALSE(cable->body().empty());
  };
  for (size_t i = 0; i < data.size(); i += 4093) {
    reader.Feed(absl::string_view(data).substr(i, 4093));
    while (reader.Next(&record)) handle(record);
  }
  reader.Finish();
  while (reader.Next(&record)) handle(record);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(rows, 200);
  EXPECT_TRUE(failures.empty()) << absl::StrJoin(failures, "\n");

  // The whole file as one document.
  const auto all = ParseDocument(data);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 200u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cables::parser
