#include "services/common/metrics.h"

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/process_metrics.h"

namespace cables {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, CounterWithLabels) {
  MetricsRegistry registry;
  auto& family = registry.AddCounter("cables_ingested_total",
                                     "Cables ingested.", {"outcome"});
  family.Labels({"created"})->Increment();
  family.Labels({"created"})->Increment(2);
  family.Labels({"unchanged"})->Increment();
  family.Labels({"created"})->Increment(-5);  // ignored
  // Same name, type and labels: the same family.
  EXPECT_EQ(&registry.AddCounter("cables_ingested_total", "x", {"outcome"}),
            &family);
  EXPECT_EQ(registry.Expose(),
            "# HELP cables_ingested_total Cables ingested.\n"
            "# TYPE cables_ingested_total counter\n"
            "cables_ingested_total{outcome=\"created\"} 3\n"
            "cables_ingested_total{outcome=\"unchanged\"} 1\n");
}

TEST(MetricsTest, UnlabelledShowsZeroAndEscapes) {
  MetricsRegistry registry;
  registry.AddGauge("a_gauge", "Help with \\ and\nnewline.");
  registry.AddGauge("b_gauge", "B.", {"path"}).Labels({"a\"b\\c\nd"})->Set(1.5);
  EXPECT_EQ(registry.Expose(),
            "# HELP a_gauge Help with \\\\ and\\nnewline.\n"
            "# TYPE a_gauge gauge\n"
            "a_gauge 0\n"
            "# HELP b_gauge B.\n"
            "# TYPE b_gauge gauge\n"
            "b_gauge{path=\"a\\\"b\\\\c\\nd\"} 1.5\n");
}

TEST(MetricsTest, Histogram) {
  MetricsRegistry registry;
  auto* h =
      registry.AddHistogram("latency_seconds", "Latency.", {"m"}, {0.1, 1})
          .Labels({"x"});
  h->Observe(0.05);
  h->Observe(0.1);  // le is inclusive
  h->Observe(0.5);
  h->Observe(7);
  EXPECT_EQ(registry.Expose(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{m=\"x\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{m=\"x\",le=\"1\"} 3\n"
            "latency_seconds_bucket{m=\"x\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{m=\"x\"} 7.65\n"
            "latency_seconds_count{m=\"x\"} 4\n");
}

TEST(MetricsTest, DefaultBucketsPrintShort) {
  MetricsRegistry registry;
  registry.AddHistogram("h_seconds", "H.");
  const std::string text = registry.Expose();
  EXPECT_THAT(text, HasSubstr("h_seconds_bucket{le=\"0.005\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("h_seconds_bucket{le=\"2.5\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("h_seconds_count 0\n"));
}

TEST(MetricsTest, CallbacksAndConcurrency) {
  MetricsRegistry registry;
  registry.AddCallback("pool_waiters", "Waiters.", MetricType::kGauge, [] {
    return std::vector<MetricsRegistry::Sample>{{{{"pool", "1"}}, 2},
                                                {{{"pool", "0"}}, 5}};
  });
  auto* counter = registry.AddCounter("c_total", "C.").Get();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) counter->Increment();
    });
  }
  for (auto& t : threads) t.join();
  const std::string text = registry.Expose();
  EXPECT_THAT(text, HasSubstr("c_total 40000\n"));
  EXPECT_THAT(
      text,
      HasSubstr("pool_waiters{pool=\"0\"} 5\npool_waiters{pool=\"1\"} 2\n"));
}

TEST(MetricsTest, ProcessMetrics) {
  MetricsRegistry registry;
  RegisterProcessMetrics(&registry);
  RegisterProcessMetrics(&registry);  // idempotent
  const std::string text = registry.Expose();
  for (const char* name :
       {"process_cpu_seconds_total", "process_resident_memory_bytes",
        "process_open_fds", "process_start_time_seconds", "process_max_fds",
        "process_virtual_memory_bytes"}) {
    EXPECT_THAT(text, HasSubstr(std::string("\n") + name + " ")) << name;
  }
  EXPECT_THAT(text, ::testing::Not(HasSubstr("process_open_fds 0\n")));
}

TEST(MetricsDeathTest, ConflictingRegistration) {
  MetricsRegistry registry;
  registry.AddCounter("x_total", "X.", {"a"});
  EXPECT_DEATH(registry.AddGauge("x_total", "X.", {"a"}), "registered twice");
  EXPECT_DEATH(registry.AddCounter("x_total", "X.", {"b"}), "registered twice");
  EXPECT_DEATH(registry.AddCounter("bad-name", "X."), "invalid metric name");
  EXPECT_DEATH(registry.AddCounter("y_total", "X.", {"le"}), "invalid label");
}

}  // namespace
}  // namespace cables
