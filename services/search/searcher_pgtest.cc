// Golden tests of the search service over the 1,295 real cables: each
// query's right answer is computed here by brute force over the parsed text
// (subject and body, split into words), independently of PostgreSQL's
// full-text machinery, and compared with what search returns across all
// pages.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/error_details.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/search/searcher.h"
#include "storage/pg_cable_repository.h"
#include "storage/search/pg_search_repository.h"
#include "storage/testing/test_cables.h"
#include "storage/testing/test_database.h"

namespace cables::search {
namespace {

namespace fs = std::filesystem;
using cables::v1::Cable;
using cables::v1::SearchCablesRequest;
using cables::v1::SearchCablesResponse;
using ::testing::HasSubstr;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Lower-case words ([a-z0-9]+) of a text.
std::vector<std::string> Words(absl::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (const char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      current.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

struct Doc {
  std::string id;
  std::vector<std::string> subject_words;
  std::vector<std::string> body_words;
  std::set<std::string> tags;
  std::optional<absl::Time> created;
};

class SearcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = storage::testing::TestDatabase::Create("search");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = db->release();
    storage::ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 2;
    auto cables = storage::PgCableRepository::Open(options);
    ASSERT_TRUE(cables.ok()) << cables.status();

    const fs::path root = fs::path(CABLES_SOURCE_DIR) / ".." / "shared" /
                          "corpus" / "wikileaks-html";
    std::vector<fs::path> pages;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().extension() == ".html") pages.push_back(entry.path());
    }
    std::sort(pages.begin(), pages.end());
    ASSERT_GT(pages.size(), 1000u);
    std::vector<Cable> batch;
    docs_ = new std::vector<Doc>();
    for (const fs::path& page : pages) {
      auto cable = parser::ParseCable(ReadFile(page));
      if (!cable.ok()) continue;
      Doc doc;
      doc.id = cable->canonical_id();
      doc.subject_words = Words(cable->subject());
      doc.body_words = Words(cable->body());
      doc.tags.insert(cable->tags().begin(), cable->tags().end());
      if (cable->has_created()) {
        doc.created = absl::FromUnixSeconds(cable->created().seconds());
      }
      docs_->push_back(std::move(doc));
      batch.push_back(*std::move(cable));
      if (batch.size() == 200) {
        ASSERT_TRUE((*cables)->BulkUpsert(batch, "corpus").ok());
        batch.clear();
      }
    }
    // Two synthetic cables: the same rare word in a subject and in a body.
    Cable in_subject = storage::testing::MakeCable("10TESTPOST1", "2010-01-01",
                                                   "nothing special here");
    in_subject.set_subject("ZYZZOGETON REPORT");
    storage::testing::RehashCable(in_subject);
    Cable in_body = storage::testing::MakeCable("10TESTPOST2", "2010-01-02",
                                                "a zyzzogeton appeared");
    in_body.set_body(absl::StrCat(in_body.body(), "\nzyzzogeton\n"));
    storage::testing::RehashCable(in_body);
    batch.push_back(in_subject);
    batch.push_back(in_body);
    ASSERT_TRUE((*cables)->BulkUpsert(batch, "corpus").ok());
    ASSERT_TRUE(db_->Query("ANALYZE").ok());

    auto search = storage::PgSearchRepository::Open(options);
    ASSERT_TRUE(search.ok()) << search.status();
    repository_ = search->release();
    searcher_ = new Searcher(repository_);
  }

  static void TearDownTestSuite() {
    delete searcher_;
    delete repository_;
    delete docs_;
    delete db_;
  }

