// IndexSearchRepository over a real on-disk CableIndex (no PostgreSQL):
// paging, ordering, totals, facets (exact and sampled), pinned ids,
// deadlines, suggestions and similar cables.
#include "services/search/index/index_search_repository.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/search/query_parser.h"
#include "storage/testing/test_cables.h"

namespace cables::search::index {
namespace {

namespace fs = std::filesystem;
using storage::SearchOrder;
using ::testing::HasSubstr;

std::string Id(int i) { return absl::StrFormat("07TESTPOST%d", i); }

class IndexSearchRepositoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        absl::StrCat("index_search_test_", getpid()));
    fs::remove_all(*dir_);
    auto index = CableIndex::Open(dir_->string());
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = index->release();
    // 300 cables: every one says "report"; "nuclear" i % 7 + 1 times in
    // every third; tags cycle; dates spread over 2003..2008; cable 0 has
    // no date. Cable 5 has "nuclear" in its subject.
    for (int i = 0; i < 300; ++i) {
      cables::v1::Cable c = storage::testing::MakeCable(
          Id(i),
          i == 0 ? ""
                 : absl::StrFormat("%04d-%02d-%02d", 2003 + i % 6, 1 + i % 12,
                                   1 + i % 28),
          "a report");
      std::string body = "report ";
      if (i % 3 == 0) {
        for (int k = 0; k < i % 7 + 1; ++k) absl::StrAppend(&body, "nuclear ");
      }
      if (i == 42) absl::StrAppend(&body, "zeppelin harbour ");
      if (i == 43) absl::StrAppend(&body, "zeppelin harbour customs ");
      c.set_body(body);
      c.clear_tags();
      c.add_tags(i % 2 == 0 ? "PGOV" : "PREL");
      if (i % 5 == 0) c.add_tags("KNNP");
      c.set_subject(i == 5 ? "NUCLEAR MATTERS AGAINST PROLIFERATION"
                           : absl::StrCat("REPORT ", i));
      c.clear_references();
      if (i == 44) c.add_references()->set_id(Id(42));
      ASSERT_TRUE(index_->Put(c).ok());
    }
    ASSERT_TRUE(index_->Commit(IndexState{1, "test", "", true}).ok());
  }

  static void TearDownTestSuite() {
    delete index_;
    fs::remove_all(*dir_);
    delete dir_;
  }

  static storage::SearchRequest Request(
      const std::string& query, SearchOrder order = SearchOrder::kRelevance,
      int page_size = 7) {
    storage::SearchRequest request;
    auto parsed = ParseSearchQuery(query);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    if (parsed.ok()) request.query = *parsed;
    request.order = order;
    request.page_size = page_size;
    return request;
  }

  // Every page's hits, in order.
  static std::vector<storage::SearchHit> All(IndexSearchRepository& repo,
                                             storage::SearchRequest request) {
    std::vector<storage::SearchHit> hits;
    for (int page = 0; page < 200; ++page) {
      auto r = repo.Search(request, nullptr);
      EXPECT_TRUE(r.ok()) << r.status();
      if (!r.ok()) break;
      EXPECT_EQ(r->backend, "index");
      for (auto& h : r->hits) hits.push_back(h);
      if (r->next_page_token.empty()) break;
      request.page_token = r->next_page_token;
    }
    return hits;
  }

  static fs::path* dir_;
  static CableIndex* index_;
};

fs::path* IndexSearchRepositoryTest::dir_ = nullptr;
CableIndex* IndexSearchRepositoryTest::index_ = nullptr;

TEST_F(IndexSearchRepositoryTest, RelevancePagesAreOrderedWithoutRepeats) {
  IndexSearchRepository repo(index_);
  // Every third cable, and cable 5 (in its subject only).
  const auto hits = All(repo, Request("nuclear"));
  ASSERT_EQ(hits.size(), 101u);
  std::set<std::string> ids;
  for (size_t i = 0; i < hits.size(); ++i) {
    EXPECT_TRUE(ids.insert(hits[i].canonical_id).second);
    if (i > 0) {
      EXPECT_TRUE(hits[i - 1].score > hits[i].score ||
                  (hits[i - 1].score == hits[i].score &&
                   hits[i - 1].canonical_id < hits[i].canonical_id))
          << i;
    }
  }
  // The subject match ranks first.
  EXPECT_EQ(hits[0].canonical_id, Id(5));
  // Ties cross the first page's end (equal counts of the word, equal
  // lengths; docids are not in id order): the page is re-matched in id
  // order above the tied weight, and the total still counts every match.
  auto first = repo.Search(Request("nuclear"), nullptr);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->hits.size(), 7u);
  EXPECT_EQ(first->total, 101);
  EXPECT_FALSE(first->total_is_estimate);
  for (size_t i = 0; i < first->hits.size(); ++i) {
    EXPECT_EQ(first->hits[i].canonical_id, hits[i].canonical_id) << i;
  }
  EXPECT_EQ(hits[6].score, hits[7].score);  // the tie across the end
  // Snippets mark the word.
  ASSERT_FALSE(hits[1].snippets.empty());
  EXPECT_THAT(hits[1].snippets[0].text, HasSubstr("[[nuclear]]"));
}

