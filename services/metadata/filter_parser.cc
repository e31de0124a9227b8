#include "services/metadata/filter_parser.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cables::metadata {
namespace {

enum class Op { kEq, kHas, kGe, kGt, kLe, kLt };

class Scanner {
 public:
  explicit Scanner(absl::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }
  size_t pos() const { return pos_; }

  absl::Status Error(size_t at, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("filter: at position ", at + 1, ": ", what));
  }

  // A bare word: letters, digits, '_', '-', '.'.
  std::string Word() {
    SkipSpace();
    const size_t start = pos_;
    while (pos_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (!absl::ascii_isalnum(c) && c != '_' && c != '-' && c != '.' &&
          c != '+') {
        break;
      }
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  absl::StatusOr<Op> Operator() {
    SkipSpace();
    const size_t at = pos_;
    auto next = [&](char c) {
      return pos_ + 1 < text_.size() && text_[pos_ + 1] == c;
    };
    if (pos_ >= text_.size()) return Error(at, "expected an operator");
    switch (text_[pos_]) {
      case '=':
        ++pos_;
        return Op::kEq;
      case ':':
        ++pos_;
        return Op::kHas;
      case '>':
        if (next('=')) {
          pos_ += 2;
          return Op::kGe;
        }
        ++pos_;
        return Op::kGt;
      case '<':
        if (next('=')) {
          pos_ += 2;
          return Op::kLe;
        }
        ++pos_;
        return Op::kLt;
      case '!':
        return Error(at, "operator != is not supported yet");
      default:
        return Error(at, "expected an operator (=, :, >=, >, <=, <)");
    }
  }

  absl::StatusOr<std::string> Value() {
    SkipSpace();
    const size_t at = pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ++pos_;
      std::string out;
      while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
        out.push_back(text_[pos_++]);
      }
      if (pos_ >= text_.size()) return Error(at, "unterminated string");
      ++pos_;
      return out;
    }
    std::string word = Word();
    if (word.empty()) return Error(at, "expected a value");
    return word;
  }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
};

struct TimeValue {
  absl::Time time;
  bool whole_day = false;
};

std::optional<TimeValue> ParseTimeValue(const std::string& value) {
  TimeValue out;
  std::string err;
  if (absl::ParseTime("%Y-%m-%d", value, absl::UTCTimeZone(), &out.time,
                      &err)) {
    out.whole_day = true;
    return out;
  }
  if (absl::ParseTime(absl::RFC3339_full, value, &out.time, &err)) return out;
  return std::nullopt;
}

void NarrowFrom(storage::CableFilter* f, absl::Time t) {
  if (!f->created_from || *f->created_from < t) f->created_from = t;
}
void NarrowUntil(storage::CableFilter* f, absl::Time t) {
  if (!f->created_until || *f->created_until > t) f->created_until = t;
}

}  // namespace

absl::StatusOr<storage::CableFilter> ParseCableFilter(
    absl::string_view filter) {
  storage::CableFilter out;
  Scanner s(filter);
  bool first = true;
  while (!s.AtEnd()) {
    if (!first) {
      const size_t at = s.pos();
      const std::string conj = s.Word();
      if (conj == "OR") {
        return s.Error(at, "OR is not supported yet");
      }
      if (conj != "AND") return s.Error(at, "expected AND");
      if (s.AtEnd()) return s.Error(s.pos(), "expected a term after AND");
    }
    first = false;
    const size_t term_at = s.pos();
    if (filter[term_at] == '-') {
      return s.Error(term_at, "negation is not supported yet");
    }
    const std::string field = s.Word();
    if (field.empty()) return s.Error(term_at, "expected a field name");
    if (field == "NOT") return s.Error(term_at, "NOT is not supported yet");
    s.SkipSpace();
    const size_t op_at = s.pos();
    auto op = s.Operator();
    if (!op.ok()) return op.status();
    s.SkipSpace();
    const size_t value_at = s.pos();
    auto value = s.Value();
    if (!value.ok()) return value.status();
    if (field == "origin" || field == "classification") {
      if (*op != Op::kEq && *op != Op::kHas) {
        return s.Error(op_at, absl::StrCat(field, " takes = or :"));
      }
      std::string& slot = field == "origin" ? out.origin : out.classification;
      if (!slot.empty() && slot != *value) {
        return s.Error(term_at, absl::StrCat("two different ", field,
                                             " values are not supported yet"));
      }
      slot = *value;
    } else if (field == "tags" || field == "caveats") {
      if (*op != Op::kHas) {
        return s.Error(op_at, absl::StrCat(field, " takes :"));
      }
      auto& list = field == "tags" ? out.tags : out.caveats;
      if (std::find(list.begin(), list.end(), *value) == list.end()) {
        list.push_back(*value);
      }
    } else if (field == "created") {
      if (*op == Op::kHas) return s.Error(op_at, "created takes a comparison");
      const auto t = ParseTimeValue(*value);
      if (!t) {
        return s.Error(value_at,
                       "created needs \"YYYY-MM-DD\" or an RFC 3339 time");
      }
      // For a whole day, "after" means from the next day on.
      const absl::Duration step =
          t->whole_day ? absl::Hours(24) : absl::Microseconds(1);
      switch (*op) {
        case Op::kEq:
          NarrowFrom(&out, t->time);
          NarrowUntil(&out, t->time + step);
          break;
        case Op::kGe:
          NarrowFrom(&out, t->time);
          break;
        case Op::kGt:
          NarrowFrom(&out, t->time + step);
          break;
        case Op::kLe:
          NarrowUntil(&out, t->time + step);
          break;
        case Op::kLt:
          NarrowUntil(&out, t->time);
          break;
        case Op::kHas:
          break;
      }
    } else if (field == "partial" || field == "redacted" ||
               field == "released") {
      return s.Error(term_at, absl::StrCat("filtering on ", field,
                                           " is not supported yet"));
    } else {
      return s.Error(term_at, absl::StrCat("unknown field \"", field, "\""));
    }
  }
  return out;
}

}  // namespace cables::metadata
