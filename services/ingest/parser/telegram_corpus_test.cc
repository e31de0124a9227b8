// Runs AnalyzeTelegram over every real cable page of the shared corpus
// (header and body only, so the text analysis is measured without the
// container's metadata), prints coverage and throughput, and checks the
// derived classification, origin, id and date against what each page's
// metadata table states.
//
// Set CABLES_TELEGRAM_DUMP=<file> to write a per-cable dump of the fields.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/ingest/parser/tag_kinds.h"
#include "services/ingest/parser/telegram.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

struct Page {
  std::string id;              // file name without ".html"
  std::string classification;  // from the metadata table
  std::string origin;
  std::string created_date;  // "YYYY-MM-DD"
  SourceDocument doc;
};

// Removes markup tags: "<a href='...'>PGOV</a>" -> "PGOV".
std::string StripTags(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool in_tag = false;
  for (char c : s) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>' && in_tag) {
      in_tag = false;
    } else if (!in_tag) {
      out.push_back(c);
    }
  }
  return out;
}

// Text of the first element after `from` opened by `open` and closed by
// `close`; advances *from past it. Empty when absent.
std::string Element(const std::string& page, const std::string& open,
                    const std::string& close, size_t* from) {
  const size_t a = page.find(open, *from);
  if (a == std::string::npos) return "";
  const size_t b = page.find(close, a + open.size());
  if (b == std::string::npos) return "";
  *from = b + close.size();
  return page.substr(a + open.size(), b - a - open.size());
}

// Link text of the first link whose href contains `href_part` after `from`.
std::string LinkText(const std::string& page, const std::string& href_part,
                     size_t from) {
  const size_t h = page.find(href_part, from);
  if (h == std::string::npos) return "";
  const size_t gt = page.find('>', h);
  const size_t lt = page.find('<', gt);
  if (gt == std::string::npos || lt == std::string::npos) return "";
  return DecodeHtmlEntities(page.substr(gt + 1, lt - gt - 1));
}

std::vector<Page> LoadCorpus() {
  std::vector<Page> pages;
  const std::filesystem::path root = std::filesystem::path(CABLES_SOURCE_DIR) /
                                     ".." / "shared" / "corpus" /
                                     "wikileaks-html";
  if (!std::filesystem::exists(root)) return pages;
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".html") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string page = ss.str();
    const size_t table = page.find("<table class='cable'>");
    if (table == std::string::npos) continue;
    Page p;
    p.id = path.stem().string();
    p.classification = LinkText(page, "/classification/", table);
    p.origin = LinkText(page, "/origin/", table);
    p.created_date = LinkText(page, "/date/", table).substr(0, 10);
    size_t from = table;
    const std::string header = Element(page, "<pre>", "</pre>", &from);
    const std::string body = Element(page, "<pre>", "</pre>", &from);
    p.doc.format = cables::v1::HTML;
    p.doc.header = DecodeHtmlEntities(StripTags(header));
    p.doc.body = DecodeHtmlEntities(StripTags(body));
    pages.push_back(std::move(p));
  }
  return pages;
}

const std::vector<Page>& Corpus() {
  static const std::vector<Page> pages = LoadCorpus();
  return pages;
}

std::string Dump(const Page& page, const cables::v1::Cable& c) {
  std::string out = absl::StrCat("=== ", page.id, "\n");
  absl::StrAppend(
      &out, "id: ", c.reference_id(), " / ", c.canonical_id(),
      "\ntransmission: ", c.transmission_id(),
      "\nclassification: ", c.classification(),
      "  [page: ", page.classification,
      "]\ncaveats: ", absl::StrJoin(c.caveats(), " | "),
      "\norigin: ", c.origin(), "  [page: ", page.origin, "]\ncreated: ",
      c.has_created()
          ? absl::FormatTime("%Y-%m-%d %H:%M",
                             absl::FromUnixSeconds(c.created().seconds()),
                             absl::UTCTimeZone())
          : "",
      "  [page: ", page.created_date, "]\n");
  absl::StrAppend(&out, "tags:");
  for (int i = 0; i < c.tags_size(); ++i) {
    absl::StrAppend(&out, " ", c.tags(i), "/",
                    cables::v1::TagKind_Name(c.tag_kinds(i)).substr(0, 3));
  }
  absl::StrAppend(&out, "\nsubject: ", c.subject(),
                  "\nclassified_by: ", absl::StrJoin(c.classified_by(), " | "),
                  "\nreasons: ", absl::StrJoin(c.classification_reasons(), " "),
                  "\ndecl: ", c.declassify_on(),
                  "\nsigners: ", absl::StrJoin(c.signers(), " | "),
                  "\nredacted: ", c.redacted() ? "yes" : "no", "\nrecipients:");
  for (const auto& r : c.recipients()) {
    absl::StrAppend(&out, "\n  ", cables::v1::Recipient::Kind_Name(r.kind()),
                    " ", r.route(), " / ", r.name(), " / ",
                    cables::v1::Recipient::Precedence_Name(r.precedence()),
                    " / ", r.mcn());
  }
  absl::StrAppend(&out, "\nsummary: ", c.summary(), "\nparagraphs:");
  for (const auto& p : c.paragraphs()) {
    absl::StrAppend(
        &out, "\n  [", p.number(), "] (", p.marking(), ") {", p.heading(), "} ",
        p.text().substr(0, 100), " ... ",
        p.text().size() > 60 ? p.text().substr(p.text().size() - 60) : "");
  }
  absl::StrAppend(&out, "\n");
  return out;
}

