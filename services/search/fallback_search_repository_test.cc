#include "services/search/fallback_search_repository.h"

#include <atomic>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace cables::search {
namespace {

// Answers every call with `status` (or a response naming itself).
class FakeRepository final : public storage::SearchRepository {
 public:
  explicit FakeRepository(std::string name) : name_(std::move(name)) {}

  absl::StatusOr<storage::SearchResponse> Search(
      const storage::SearchRequest&, storage::SearchCancellation*) override {
    ++calls;
    if (!status.ok()) return status;
    storage::SearchResponse response;
    response.backend = backend;
    storage::SearchHit hit;
    hit.canonical_id = name_;
    response.hits.push_back(hit);
    return response;
  }
  absl::StatusOr<std::vector<storage::Suggestion>> Suggest(
      absl::string_view, int, absl::Time,
      storage::SearchCancellation*) override {
    ++calls;
    if (!status.ok()) return status;
    return std::vector<storage::Suggestion>{{name_, "", {}}};
  }
  absl::StatusOr<std::vector<storage::SearchHit>> Similar(
      const storage::SimilarRequest&, storage::SearchCancellation*) override {
    ++calls;
    if (!status.ok()) return status;
    storage::SearchHit hit;
    hit.canonical_id = name_;
    return std::vector<storage::SearchHit>{hit};
  }
  absl::Status Ping() override { return ping; }

  absl::Status status;
  absl::Status ping;
  std::string backend;
  int calls = 0;

 private:
  std::string name_;
};

class FallbackTest : public ::testing::Test {
 protected:
  FallbackTest()
      : index_("index"),
        database_("database"),
        repository_(
            &index_, [this] { return ready_.load(); }, &database_) {
    index_.backend = "index";
  }

  std::string First(const storage::SearchRequest& request) {
    auto r = repository_.Search(request, nullptr);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() && !r->hits.empty() ? r->hits[0].canonical_id : "";
  }

  FakeRepository index_;
  FakeRepository database_;
  std::atomic<bool> ready_{false};
  FallbackSearchRepository repository_;
};

TEST_F(FallbackTest, DatabaseUntilTheIndexIsReady) {
  storage::SearchRequest request;
  EXPECT_EQ(First(request), "database");
  auto r = repository_.Search(request, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->backend, "postgres");
  ready_ = true;
  EXPECT_EQ(First(request), "index");
  EXPECT_EQ((*repository_.Suggest("05", 5, absl::InfiniteFuture(), nullptr))[0]
                .canonical_id,
            "index");
  EXPECT_EQ((*repository_.Similar({}, nullptr))[0].canonical_id, "index");
}

TEST_F(FallbackTest, IndexFailuresRetryOnTheDatabase) {
  ready_ = true;
  storage::SearchRequest request;
  index_.status = absl::DataLossError("corrupt");
  EXPECT_EQ(First(request), "database");
  index_.status = absl::InternalError("xapian");
  EXPECT_EQ(First(request), "database");
  // Request errors are the answer.
  index_.status = absl::InvalidArgumentError("page_token: bad");
  EXPECT_EQ(repository_.Search(request, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  index_.status = absl::DeadlineExceededError("late");
  EXPECT_EQ(repository_.Search(request, nullptr).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  // Similar of a cable the index has not seen yet asks the database.
  index_.status = absl::NotFoundError("not yet");
  EXPECT_EQ((*repository_.Similar({}, nullptr))[0].canonical_id, "database");
}

TEST_F(FallbackTest, PageTokensStayWithTheirBackend) {
  storage::SearchRequest request;
  request.page_token = absl::WebSafeBase64Escape("s1|abc|1|05X1");
  ready_ = true;
  EXPECT_EQ(First(request), "database");
  request.page_token = absl::WebSafeBase64Escape("x1|abc|0|1|05X1");
  EXPECT_EQ(First(request), "index");
  ready_ = false;
  auto r = repository_.Search(request, nullptr);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(database_.calls, 1);
}

TEST_F(FallbackTest, WithoutAnIndexAndHealth) {
  FakeRepository database("database");
  FallbackSearchRepository none(nullptr, nullptr, &database);
  auto r = none.Search({}, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->hits[0].canonical_id, "database");
  database.ping = absl::UnavailableError("down");
  EXPECT_EQ(none.Ping().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cables::search
