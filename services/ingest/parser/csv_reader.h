// Streaming reader of the cables.csv bulk dump, and the cables.csv
// front-end.
//
// Layout (the community "cables.csv", 251,287 rows, ~1.7 GB): one record per
// cable, eight fields, each in double quotes, separated by commas:
//   "id","MM/DD/YYYY HH:MM","reference id","origin","classification",
//   "references (ID,ID,...)","header","body"
// Fields hold raw newlines, so a record spans many lines. Inside quotes a
// backslash escapes the next character as MySQL's SELECT ... INTO OUTFILE
// writes it: \" and \\ are the character itself, \n \t \r are newline, tab
// and carriage return, \0 \b \Z are dropped, and a backslash before any
// other character (including a raw newline) stands for that character.
// Tolerated as well: RFC 4180 doubled quotes ("" inside a quoted field),
// unquoted fields (\N alone is an empty field), CRLF line ends, blank lines
// between records.
//
// CsvReader takes the input in chunks of any size (Feed) and yields records
// (Next) with their 1-based record number and byte offset, keeping only the
// unfinished record in memory, so a 2 GB dump streams in bounded memory. A
// malformed record (a stray quote, an unterminated quoted field, the wrong
// number of fields, a record longer than max_record_bytes) is yielded as a
// record whose `status` is InvalidArgumentError naming the row and the
// problem; after a syntax error the reader skips to the next line that
// starts a record ('"' + a short field + '","', or digits + ',"'), so one
// bad row does not stop the rest.
//
// Typical use:
//   CsvReader reader;
//   CsvRecord record;
//   while (ReadChunk(&chunk)) {
//     reader.Feed(chunk);
//     while (reader.Next(&record)) Handle(record);
//   }
//   reader.Finish();
//   while (reader.Next(&record)) Handle(record);
//
// Thread safety: a CsvReader is not thread-safe; the free functions are.
#ifndef CABLES_SERVICES_INGEST_PARSER_CSV_READER_H_
#define CABLES_SERVICES_INGEST_PARSER_CSV_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/ingest/parser/source_document.h"

namespace cables::parser {

// Number of fields of a cables.csv record.
inline constexpr int kCablesCsvFields = 8;

struct CsvRecord {
  int64_t row = 0;     // 1-based ordinal of the record in the stream
  int64_t offset = 0;  // byte offset of its first byte in the stream
  int64_t size = 0;    // bytes it spans, its line end included
  // Unescaped fields (empty when `status` reports a syntax error).
  std::vector<std::string> fields;
  // OK, or InvalidArgumentError "row N (byte offset M): ..." for a
  // malformed record.
  absl::Status status;
};

struct CsvReaderOptions {
  // Fields a record must have; 0 accepts any number.
  int expected_fields = kCablesCsvFields;
  // A record longer than this is malformed (it usually means a quote was
  // never closed); bounds the reader's memory.
  size_t max_record_bytes = 64 << 20;
};

class CsvReader {
 public:
  explicit CsvReader(CsvReaderOptions options = {});

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Appends the next bytes of the stream (copied).
  // REQUIRES: Finish() has not been called.
  void Feed(absl::string_view chunk);

  // Reads from `data`, the whole remaining stream, without copying it;
  // equivalent to Feed(data) + Finish(). `data` must outlive the reader's
  // use. REQUIRES: nothing was fed before.
  void SetWholeInput(absl::string_view data);

  // Marks the end of the stream; a record without its final newline is
  // then complete.
  void Finish();

  // Yields the next record (good or malformed) into `*record`. Returns
  // false when more input is needed, or, after Finish(), when the stream is
  // exhausted.
  bool Next(CsvRecord* record);

  // True after Finish() once every record has been yielded.
  bool done() const;

  // Records yielded so far.
  int64_t rows() const { return rows_; }

 private:
  enum class Mode { kRowStart, kInRow, kResync };
  enum class FieldState {
    kStart,
    kQuoted,
    kQuotedEscape,
    kAfterQuote,
    kUnquoted,
  };

  // Continues the current record; true when it is complete (or failed).
  bool ScanRow(CsvRecord* record);
  // Ends the current field / record.
  void EndField();
  bool EndRecord(size_t end, CsvRecord* record);
  bool FailRow(size_t at, absl::string_view problem, CsvRecord* record);
  // Skips to the next line that starts a record; false when more input is
  // needed.
  bool Resync();
  // Drops consumed bytes from the owned buffer.
  void Compact();
  absl::string_view data() const { return data_; }

  const CsvReaderOptions options_;
  std::string buffer_;      // owned input (Feed)
  absl::string_view data_;  // buffer_ or the whole external input
  bool external_ = false;
  bool finished_ = false;
  int64_t base_offset_ = 0;  // stream offset of data_[0]
  size_t pos_ = 0;           // scan position in data_
  size_t row_start_ = 0;     // start of the current record in data_
  Mode mode_ = Mode::kRowStart;
  FieldState state_ = FieldState::kStart;
  std::vector<std::string> fields_;
  std::string field_;
  bool resync_at_line_start_ = true;
  int64_t rows_ = 0;
};

// True when `input` starts (after a BOM and blank lines) with a cables.csv
// record: a quoted (or numeric) first field, then a quoted "MM/DD/YYYY
// HH:MM" date.
bool LooksLikeCablesCsv(absl::string_view input);

// True when `fields` is a header row ("id","date",... : a non-numeric first
// field and no date in the second).
bool IsCsvHeaderRow(const std::vector<std::string>& fields);

// Builds the SourceDocument of one cables.csv record (format CSV): created
// from "MM/DD/YYYY HH:MM" (UTC), the references column split on commas.
// Fields are moved from. InvalidArgumentError when there are not 8 fields
// or the date is malformed. The fields must be valid UTF-8.
absl::StatusOr<SourceDocument> ParseCsvRecord(std::vector<std::string> fields);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_CSV_READER_H_
