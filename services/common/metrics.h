// MetricsRegistry: Prometheus counters, gauges and histograms with labels,
// and their text exposition (format 0.0.4, served at GET /metrics).
//
// A metric family is registered once by name (AddCounter/AddGauge/
// AddHistogram return the existing family when called again with the same
// name, type and label names); its children are looked up by label values.
// Children are never removed, so the pointers returned by Labels() stay valid
// as long as the registry: cache them on hot paths (an increment is then one
// atomic add). Scrape-time values (process metrics, pool usage) are registered
// as callbacks.
//
// Example:
//   auto& handled = MetricsRegistry::Default().AddCounter(
//       "cables_ingested_total", "Cables ingested.", {"outcome"});
//   handled.Labels({"created"})->Increment();
//
// Thread-safe. Registering a family with an invalid name, or the same name
// with another type or label names, is a programming error: it aborts.
#ifndef CABLES_SERVICES_COMMON_METRICS_H_
#define CABLES_SERVICES_COMMON_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace cables {

// A monotonically increasing value.
class Counter final {
 public:
  // REQUIRES: delta >= 0 (negative deltas are ignored).
  void Increment(double delta = 1);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down.
class Gauge final {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into cumulative buckets with upper bounds.
class Histogram final {
 public:
  // `bounds` ascending; the +Inf bucket is implicit.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  const std::vector<double>& bounds() const { return bounds_; }
  // Per bucket (not cumulative), bounds().size() + 1 entries.
  std::vector<uint64_t> BucketCounts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

enum class MetricType { kCounter, kGauge, kHistogram };

// Label names and the children of one metric, keyed by label values.
template <typename T>
class MetricFamily final {
 public:
  using Factory = std::function<std::unique_ptr<T>()>;
  MetricFamily(std::vector<std::string> label_names, Factory factory)
      : label_names_(std::move(label_names)), factory_(std::move(factory)) {}

  // The child with these label values (created on first use). Values beyond
  // or missing from the label names are dropped / empty.
  T* Labels(const std::vector<std::string>& values) {
    std::vector<std::string> key = values;
    key.resize(label_names_.size());
    absl::MutexLock lock(&mu_);
    std::unique_ptr<T>& child = children_[key];
    if (child == nullptr) child = factory_();
    return child.get();
  }
  // The child without labels (or with all labels empty).
  T* Get() { return Labels({}); }

  const std::vector<std::string>& label_names() const { return label_names_; }

  // Calls fn(label values, child) for each child in label order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    absl::MutexLock lock(&mu_);
    for (const auto& [values, child] : children_) fn(values, *child);
  }

 private:
  const std::vector<std::string> label_names_;
  const Factory factory_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> children_
      ABSL_GUARDED_BY(mu_);
};

class MetricsRegistry final {
 public:
  // One sample of a callback metric.
  struct Sample {
    std::vector<std::pair<std::string, std::string>> labels;
    double value = 0;
  };
  using Callback = std::function<std::vector<Sample>()>;

  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // The process-wide registry every service exposes.
  static MetricsRegistry& Default();

  MetricFamily<Counter>& AddCounter(absl::string_view name,
                                    absl::string_view help,
                                    std::vector<std::string> label_names = {});
  MetricFamily<Gauge>& AddGauge(absl::string_view name, absl::string_view help,
                                std::vector<std::string> label_names = {});
  // `bounds`: bucket upper bounds, ascending (default: DefaultBuckets()).
  MetricFamily<Histogram>& AddHistogram(
      absl::string_view name, absl::string_view help,
      std::vector<std::string> label_names = {},
      std::vector<double> bounds = DefaultBuckets());

  // A counter or gauge whose samples `callback` computes at scrape time
  // (called without registry locks held; must be thread-safe). Replaces a
  // callback registered earlier under the same name.
  void AddCallback(absl::string_view name, absl::string_view help,
                   MetricType type, Callback callback);

  // The Prometheus text exposition of every metric, sorted by name.
  std::string Expose() const;

  // Prometheus' default buckets (seconds): .005 .01 .025 .05 .1 .25 .5 1
  // 2.5 5 10.
  static std::vector<double> DefaultBuckets();

  // The exposition's Content-Type.
  static constexpr absl::string_view kContentType =
      "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Entry {
    std::string help;
    MetricType type;
    std::unique_ptr<MetricFamily<Counter>> counter;
    std::unique_ptr<MetricFamily<Gauge>> gauge;
    std::unique_ptr<MetricFamily<Histogram>> histogram;
    std::shared_ptr<const Callback> callback;
  };
  Entry& FindOrAdd(absl::string_view name, absl::string_view help,
                   MetricType type, const std::vector<std::string>& labels)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  template <typename T>
  MetricFamily<T>& AddFamily(absl::string_view name, absl::string_view help,
                             MetricType type,
                             std::vector<std::string> label_names,
                             std::unique_ptr<MetricFamily<T>> Entry::*member,
                             typename MetricFamily<T>::Factory factory);

  mutable absl::Mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cables

#endif  // CABLES_SERVICES_COMMON_METRICS_H_