  // Every result id over all pages (checks no duplicates across pages).
  static std::vector<std::string> AllIds(const std::string& query,
                                         const std::string& order = "") {
    std::vector<std::string> ids;
    std::set<std::string> seen;
    SearchCablesRequest request;
    request.set_query(query);
    request.set_page_size(7);  // many pages
    request.set_order_by(order);
    for (int page = 0; page < 1000; ++page) {
      auto response =
          searcher_->Search(request, absl::InfiniteFuture(), nullptr);
      EXPECT_TRUE(response.ok()) << query << ": " << response.status();
      if (!response.ok()) break;
      for (const auto& r : response->results()) {
        EXPECT_TRUE(seen.insert(r.canonical_id()).second)
            << query << ": duplicate " << r.canonical_id();
        ids.push_back(r.canonical_id());
      }
      if (response->next_page_token().empty()) break;
      request.set_page_token(response->next_page_token());
    }
    return ids;
  }

  static std::set<std::string> Sorted(const std::vector<std::string>& ids) {
    return std::set<std::string>(ids.begin(), ids.end());
  }

  template <typename Pred>
  static std::set<std::string> Brute(Pred pred) {
    std::set<std::string> out;
    for (const Doc& d : *docs_) {
      if (pred(d)) out.insert(d.id);
    }
    return out;
  }

  static bool HasWord(const Doc& d, absl::string_view w) {
    return std::find(d.subject_words.begin(), d.subject_words.end(), w) !=
               d.subject_words.end() ||
           std::find(d.body_words.begin(), d.body_words.end(), w) !=
               d.body_words.end();
  }

  static bool HasPhrase(const std::vector<std::string>& words,
                        absl::string_view a, absl::string_view b) {
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      if (words[i] == a && words[i + 1] == b) return true;
    }
    return false;
  }

  static storage::testing::TestDatabase* db_;
  static storage::PgSearchRepository* repository_;
  static Searcher* searcher_;
  static std::vector<Doc>* docs_;
};

storage::testing::TestDatabase* SearcherTest::db_ = nullptr;
storage::PgSearchRepository* SearcherTest::repository_ = nullptr;
Searcher* SearcherTest::searcher_ = nullptr;
std::vector<Doc>* SearcherTest::docs_ = nullptr;

TEST_F(SearcherTest, SingleRareWordsMatchBruteForce) {
  for (const char* word : {"uranium", "hezbollah", "erdogan", "piracy"}) {
    const auto expected = Brute([&](const Doc& d) { return HasWord(d, word); });
    EXPECT_FALSE(expected.empty()) << word;
    EXPECT_EQ(Sorted(AllIds(word)), expected) << word;
  }
}

TEST_F(SearcherTest, BooleanOperatorsMatchBruteForce) {
  EXPECT_EQ(Sorted(AllIds("uranium OR plutonium")), Brute([](const Doc& d) {
              return HasWord(d, "uranium") || HasWord(d, "plutonium");
            }));
  EXPECT_EQ(Sorted(AllIds("uranium plutonium")), Brute([](const Doc& d) {
              return HasWord(d, "uranium") && HasWord(d, "plutonium");
            }));
  EXPECT_EQ(Sorted(AllIds("uranium -plutonium")), Brute([](const Doc& d) {
              return HasWord(d, "uranium") && !HasWord(d, "plutonium");
            }));
  EXPECT_EQ(Sorted(AllIds("uranium NOT plutonium")),
            Sorted(AllIds("uranium -plutonium")));
  EXPECT_EQ(Sorted(AllIds("(uranium OR plutonium) hezbollah")),
            Brute([](const Doc& d) {
              return (HasWord(d, "uranium") || HasWord(d, "plutonium")) &&
                     HasWord(d, "hezbollah");
            }));
}

TEST_F(SearcherTest, PhraseMatchesBruteForce) {
  const auto expected = Brute([](const Doc& d) {
    return HasPhrase(d.subject_words, "human", "rights") ||
           HasPhrase(d.body_words, "human", "rights");
  });
  EXPECT_GT(expected.size(), 10u);
  EXPECT_EQ(Sorted(AllIds("\"human rights\"")), expected);
}

