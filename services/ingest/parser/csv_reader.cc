#include "services/ingest/parser/csv_reader.h"

#include <cstring>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "services/ingest/parser/container_time.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

constexpr size_t npos = absl::string_view::npos;
// Longest first field a resynchronisation point may have ("251287").
constexpr size_t kMaxFirstFieldLength = 64;
// Field buffer capacity kept between fields (see EndField); more is freed.
constexpr size_t kMaxKeptFieldCapacity = 1 << 20;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

enum class Match { kYes, kNo, kNeedMore };

// Does a record start at data[p] (a line start)? '"' + a short field without
// newline or backslash + '","', or digits + ',"'.
Match RecordStartAt(absl::string_view data, size_t p, bool finished) {
  const Match more = finished ? Match::kNo : Match::kNeedMore;
  if (p >= data.size()) return more;
  size_t i = p;
  if (data[i] == '"') {
    ++i;
    const size_t limit = p + 1 + kMaxFirstFieldLength;
    while (i < data.size() && i < limit && data[i] != '"') {
      if (data[i] == '\n' || data[i] == '\\') return Match::kNo;
      ++i;
    }
    if (i >= data.size()) return more;
    if (data[i] != '"') return Match::kNo;
    ++i;
  } else if (IsDigit(data[i])) {
    while (i < data.size() && IsDigit(data[i]) && i - p < kMaxFirstFieldLength)
      ++i;
    if (i >= data.size()) return more;
  } else {
    return Match::kNo;
  }
  if (i + 2 > data.size()) {
    return data.substr(i) == "," || data.substr(i).empty() ? more : Match::kNo;
  }
  return data[i] == ',' && data[i + 1] == '"' ? Match::kYes : Match::kNo;
}

bool IsAllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// The second field of the record starting at data[p] (a quoted field after
// the first ',' ), or nullopt.
std::optional<absl::string_view> SecondField(absl::string_view data, size_t p) {
  const size_t comma = data.find(',', p);
  if (comma == npos || comma - p > kMaxFirstFieldLength + 2)
    return std::nullopt;
  if (comma + 1 >= data.size() || data[comma + 1] != '"') return std::nullopt;
  const size_t close = data.find('"', comma + 2);
  if (close == npos || close - comma > 40) return std::nullopt;
  return data.substr(comma + 2, close - comma - 2);
}

}  // namespace

CsvReader::CsvReader(CsvReaderOptions options) : options_(options) {}

void CsvReader::Feed(absl::string_view chunk) {
  Compact();
  buffer_.append(chunk.data(), chunk.size());
  data_ = buffer_;
}

void CsvReader::SetWholeInput(absl::string_view data) {
  external_ = true;
  data_ = data;
  finished_ = true;
}

void CsvReader::Finish() { finished_ = true; }

bool CsvReader::done() const {
  return finished_ && pos_ >= data_.size() && mode_ != Mode::kInRow;
}

void CsvReader::Compact() {
  if (external_) return;
  const size_t keep = mode_ == Mode::kInRow ? row_start_ : pos_;
  if (keep == 0) return;
  buffer_.erase(0, keep);
  base_offset_ += static_cast<int64_t>(keep);
  pos_ -= keep;
  row_start_ = row_start_ >= keep ? row_start_ - keep : 0;
  data_ = buffer_;
}

bool CsvReader::Next(CsvRecord* record) {
  for (;;) {
    if (mode_ == Mode::kResync) {
      if (!Resync()) return false;
      continue;
    }
    if (mode_ == Mode::kRowStart) {
      while (pos_ < data_.size() &&
             (data_[pos_] == '\n' || data_[pos_] == '\r'))
        ++pos_;
      if (pos_ >= data_.size()) return false;
      row_start_ = pos_;
      mode_ = Mode::kInRow;
      state_ = FieldState::kStart;
      fields_.clear();
      field_.clear();
    }
    return ScanRow(record);
  }
}

void CsvReader::EndField() {
  // A copy, not a move: field_ keeps its capacity for the next fields, so a
  // long field costs one exact allocation instead of a series of regrowths.
  fields_.emplace_back(field_);
  field_.clear();
  if (field_.capacity() > kMaxKeptFieldCapacity) std::string().swap(field_);
}

