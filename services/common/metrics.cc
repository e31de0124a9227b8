#include "services/common/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cables {
namespace {

bool ValidName(absl::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok =
        absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' ||
        (allow_colon && c == ':') ||
        (i > 0 && absl::ascii_isdigit(static_cast<unsigned char>(c)));
    if (!ok) return false;
  }
  return !absl::StartsWith(name, "__");
}

[[noreturn]] void Die(absl::string_view message) {
  std::fprintf(stderr, "metrics: %.*s\n", static_cast<int>(message.size()),
               message.data());
  std::abort();
}

void AtomicAdd(std::atomic<double>& target, double delta) {
  target.fetch_add(delta, std::memory_order_relaxed);
}

// Prometheus sample value: integers without exponent, +Inf/-Inf/NaN.
std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  // The shortest text that reads back as the same double.
  char buf[32];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

void AppendEscaped(std::string* out, absl::string_view s, bool quote) {
  for (const char c : s) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '"' && quote) {
      out->append("\\\"");
    } else {
      out->push_back(c);
    }
  }
}

// Appends `{a="x",b="y"}` (nothing when there are no labels).
void AppendLabels(
    std::string* out,
    const std::vector<std::pair<std::string, std::string>>& labels) {
  if (labels.empty()) return;
  out->push_back('{');
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out->push_back(',');
    first = false;
    absl::StrAppend(out, name, "=\"");
    AppendEscaped(out, value, /*quote=*/true);
    out->push_back('"');
  }
  out->push_back('}');
}

std::vector<std::pair<std::string, std::string>> Zip(
    const std::vector<std::string>& names,
    const std::vector<std::string>& values) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    out.emplace_back(names[i], i < values.size() ? values[i] : "");
  }
  return out;
}

void AppendSample(
    std::string* out, absl::string_view name,
    const std::vector<std::pair<std::string, std::string>>& labels,
    double value) {
  out->append(name.data(), name.size());
  AppendLabels(out, labels);
  absl::StrAppend(out, " ", FormatValue(value), "\n");
}

absl::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

void Counter::Increment(double delta) {
  if (delta > 0) AtomicAdd(value_, delta);
}

void Gauge::Add(double delta) { AtomicAdd(value_, delta); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end())) {
    Die("histogram bounds must be ascending");
  }
}

void Histogram::Observe(double value) {
  const size_t bucket =
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, value);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::BucketCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = buckets_[i].load(std::memory_order_relaxed);
  }
  return out;
}

MetricsRegistry& MetricsRegistry::Default() {
  static MetricsRegistry registry;  // trivially outlives every service
  return registry;
}

