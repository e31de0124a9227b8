#include "services/search/search_vector_fill_loop.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace cables::search {
namespace {

// An in-memory backlog; records the calls.
class FakeFiller final : public storage::SearchVectorFiller {
 public:
  absl::StatusOr<int> Fill(int limit, storage::SearchCancellation*) override {
    absl::MutexLock lock(&mu_);
    calls_.push_back(absl::StrCat("fill ", limit));
    if (!fill_error_.ok()) return fill_error_;
    const int n = static_cast<int>(std::min<int64_t>(limit, pending_));
    pending_ -= n;
    return n;
  }
  absl::StatusOr<int64_t> CountPending() override {
    absl::MutexLock lock(&mu_);
    return pending_;
  }
  absl::Status DeferIndex() override {
    absl::MutexLock lock(&mu_);
    calls_.push_back("defer");
    deferred_ = true;
    return absl::OkStatus();
  }
  absl::StatusOr<int> RestoreIndex(storage::SearchCancellation*) override {
    absl::MutexLock lock(&mu_);
    calls_.push_back("restore");
    const int rebuilt = deferred_ ? 1 : 0;
    deferred_ = false;
    return rebuilt;
  }

  void Add(int64_t n) {
    absl::MutexLock lock(&mu_);
    pending_ += n;
  }
  void set_fill_error(absl::Status s) {
    absl::MutexLock lock(&mu_);
    fill_error_ = std::move(s);
  }
  std::vector<std::string> TakeCalls() {
    absl::MutexLock lock(&mu_);
    return std::move(calls_);
  }
  int64_t pending() {
    absl::MutexLock lock(&mu_);
    return pending_;
  }

 private:
  absl::Mutex mu_;
  int64_t pending_ ABSL_GUARDED_BY(mu_) = 0;
  bool deferred_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status fill_error_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> calls_ ABSL_GUARDED_BY(mu_);
};

SearchVectorFillOptions Small() {
  SearchVectorFillOptions options;
  options.batch = 10;
  options.bulk_batch = 100;
  options.bulk_threshold = 50;
  options.poll_interval = absl::Milliseconds(5);
  options.retry_interval = absl::Milliseconds(5);
  return options;
}

using Calls = std::vector<std::string>;

TEST(SearchVectorFillLoopTest, ASmallBacklogIsFilledWithTheIndexInPlace) {
  FakeFiller filler;
  SearchVectorFillLoop loop(&filler, Small());
  ASSERT_TRUE(loop.RunRound().ok());  // first round: heals a left index
  EXPECT_EQ(filler.TakeCalls(), Calls({"restore"}));
  filler.Add(25);
  ASSERT_TRUE(loop.RunRound().ok());  // growing: an import may be running
  EXPECT_EQ(filler.TakeCalls(), Calls());
  ASSERT_TRUE(loop.RunRound().ok());  // settled
  EXPECT_EQ(filler.TakeCalls(), Calls({"fill 10", "fill 10", "fill 10"}));
  EXPECT_EQ(filler.pending(), 0);
  EXPECT_EQ(loop.filled(), 25);
}

TEST(SearchVectorFillLoopTest, ALargeBacklogDefersTheIndexAndRebuildsIt) {
  FakeFiller filler;
  SearchVectorFillLoop loop(&filler, Small());
  ASSERT_TRUE(loop.RunRound().ok());
  filler.TakeCalls();
  filler.Add(60);
  ASSERT_TRUE(loop.RunRound().ok());  // growing
  filler.Add(90);
  ASSERT_TRUE(loop.RunRound().ok());  // still growing
  EXPECT_EQ(filler.TakeCalls(), Calls());
  ASSERT_TRUE(loop.RunRound().ok());
  EXPECT_EQ(filler.TakeCalls(),
            Calls({"defer", "fill 100", "fill 100", "restore"}));
  EXPECT_EQ(loop.filled(), 150);
  ASSERT_TRUE(loop.RunRound().ok());  // nothing to do
  EXPECT_EQ(filler.TakeCalls(), Calls());
}

TEST(SearchVectorFillLoopTest, AnEndlessImportIsFilledAfterTheSettleWait) {
  FakeFiller filler;
  SearchVectorFillOptions options = Small();
  options.max_settle_wait = absl::Milliseconds(30);
  SearchVectorFillLoop loop(&filler, options);
  ASSERT_TRUE(loop.RunRound().ok());
  filler.TakeCalls();
  filler.Add(5);
  ASSERT_TRUE(loop.RunRound().ok());
  EXPECT_EQ(filler.TakeCalls(), Calls());
  absl::SleepFor(absl::Milliseconds(40));
  filler.Add(5);
  ASSERT_TRUE(loop.RunRound().ok());
  EXPECT_EQ(filler.TakeCalls(), Calls({"fill 10", "fill 10"}));
}

// Waits up to 5 s for `done`.
template <typename F>
bool Eventually(F done) {
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (absl::Now() < until) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(2));
  }
  return done();
}

TEST(SearchVectorFillLoopTest, TheThreadFillsAndRetriesAfterErrors) {
  FakeFiller filler;
  filler.set_fill_error(absl::UnavailableError("database down"));
  SearchVectorFillLoop loop(&filler, Small());
  filler.Add(30);
  loop.Start();
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(loop.filled(), 0);
  filler.set_fill_error(absl::OkStatus());
  ASSERT_TRUE(Eventually([&] { return loop.filled() == 30; }));
  loop.Stop();
  EXPECT_FALSE(loop.stopped_for_good());
}

TEST(SearchVectorFillLoopTest, GivesUpOnAReadOnlyDatabase) {
  FakeFiller filler;
  filler.set_fill_error(absl::FailedPreconditionError("read-only"));
  filler.Add(5);
  SearchVectorFillLoop loop(&filler, Small());
  loop.Start();
  ASSERT_TRUE(Eventually([&] { return loop.stopped_for_good(); }));
  loop.Stop();
}

TEST(SearchVectorFillLoopTest, StopsPromptly) {
  FakeFiller filler;
  SearchVectorFillOptions options = Small();
  options.poll_interval = absl::Hours(1);
  SearchVectorFillLoop loop(&filler, options);
  loop.Start();
  absl::SleepFor(absl::Milliseconds(20));
  const absl::Time start = absl::Now();
  loop.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

}  // namespace
}  // namespace cables::search