bool CsvReader::EndRecord(size_t end, CsvRecord* record) {
  pos_ = end;
  mode_ = Mode::kRowStart;
  record->row = ++rows_;
  record->offset = base_offset_ + static_cast<int64_t>(row_start_);
  record->size = static_cast<int64_t>(end - row_start_);
  record->fields.swap(fields_);
  fields_.clear();
  const size_t found = record->fields.size();
  if (options_.expected_fields > 0 &&
      found != static_cast<size_t>(options_.expected_fields)) {
    record->status = absl::InvalidArgumentError(absl::StrFormat(
        "row %d (byte offset %d): expected %d fields, found %d", record->row,
        record->offset, options_.expected_fields, found));
  } else {
    record->status = absl::OkStatus();
  }
  return true;
}

bool CsvReader::FailRow(size_t at, absl::string_view problem,
                        CsvRecord* record) {
  record->row = ++rows_;
  record->offset = base_offset_ + static_cast<int64_t>(row_start_);
  record->size = static_cast<int64_t>(at - row_start_);
  record->fields.clear();
  record->status = absl::InvalidArgumentError(absl::StrFormat(
      "row %d (byte offset %d): %s", record->row, record->offset, problem));
  fields_.clear();
  field_.clear();
  // Look for the next record from the line after this record's first line.
  mode_ = Mode::kResync;
  const size_t nl = data_.find('\n', row_start_);
  pos_ = nl == npos ? data_.size() : nl + 1;
  resync_at_line_start_ = nl != npos;
  return true;
}

bool CsvReader::Resync() {
  const size_t n = data_.size();
  for (;;) {
    if (!resync_at_line_start_) {
      const size_t nl = pos_ < n ? data_.find('\n', pos_) : npos;
      if (nl == npos) {
        pos_ = n;
        if (finished_) mode_ = Mode::kRowStart;
        return false;
      }
      pos_ = nl + 1;
      resync_at_line_start_ = true;
    }
    if (pos_ >= n) {
      if (finished_) mode_ = Mode::kRowStart;
      return false;
    }
    switch (RecordStartAt(data_, pos_, finished_)) {
      case Match::kYes:
        mode_ = Mode::kRowStart;
        return true;
      case Match::kNeedMore:
        return false;
      case Match::kNo:
        resync_at_line_start_ = false;
        break;
    }
  }
}

bool CsvReader::ScanRow(CsvRecord* record) {
  const char* d = data_.data();
  const size_t n = data_.size();
  size_t i = pos_;
  while (i < n) {
    if (i - row_start_ > options_.max_record_bytes) {
      return FailRow(i,
                     absl::StrFormat("record longer than %d bytes (a quote "
                                     "never closed?)",
                                     options_.max_record_bytes),
                     record);
    }
    switch (state_) {
      case FieldState::kStart: {
        const char c = d[i];
        if (c == '"') {
          state_ = FieldState::kQuoted;
          ++i;
        } else if (c == ',') {
          EndField();
          ++i;
        } else if (c == '\n') {
          EndField();
          return EndRecord(i + 1, record);
        } else if (c == '\r' && i + 1 < n && d[i + 1] == '\n') {
          ++i;
        } else {
          state_ = FieldState::kUnquoted;
        }
        break;
      }
      case FieldState::kQuoted: {
        // The run up to the next quote or backslash, found with memchr.
        const void* quote = std::memchr(d + i, '"', n - i);
        size_t j = quote == nullptr ? n : static_cast<const char*>(quote) - d;
        const void* escape = std::memchr(d + i, '\\', j - i);
        if (escape != nullptr) j = static_cast<const char*>(escape) - d;
        field_.append(d + i, j - i);
        i = j;
        if (i < n) {
          state_ =
              d[i] == '"' ? FieldState::kAfterQuote : FieldState::kQuotedEscape;
          ++i;
        }
        break;
      }
      case FieldState::kQuotedEscape: {
        const char c = d[i++];
        switch (c) {
          case 'n':
            field_.push_back('\n');
            break;
          case 't':
            field_.push_back('\t');
            break;
          case 'r':
            field_.push_back('\r');
            break;
          case '0':
          case 'b':
          case 'Z':
            break;
          default:
            field_.push_back(c);
            break;
        }
        state_ = FieldState::kQuoted;
        break;
      }
      case FieldState::kAfterQuote: {
        const char c = d[i];
        if (c == ',') {
          EndField();
          state_ = FieldState::kStart;
          ++i;
        } else if (c == '\n') {
          EndField();
          return EndRecord(i + 1, record);
        } else if (c == '"') {
          field_.push_back('"');  // RFC 4180 doubled quote
          state_ = FieldState::kQuoted;
          ++i;
        } else if (c == ' ' || c == '\t' || c == '\r') {
          ++i;
        } else {
          return FailRow(
              i,
              absl::StrFormat("unexpected character after the closing quote "
                              "of field %d (an unescaped quote?)",
                              fields_.size() + 1),
              record);
        }
        break;
      }
      case FieldState::kUnquoted: {
        size_t j = i;
        while (j < n && d[j] != ',' && d[j] != '\n') ++j;
        field_.append(d + i, j - i);
        i = j;
        if (i < n) {
          if (!field_.empty() && field_.back() == '\r') field_.pop_back();
          if (field_ == "\\N") field_.clear();
          EndField();
          state_ = FieldState::kStart;
          if (d[i] == '\n') return EndRecord(i + 1, record);
          ++i;
        }
        break;
      }
    }
  }
  pos_ = i;
  if (!finished_) return false;
  // End of the stream: the record ends without a newline.
  if (state_ == FieldState::kQuoted || state_ == FieldState::kQuotedEscape) {
    return FailRow(
        n, absl::StrFormat("unterminated quoted field %d", fields_.size() + 1),
        record);
  }
  if (state_ == FieldState::kUnquoted) {
    if (!field_.empty() && field_.back() == '\r') field_.pop_back();
    if (field_ == "\\N") field_.clear();
  }
  EndField();
  return EndRecord(n, record);
}

