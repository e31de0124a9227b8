#include "services/common/bounded_executor.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace cables {
namespace {

TEST(BoundedExecutorTest, RunsEverySubmittedTask) {
  std::atomic<int> ran{0};
  {
    BoundedExecutor executor(2, 100);
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(executor.TrySubmit([&ran] { ++ran; }));
    }
  }  // destructor drains
  EXPECT_EQ(ran.load(), 50);
}

TEST(BoundedExecutorTest, RefusesWhenTheQueueIsFull) {
  absl::Notification release;
  BoundedExecutor executor(1, 2);
  ASSERT_TRUE(executor.TrySubmit([&release] { release.WaitForNotification(); }));
  // The worker may or may not have taken the first task yet: fill up to the
  // bound, then one more must be refused.
  int accepted = 0;
  for (int i = 0; i < 4; ++i) accepted += executor.TrySubmit([] {}) ? 1 : 0;
  EXPECT_LE(accepted, 2);
  EXPECT_GE(accepted, 1);
  EXPECT_FALSE(executor.TrySubmit([] {}));
  release.Notify();
}

}  // namespace
}  // namespace cables