// A tie across the first page's end that goes on past the extra cables
// fetched is matched again in id order: the same pages.
TEST_F(IndexSearchRepositoryTest, ATieLongerThanTheWindowIsMatchedAgain) {
  IndexSearchRepository wide(index_);
  IndexSearchOptions narrow_options;
  narrow_options.tie_window = 1;
  IndexSearchRepository narrow(index_, narrow_options);
  for (const char* query : {"nuclear", "report"}) {
    const auto expected = All(wide, Request(query));
    // The tie at the end of page one (7 cables) reaches past the window.
    ASSERT_GT(expected.size(), 9u);
    EXPECT_EQ(expected[6].score, expected[8].score) << query;
    const auto hits = All(narrow, Request(query));
    ASSERT_EQ(hits.size(), expected.size()) << query;
    for (size_t i = 0; i < hits.size(); ++i) {
      EXPECT_EQ(hits[i].canonical_id, expected[i].canonical_id)
          << query << " " << i;
    }
    auto first = narrow.Search(Request(query), nullptr);
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_EQ(first->total, static_cast<int64_t>(expected.size())) << query;
  }
}

TEST_F(IndexSearchRepositoryTest, DateOrderBothWaysAndUndatedFirst) {
  IndexSearchRepository repo(index_);
  const auto asc = All(repo, Request("report", SearchOrder::kOldestFirst));
  ASSERT_EQ(asc.size(), 300u);
  EXPECT_EQ(asc[0].canonical_id, Id(0));
  for (size_t i = 2; i < asc.size(); ++i) {
    EXPECT_LE(*asc[i - 1].created, *asc[i].created);
  }
  const auto desc = All(repo, Request("report", SearchOrder::kNewestFirst));
  ASSERT_EQ(desc.size(), 300u);
  EXPECT_EQ(desc.back().canonical_id, Id(0));
  for (size_t i = 1; i + 1 < desc.size(); ++i) {
    EXPECT_GE(*desc[i - 1].created, *desc[i].created);
  }
  // A query without words is newest first.
  const auto tags = All(repo, Request("tag:KNNP"));
  ASSERT_EQ(tags.size(), 60u);
  EXPECT_GE(*tags[0].created, *tags[1].created);
}

TEST_F(IndexSearchRepositoryTest, TotalsAndPinnedIds) {
  IndexSearchRepository repo(index_);
  auto r = repo.Search(Request("nuclear", SearchOrder::kRelevance, 5), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 101);
  EXPECT_FALSE(r->total_is_estimate);
  IndexSearchRepository small(index_, {.exact_count_limit = 10});
  r = small.Search(Request("report", SearchOrder::kRelevance, 5), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->total_is_estimate);
  // Date order: later pages still count everything.
  auto request = Request("tag:KNNP", SearchOrder::kNewestFirst, 5);
  r = repo.Search(request, nullptr);
  ASSERT_TRUE(r.ok());
  request.page_token = r->next_page_token;
  r = repo.Search(request, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 60);

  // A query that is an id: that cable first, then the rest.
  r = repo.Search(Request("07 TESTPOST 43", SearchOrder::kRelevance, 3),
                  nullptr);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].canonical_id, Id(43));
  EXPECT_GE(r->total, 1);
}

TEST_F(IndexSearchRepositoryTest, FacetsExactOrSampled) {
  IndexSearchRepository repo(index_);
  auto request = Request("report");
  request.facets = true;
  auto r = repo.Search(request, nullptr);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_facets);
  EXPECT_FALSE(r->facets_are_estimate);
  EXPECT_EQ(r->total, 300);
  std::map<std::string, int64_t> tags;
  for (const auto& t : r->tags) tags[t.value] = t.count;
  EXPECT_EQ(tags["PGOV"], 150);
  EXPECT_EQ(tags["PREL"], 150);
  EXPECT_EQ(tags["KNNP"], 60);
  int64_t years = 0;
  for (const auto& y : r->years) years += y.count;
  EXPECT_EQ(years, 299);  // one cable has no date
  ASSERT_EQ(r->origins.size(), 1u);
  EXPECT_EQ(r->origins[0].count, 300);

  IndexSearchRepository sampled(
      index_, {.facet_exact_limit = 100, .facet_sample = 150});
  r = sampled.Search(request, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->facets_are_estimate);
  EXPECT_TRUE(r->total_is_estimate);
  EXPECT_NEAR(r->total, 300, 90);
  tags.clear();
  for (const auto& t : r->tags) tags[t.value] = t.count;
  EXPECT_NEAR(tags["PGOV"], 150, 60);
}

