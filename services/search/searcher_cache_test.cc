// Searcher's result cache: hits while the version stays, misses after it
// moves, never caches errors or version 0, keeps the three methods apart.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/lru_cache.h"
#include "services/search/searcher.h"

namespace cables::search {
namespace {

// Counts calls; answers with one hit named after the call count.
class CountingRepository final : public storage::SearchRepository {
 public:
  absl::StatusOr<storage::SearchResponse> Search(
      const storage::SearchRequest&, storage::SearchCancellation*) override {
    ++calls;
    if (!status.ok()) return status;
    storage::SearchResponse response;
    storage::SearchHit hit;
    hit.canonical_id = "09STATE" + std::to_string(calls);
    response.hits.push_back(hit);
    response.total = calls;
    return response;
  }
  absl::StatusOr<std::vector<storage::Suggestion>> Suggest(
      absl::string_view, int, absl::Time,
      storage::SearchCancellation*) override {
    ++calls;
    return std::vector<storage::Suggestion>{{"09STATE1", "", {}}};
  }
  absl::StatusOr<std::vector<storage::SearchHit>> Similar(
      const storage::SimilarRequest&, storage::SearchCancellation*) override {
    ++calls;
    return std::vector<storage::SearchHit>{};
  }
  absl::Status Ping() override { return absl::OkStatus(); }

  absl::Status status;
  int calls = 0;
};

class SearcherCacheTest : public ::testing::Test {
 protected:
  SearcherCacheTest()
      : cache_(1 << 20),
        searcher_(&repository_, &cache_, [this] { return version_; }) {}

  absl::StatusOr<cables::v1::SearchCablesResponse> Search(
      const std::string& query) {
    cables::v1::SearchCablesRequest request;
    request.set_query(query);
    return searcher_.Search(request, absl::InfiniteFuture(), nullptr);
  }

  CountingRepository repository_;
  LruCache cache_;
  uint64_t version_ = 1;
  Searcher searcher_;
};

TEST_F(SearcherCacheTest, HitsUntilTheVersionMoves) {
  auto first = Search("nuclear");
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = Search("nuclear");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(repository_.calls, 1);
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  ASSERT_TRUE(Search("uranium").ok());  // another request: computed
  EXPECT_EQ(repository_.calls, 2);
  version_ = 2;  // the index committed: computed afresh
  auto after = Search("nuclear");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(repository_.calls, 3);
  EXPECT_EQ(after->total_size(), 3);
}

TEST_F(SearcherCacheTest, VersionZeroAndErrorsAreNotCached) {
  version_ = 0;
  ASSERT_TRUE(Search("nuclear").ok());
  ASSERT_TRUE(Search("nuclear").ok());
  EXPECT_EQ(repository_.calls, 2);
  version_ = 5;
  repository_.status = absl::UnavailableError("down");
  EXPECT_FALSE(Search("nuclear").ok());
  repository_.status = absl::OkStatus();
  EXPECT_TRUE(Search("nuclear").ok());
  EXPECT_EQ(repository_.calls, 4);
  // Invalid requests never reach the repository or the cache.
  EXPECT_EQ(Search("\"unclosed").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(repository_.calls, 4);
}

TEST_F(SearcherCacheTest, MethodsHaveTheirOwnEntries) {
  cables::v1::SuggestCablesRequest suggest;
  suggest.set_prefix("09STA");
  ASSERT_TRUE(searcher_.Suggest(suggest, absl::InfiniteFuture(), nullptr).ok());
  ASSERT_TRUE(searcher_.Suggest(suggest, absl::InfiniteFuture(), nullptr).ok());
  EXPECT_EQ(repository_.calls, 1);
  cables::v1::SimilarCablesRequest similar;
  similar.set_name("cables/09STATE1");
  ASSERT_TRUE(searcher_.Similar(similar, absl::InfiniteFuture(), nullptr).ok());
  EXPECT_EQ(repository_.calls, 2);
  EXPECT_EQ(cache_.stats().entries, 2u);
}

}  // namespace
}  // namespace cables::search