TEST(TelegramCorpusTest, CoverageAgreementAndThroughput) {
  const std::vector<Page>& pages = Corpus();
  if (pages.empty()) GTEST_SKIP() << "corpus not found";

  std::vector<cables::v1::Cable> cables(pages.size());
  size_t bytes = 0;
  for (const Page& p : pages) bytes += p.doc.header.size() + p.doc.body.size();
  constexpr int kRounds = 3;
  double best_seconds = 1e9;
  for (int round = 0; round < kRounds; ++round) {
    // Process CPU time: the machine is shared, wall time is not ours.
    const std::clock_t start = std::clock();
    for (size_t i = 0; i < pages.size(); ++i) {
      cables[i].Clear();
      AnalyzeTelegram(pages[i].doc, TelegramContext{}, &cables[i]);
    }
    const double s = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    best_seconds = std::min(best_seconds, s);
  }
  const double mb_per_s = bytes / 1e6 / best_seconds;

  std::map<std::string, int> count;
  std::map<std::string, int> unknown_tags;
  int class_agree = 0, origin_agree = 0, id_agree = 0, date_agree = 0;
  int origin_known = 0, date_known = 0;
  std::string dump;
  const char* dump_path = std::getenv("CABLES_TELEGRAM_DUMP");
  for (size_t i = 0; i < pages.size(); ++i) {
    const cables::v1::Cable& c = cables[i];
    const Page& p = pages[i];
    count["tags"] += c.tags_size() > 0;
    count["subject"] += !c.subject().empty();
    count["summary"] += !c.summary().empty();
    count["paragraphs"] += c.paragraphs_size() > 0;
    count["signers"] += c.signers_size() > 0;
    count["recipients"] += c.recipients_size() > 0;
    count["classified_by"] += c.classified_by_size() > 0;
    count["reasons"] += c.classification_reasons_size() > 0;
    count["declassify_on"] += !c.declassify_on().empty();
    count["transmission_id"] += !c.transmission_id().empty();
    count["caveats"] += c.caveats_size() > 0;
    count["created"] += c.has_created();
    count["origin"] += !c.origin().empty();
    count["canonical_id"] += !c.canonical_id().empty();
    count["redacted"] += c.redacted();
    for (int t = 0; t < c.tags_size(); ++t) {
      if (c.tag_kinds(t) == cables::v1::TAG_KIND_UNSPECIFIED) {
        ++unknown_tags[c.tags(t)];
      }
    }
    class_agree += c.classification() == p.classification;
    if (!c.origin().empty()) {
      ++origin_known;
      origin_agree += c.origin() == p.origin;
    }
    // Needs the real CanonicalizeCableId (cable_id.cc) to agree.
    id_agree += c.canonical_id() == p.id;
    if (c.has_created()) {
      ++date_known;
      date_agree +=
          absl::FormatTime("%Y-%m-%d",
                           absl::FromUnixSeconds(c.created().seconds()),
                           absl::UTCTimeZone()) == p.created_date;
    }
    if (dump_path != nullptr) dump += Dump(p, c);
  }
  if (dump_path != nullptr) std::ofstream(dump_path) << dump;

  const size_t n = pages.size();
  std::cout << "cables: " << n << ", bytes: " << bytes
            << ", AnalyzeTelegram: " << mb_per_s << " MB/s\n";
  for (const auto& [field, k] : count) {
    std::printf("  %-16s %5d  (%.1f%%)\n", field.c_str(), k, 100.0 * k / n);
  }
  std::printf("  classification agrees with page: %d\n", class_agree);
  std::printf("  origin agrees with page: %d of %d\n", origin_agree,
              origin_known);
  std::printf("  derived id agrees with file name: %d\n", id_agree);
  std::printf("  created date agrees with page: %d of %d\n", date_agree,
              date_known);
  std::cout << "  unknown tags:";
  for (const auto& [tag, k] : unknown_tags)
    std::cout << " " << tag << "(" << k << ")";
  std::cout << "\n";

  // Lower bounds verified on the 1,295-page corpus (values at the time of
  // writing in comments), with some slack for rule changes.
  ASSERT_EQ(n, 1295u);
  EXPECT_GE(count["tags"], 1285);             // 1294
  EXPECT_GE(count["subject"], 1275);          // 1284
  EXPECT_GE(count["summary"], 980);           // 1014
  EXPECT_GE(count["paragraphs"], 1270);       // 1281
  EXPECT_GE(count["signers"], 1140);          // 1170
  EXPECT_GE(count["recipients"], 1200);       // 1204 (91 pages have no header)
  EXPECT_GE(count["classified_by"], 1160);    // 1172
  EXPECT_GE(count["reasons"], 1140);          // 1155
  EXPECT_GE(count["declassify_on"], 1165);    // 1176
  EXPECT_GE(count["transmission_id"], 1115);  // 1120
  EXPECT_GE(count["created"], 1130);          // 1133
  EXPECT_GE(class_agree, 1270);   // 1277; the rest disagree in the data
  EXPECT_GE(origin_agree, 1200);  // 1203 (KIEV -> "Kyiv")
  EXPECT_EQ(date_agree, date_known);
  EXPECT_GE(id_agree, 1115);  // 1121, with cable_id.cc
  // Every tag in the corpus gets a kind except a few words that are no
  // codes (listed above).
  int unknown = 0;
  for (const auto& [tag, k] : unknown_tags) unknown += k;
  EXPECT_LE(unknown, 45);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && \
    defined(NDEBUG)
  // Target: >= 100 MB/s per core (measured ~130 MB/s in process CPU time
  // on the shared 2-core machine); the assertion leaves room for noise.
  EXPECT_GE(mb_per_s, 60.0);
#endif
}

}  // namespace
}  // namespace cables::parser