TEST_F(IndexSearchRepositoryTest, BadTokensDeadlinesAndCancellation) {
  IndexSearchRepository repo(index_);
  auto request = Request("nuclear", SearchOrder::kRelevance, 2);
  auto r = repo.Search(request, nullptr);
  ASSERT_TRUE(r.ok());
  request.page_token = r->next_page_token;
  request.order = SearchOrder::kOldestFirst;
  r = repo.Search(request, nullptr);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("page_token"));
  request.page_token = "garbage";
  EXPECT_EQ(repo.Search(request, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.page_token.clear();
  request.page_size = 0;
  EXPECT_EQ(repo.Search(request, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);

  request.page_size = 5;
  request.deadline = absl::Now() - absl::Seconds(1);
  EXPECT_EQ(repo.Search(request, nullptr).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  request.deadline = absl::InfiniteFuture();
  storage::SearchCancellation cancelled;
  cancelled.Cancel();
  EXPECT_EQ(repo.Search(request, &cancelled).status().code(),
            absl::StatusCode::kCancelled);
}

TEST_F(IndexSearchRepositoryTest, SuggestIdsThenSubjects) {
  IndexSearchRepository repo(index_);
  auto s = repo.Suggest("07testpost4", 3, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->size(), 3u);
  EXPECT_EQ((*s)[0].canonical_id, Id(4));  // shortest first
  EXPECT_EQ((*s)[0].kind, storage::Suggestion::Kind::kId);
  s = repo.Suggest("nuclear mat", 5, absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ((*s)[0].canonical_id, Id(5));
  EXPECT_EQ((*s)[0].kind, storage::Suggestion::Kind::kSubject);
  // A prefix that runs past its word's stem ("prolifer"), and one of a stop
  // word, complete the subject's words as written.
  for (const char* typed :
       {"nuclear prolifera", "nuclear matters agai", "proliferatio"}) {
    s = repo.Suggest(typed, 5, absl::InfiniteFuture(), nullptr);
    ASSERT_TRUE(s.ok());
    ASSERT_EQ(s->size(), 1u) << typed;
    EXPECT_EQ((*s)[0].canonical_id, Id(5)) << typed;
  }
  EXPECT_EQ(
      repo.Suggest("x", 0, absl::InfiniteFuture(), nullptr).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(IndexSearchRepositoryTest, SimilarUsesRareTermsAndReferences) {
  IndexSearchRepository repo(index_);
  storage::SimilarRequest request;
  request.id = Id(42);
  request.limit = 3;
  auto similar = repo.Similar(request, nullptr);
  ASSERT_TRUE(similar.ok()) << similar.status();
  ASSERT_GE(similar->size(), 2u);
  std::set<std::string> ids;
  for (const auto& h : *similar) ids.insert(h.canonical_id);
  EXPECT_TRUE(ids.count(Id(43)));  // shares the rare words
  EXPECT_TRUE(ids.count(Id(44)));  // cites it
  EXPECT_FALSE(ids.count(Id(42)));
  request.id = "99NOWHERE1";
  EXPECT_EQ(repo.Similar(request, nullptr).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(IndexSearchRepositoryTest, NewCablesBetweenPagesDoNotRepeatResults) {
  // A private index: this test writes.
  const fs::path dir =
      *dir_ / ".." / absl::StrCat("index_search_test_w_", getpid());
  fs::remove_all(dir);
  auto opened = CableIndex::Open(dir.string());
  ASSERT_TRUE(opened.ok());
  std::unique_ptr<CableIndex> index = *std::move(opened);
  auto put = [&](int i) {
    cables::v1::Cable c = storage::testing::MakeCable(
        Id(i), absl::StrFormat("2004-%02d-01", 1 + i % 12), "crop report");
    ASSERT_TRUE(index->Put(c).ok());
  };
  for (int i = 0; i < 40; ++i) put(i);
  ASSERT_TRUE(index->Commit({1, "t", "", true}).ok());
  IndexSearchRepository repo(index.get());
  for (const SearchOrder order :
       {SearchOrder::kNewestFirst, SearchOrder::kRelevance}) {
    auto request = Request("crop", order, 10);
    std::set<std::string> seen;
    for (int page = 0; page < 20; ++page) {
      auto r = repo.Search(request, nullptr);
      ASSERT_TRUE(r.ok()) << r.status();
      for (const auto& h : r->hits) {
        EXPECT_TRUE(seen.insert(h.canonical_id).second) << h.canonical_id;
      }
      if (r->next_page_token.empty()) break;
      request.page_token = r->next_page_token;
      put(100 + page);  // arrives between pages
      ASSERT_TRUE(index->Commit({2 + page, "t", "", true}).ok());
    }
    EXPECT_GE(seen.size(), 40u);
  }
  index.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cables::search::index