std::vector<double> MetricsRegistry::DefaultBuckets() {
  return {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
}

MetricsRegistry::Entry& MetricsRegistry::FindOrAdd(
    absl::string_view name, absl::string_view help, MetricType type,
    const std::vector<std::string>& labels) {
  if (!ValidName(name, /*allow_colon=*/true)) {
    Die(absl::StrCat("invalid metric name '", name, "'"));
  }
  for (const std::string& label : labels) {
    if (!ValidName(label, /*allow_colon=*/false) || label == "le") {
      Die(absl::StrCat("invalid label name '", label, "' of ", name));
    }
  }
  auto it = entries_.find(name);
  if (it != entries_.end()) {
    const Entry& e = it->second;
    const std::vector<std::string>* existing =
        e.counter     ? &e.counter->label_names()
        : e.gauge     ? &e.gauge->label_names()
        : e.histogram ? &e.histogram->label_names()
                      : nullptr;
    if (e.type != type || existing == nullptr || *existing != labels) {
      Die(absl::StrCat("metric '", name,
                       "' registered twice with different types or labels"));
    }
    return it->second;
  }
  Entry& entry = entries_[std::string(name)];
  entry.help = std::string(help);
  entry.type = type;
  return entry;
}

template <typename T>
MetricFamily<T>& MetricsRegistry::AddFamily(
    absl::string_view name, absl::string_view help, MetricType type,
    std::vector<std::string> label_names,
    std::unique_ptr<MetricFamily<T>> Entry::*member,
    typename MetricFamily<T>::Factory factory) {
  absl::MutexLock lock(&mu_);
  Entry& entry = FindOrAdd(name, help, type, label_names);
  std::unique_ptr<MetricFamily<T>>& family = entry.*member;
  if (family == nullptr) {
    family = std::make_unique<MetricFamily<T>>(std::move(label_names),
                                               std::move(factory));
    // A family without labels shows its 0 before the first increment.
    if (family->label_names().empty()) family->Get();
  }
  return *family;
}

MetricFamily<Counter>& MetricsRegistry::AddCounter(
    absl::string_view name, absl::string_view help,
    std::vector<std::string> label_names) {
  return AddFamily<Counter>(name, help, MetricType::kCounter,
                            std::move(label_names), &Entry::counter,
                            [] { return std::make_unique<Counter>(); });
}

MetricFamily<Gauge>& MetricsRegistry::AddGauge(
    absl::string_view name, absl::string_view help,
    std::vector<std::string> label_names) {
  return AddFamily<Gauge>(name, help, MetricType::kGauge,
                          std::move(label_names), &Entry::gauge,
                          [] { return std::make_unique<Gauge>(); });
}

MetricFamily<Histogram>& MetricsRegistry::AddHistogram(
    absl::string_view name, absl::string_view help,
    std::vector<std::string> label_names, std::vector<double> bounds) {
  return AddFamily<Histogram>(
      name, help, MetricType::kHistogram, std::move(label_names),
      &Entry::histogram,
      [bounds] { return std::make_unique<Histogram>(bounds); });
}

void MetricsRegistry::AddCallback(absl::string_view name,
                                  absl::string_view help, MetricType type,
                                  Callback callback) {
  if (type == MetricType::kHistogram) Die("callback histograms unsupported");
  if (!ValidName(name, /*allow_colon=*/true)) {
    Die(absl::StrCat("invalid metric name '", name, "'"));
  }
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(name);
  if (it != entries_.end() && it->second.callback == nullptr) {
    Die(absl::StrCat("metric '", name, "' registered twice"));
  }
  Entry& entry = entries_[std::string(name)];
  entry.help = std::string(help);
  entry.type = type;
  entry.callback = std::make_shared<const Callback>(std::move(callback));
}

std::string MetricsRegistry::Expose() const {
  // Snapshot the entries; callbacks run without the registry lock.
  struct View {
    std::string name;
    const Entry* entry;
    std::shared_ptr<const Callback> callback;
  };
  std::vector<View> views;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [name, entry] : entries_) {
      views.push_back({name, &entry, entry.callback});
    }
  }
  std::string out;
  for (const View& view : views) {
    const Entry& entry = *view.entry;  // entries are never removed
    absl::StrAppend(&out, "# HELP ", view.name, " ");
    AppendEscaped(&out, entry.help, /*quote=*/false);
    absl::StrAppend(&out, "\n# TYPE ", view.name, " ", TypeName(entry.type),
                    "\n");
    if (view.callback != nullptr) {
      std::vector<Sample> samples = (*view.callback)();
      std::sort(
          samples.begin(), samples.end(),
          [](const Sample& a, const Sample& b) { return a.labels < b.labels; });
      for (const Sample& sample : samples) {
        AppendSample(&out, view.name, sample.labels, sample.value);
      }
    } else if (entry.counter != nullptr) {
      const auto& names = entry.counter->label_names();
      entry.counter->ForEach(
          [&](const std::vector<std::string>& values, const Counter& c) {
            AppendSample(&out, view.name, Zip(names, values), c.value());
          });
    } else if (entry.gauge != nullptr) {
      const auto& names = entry.gauge->label_names();
      entry.gauge->ForEach(
          [&](const std::vector<std::string>& values, const Gauge& g) {
            AppendSample(&out, view.name, Zip(names, values), g.value());
          });
    } else if (entry.histogram != nullptr) {
      const auto& names = entry.histogram->label_names();
      entry.histogram->ForEach(
          [&](const std::vector<std::string>& values, const Histogram& h) {
            // _count is the +Inf bucket, so the two agree even while other
            // threads observe.
            const std::vector<uint64_t> counts = h.BucketCounts();
            uint64_t cumulative = 0;
            auto labels = Zip(names, values);
            const std::string bucket_name = view.name + "_bucket";
            for (size_t i = 0; i < h.bounds().size(); ++i) {
              cumulative += counts[i];
              auto with_le = labels;
              with_le.emplace_back("le", FormatValue(h.bounds()[i]));
              AppendSample(&out, bucket_name, with_le, cumulative);
            }
            cumulative += counts.back();
            auto with_inf = labels;
            with_inf.emplace_back("le", "+Inf");
            AppendSample(&out, bucket_name, with_inf, cumulative);
            AppendSample(&out, view.name + "_sum", labels, h.sum());
            AppendSample(&out, view.name + "_count", labels, cumulative);
          });
    }
  }
  return out;
}

}  // namespace cables