TEST_F(SearcherTest, FieldsAndDatesMatchBruteForce) {
  EXPECT_EQ(Sorted(AllIds("tag:PTER")),
            Brute([](const Doc& d) { return d.tags.count("PTER") > 0; }));
  EXPECT_EQ(Sorted(AllIds("tag:pter uranium")), Brute([](const Doc& d) {
              return d.tags.count("PTER") > 0 && HasWord(d, "uranium");
            }));
  const absl::Time from =
      absl::FromCivil(absl::CivilMonth(2005, 1), absl::UTCTimeZone());
  const absl::Time until =
      absl::FromCivil(absl::CivilMonth(2005, 7), absl::UTCTimeZone());
  EXPECT_EQ(Sorted(AllIds("created:2005-01..2005-06")),
            Brute([&](const Doc& d) {
              return d.created.has_value() && *d.created >= from &&
                     *d.created < until;
            }));
  const absl::Time y2009 =
      absl::FromCivil(absl::CivilYear(2009), absl::UTCTimeZone());
  EXPECT_EQ(Sorted(AllIds("created>=2009 nuclear")), Brute([&](const Doc& d) {
              return d.created.has_value() && *d.created >= y2009 &&
                     HasWord(d, "nuclear");
            }));
  EXPECT_EQ(Sorted(AllIds("subject:(zyzzogeton)")),
            std::set<std::string>({"10TESTPOST1"}));
}

TEST_F(SearcherTest, IdPrefixAndIdQuery) {
  const auto expected =
      Brute([](const Doc& d) { return absl::StartsWith(d.id, "05MADRID"); });
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(Sorted(AllIds("id:05MADRID*")), expected);
  // A query that is a cable id, in any written form, finds it first.
  const std::string target = *expected.begin();
  for (const std::string& q :
       {target, absl::StrCat(target.substr(0, 2), " MADRID ", target.substr(8)),
        absl::AsciiStrToLower(target)}) {
    SearchCablesRequest request;
    request.set_query(q);
    auto response = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
    ASSERT_TRUE(response.ok()) << response.status();
    ASSERT_GT(response->results_size(), 0) << q;
    EXPECT_EQ(response->results(0).canonical_id(), target) << q;
    EXPECT_EQ(response->results(0).name(), "cables/" + target);
  }
}

TEST_F(SearcherTest, SubjectMatchesRankAboveBodyMatches) {
  const auto ids = AllIds("zyzzogeton");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], "10TESTPOST1");
}

TEST_F(SearcherTest, RelevanceIsOrderedAndDateOrderIsByDate) {
  SearchCablesRequest request;
  request.set_query("nuclear");
  request.set_page_size(50);
  auto response = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(response.ok()) << response.status();
  for (int i = 1; i < response->results_size(); ++i) {
    EXPECT_GE(response->results(i - 1).score(), response->results(i).score());
  }
  request.set_order_by("created desc");
  response = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(response.ok()) << response.status();
  for (int i = 1; i < response->results_size(); ++i) {
    EXPECT_GE(response->results(i - 1).created().seconds(),
              response->results(i).created().seconds());
  }
  // The same set whatever the order.
  EXPECT_EQ(Sorted(AllIds("uranium", "created")), Sorted(AllIds("uranium")));
}

TEST_F(SearcherTest, ResultsCarrySnippetsWithParagraphNumbers) {
  SearchCablesRequest request;
  request.set_query("uranium");
  request.set_page_size(10);
  auto response = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_GT(response->results_size(), 0);
  int numbered = 0;
  for (const auto& r : response->results()) {
    EXPECT_FALSE(r.subject().empty() && r.origin().empty());
    ASSERT_GT(r.snippets_size(), 0) << r.canonical_id();
    for (const auto& s : r.snippets()) {
      EXPECT_THAT(absl::AsciiStrToLower(s.text()), HasSubstr("[[uranium"));
      EXPECT_LE(s.text().size(), 410u);
      if (s.paragraph_number() > 0) ++numbered;
    }
  }
  EXPECT_GT(numbered, 0);
}