bool LooksLikeCablesCsv(absl::string_view input) {
  if (absl::StartsWith(input, "\xEF\xBB\xBF")) input.remove_prefix(3);
  size_t p = 0;
  for (int line = 0; line < 2; ++line) {
    while (p < input.size() && (input[p] == '\n' || input[p] == '\r' ||
                                input[p] == ' ' || input[p] == '\t')) {
      ++p;
    }
    if (RecordStartAt(input, p, true) != Match::kYes) return false;
    const auto second = SecondField(input, p);
    if (!second.has_value()) return false;
    if (ParseContainerTime(*second).has_value()) return true;
    // Perhaps a header row: try the next line once.
    const size_t nl = input.find('\n', p);
    if (nl == npos) return false;
    p = nl + 1;
  }
  return false;
}

bool IsCsvHeaderRow(const std::vector<std::string>& fields) {
  return fields.size() >= 2 && !IsAllDigits(Trim(fields[0])) &&
         !ParseContainerTime(fields[1]).has_value();
}

absl::StatusOr<SourceDocument> ParseCsvRecord(std::vector<std::string> fields) {
  if (fields.size() != static_cast<size_t>(kCablesCsvFields)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("cables.csv record: expected %d fields, found %d",
                        kCablesCsvFields, fields.size()));
  }
  SourceDocument doc;
  doc.format = cables::v1::CSV;
  const absl::string_view created = Trim(fields[1]);
  if (!created.empty()) {
    doc.created = ParseContainerTime(created);
    if (!doc.created.has_value()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "cables.csv record: created date \"%s\" is not MM/DD/YYYY HH:MM",
          created.substr(0, 40)));
    }
  }
  doc.reference_id = std::string(Trim(fields[2]));
  doc.origin = std::string(Trim(fields[3]));
  doc.classification = std::string(Trim(fields[4]));
  absl::string_view refs = fields[5];
  size_t i = 0;
  while (i < refs.size()) {
    size_t j = i;
    while (j < refs.size() && refs[j] != ',' && refs[j] != ';' &&
           refs[j] != '\n') {
      ++j;
    }
    const absl::string_view ref = Trim(refs.substr(i, j - i));
    if (!ref.empty()) doc.listed_references.emplace_back(ref);
    i = j + 1;
  }
  doc.header = std::move(fields[6]);
  doc.body = std::move(fields[7]);
  return doc;
}

}  // namespace cables::parser