TEST_F(SearcherTest, FacetsAndTotals) {
  const auto expected =
      Brute([](const Doc& d) { return HasWord(d, "uranium"); });
  SearchCablesRequest request;
  request.set_query("uranium");
  request.set_facets(true);
  auto response = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->total_size(), static_cast<int64_t>(expected.size()));
  EXPECT_FALSE(response->total_is_estimate());
  ASSERT_GT(response->facets().tags_size(), 0);
  const std::string top_tag = response->facets().tags(0).value();
  int64_t brute = 0;
  for (const Doc& d : *docs_) {
    if (expected.count(d.id) && d.tags.count(top_tag)) ++brute;
  }
  EXPECT_EQ(response->facets().tags(0).count(), brute);
  int64_t year_sum = 0;
  for (const auto& y : response->facets().years()) year_sum += y.count();
  EXPECT_LE(year_sum, response->total_size());
  EXPECT_GT(response->facets().classifications_size(), 0);
  EXPECT_GT(response->facets().origins_size(), 0);
  // Without facets, the total is still exact for small result sets.
  request.set_facets(false);
  response = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->total_size(), static_cast<int64_t>(expected.size()));
}

TEST_F(SearcherTest, BadRequestsNameTheField) {
  SearchCablesRequest request;
  request.set_query("(iran");
  auto response = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
  ASSERT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("position 6"));
  cables::v1::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(response.status(), &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "query");

  // A page token of another query is refused.
  request.set_query("nuclear");
  request.set_page_size(2);
  response = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(response.ok());
  ASSERT_FALSE(response->next_page_token().empty());
  request.set_page_token(response->next_page_token());
  request.set_query("uranium");
  response = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
  ASSERT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(GetBadRequest(response.status(), &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "page_token");
  request.set_page_token("garbage!");
  EXPECT_EQ(searcher_->Search(request, absl::InfiniteFuture(), nullptr)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  request.set_page_token("");
  request.set_order_by("sideways");
  EXPECT_EQ(searcher_->Search(request, absl::InfiniteFuture(), nullptr)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SearcherTest, DeadlinesAndCancellation) {
  SearchCablesRequest request;
  request.set_query("government");
  auto response =
      searcher_->Search(request, absl::Now() - absl::Seconds(1), nullptr);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded);
  storage::SearchCancellation cancellation;
  cancellation.Cancel();
  response = searcher_->Search(request, absl::InfiniteFuture(), &cancellation);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kCancelled);
}

TEST_F(SearcherTest, SuggestIdsAndSubjects) {
  cables::v1::SuggestCablesRequest request;
  request.set_prefix("05mad");
  auto response = searcher_->Suggest(request, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_GT(response->suggestions_size(), 0);
  for (const auto& s : response->suggestions()) {
    EXPECT_EQ(s.kind(), "id");
    EXPECT_TRUE(absl::StartsWith(s.canonical_id(), "05MADRID"));
  }
  request.set_prefix("nuclear pro");
  response = searcher_->Suggest(request, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(response.ok()) << response.status();
  const auto expected = Brute([](const Doc& d) {
    bool pro = false;
    for (const auto& w : d.subject_words) pro |= absl::StartsWith(w, "pro");
    return pro && std::find(d.subject_words.begin(), d.subject_words.end(),
                            "nuclear") != d.subject_words.end();
  });
  EXPECT_GT(response->suggestions_size(), 0);
  for (const auto& s : response->suggestions()) {
    EXPECT_EQ(s.kind(), "subject");
    EXPECT_TRUE(expected.count(s.canonical_id())) << s.subject();
  }
}

TEST_F(SearcherTest, SimilarCables) {
  SearchCablesRequest request;
  request.set_query("uranium enrichment");
  auto found = searcher_->Search(request, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(found.ok());
  ASSERT_GT(found->results_size(), 0);
  const std::string source = found->results(0).canonical_id();
  cables::v1::SimilarCablesRequest similar;
  similar.set_name("cables/" + source);
  auto response = searcher_->Similar(similar, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_GT(response->results_size(), 0);
  for (const auto& r : response->results()) EXPECT_NE(r.canonical_id(), source);
  similar.set_name("cables/99NOWHERE1");
  EXPECT_EQ(searcher_->Similar(similar, absl::InfiniteFuture(), nullptr)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cables::search
