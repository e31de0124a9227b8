#include "services/ingest/parser/csv_reader.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace cables::parser {
namespace {

using Fields = std::vector<std::string>;

std::string Row(int n, absl::string_view body) {
  return absl::StrCat("\"", n, "\",\"06/16/2008 16:04\",\"08DAMASCUS", n,
                      "\",\"Embassy Damascus\",\"CONFIDENTIAL\",\"\",\"VZCZC\","
                      "\"",
                      body, "\"\n");
}

// Reads `data` fed in chunks of `chunk` bytes (0: as whole input).
std::vector<CsvRecord> ReadAll(absl::string_view data, size_t chunk,
                               CsvReaderOptions options = {}) {
  CsvReader reader(options);
  std::vector<CsvRecord> out;
  CsvRecord record;
  if (chunk == 0) {
    reader.SetWholeInput(data);
  } else {
    for (size_t i = 0; i < data.size(); i += chunk) {
      reader.Feed(data.substr(i, chunk));
      while (reader.Next(&record)) out.push_back(record);
    }
    reader.Finish();
  }
  while (reader.Next(&record)) out.push_back(record);
  EXPECT_TRUE(reader.done());
  return out;
}

TEST(CsvReaderTest, RecordsWithNewlinesAndEscapes) {
  const std::string data = Row(1, "line one\nline \\\"two\\\"\nback\\\\slash") +
                           Row(2, "tab\\there, comma") + "\r\n\n" + Row(3, "");
  for (size_t chunk : {0, 1, 2, 3, 7, 64, 100000}) {
    const auto records = ReadAll(data, chunk);
    ASSERT_EQ(records.size(), 3u) << chunk;
    for (const CsvRecord& r : records) {
      EXPECT_TRUE(r.status.ok()) << r.status;
      ASSERT_EQ(r.fields.size(), 8u);
    }
    EXPECT_EQ(records[0].row, 1);
    EXPECT_EQ(records[0].offset, 0);
    EXPECT_EQ(records[0].fields[7], "line one\nline \"two\"\nback\\slash");
    EXPECT_EQ(records[1].row, 2);
    EXPECT_EQ(records[1].offset, records[0].size);
    EXPECT_EQ(records[1].fields[7], "tab\there, comma");
    EXPECT_EQ(records[2].row, 3);
    EXPECT_EQ(records[2].fields[7], "");
    EXPECT_EQ(records[2].offset,
              static_cast<int64_t>(data.size() - Row(3, "").size()));
  }
}

TEST(CsvReaderTest, LongFieldsThenShortOnes) {
  // The field buffer is reused from record to record.
  const std::string long_body(5000, 'L');
  const std::string data = Row(1, long_body) + Row(2, "s") + Row(3, long_body);
  for (size_t chunk : {0, 100, 4096}) {
    const auto records = ReadAll(data, chunk);
    ASSERT_EQ(records.size(), 3u) << chunk;
    EXPECT_EQ(records[0].fields[7], long_body);
    EXPECT_EQ(records[1].fields[7], "s");
    EXPECT_EQ(records[2].fields[7], long_body);
  }
}

TEST(CsvReaderTest, MySqlEscapes) {
  const auto records = ReadAll("\"a\\nb\\r\\0\\Zc\\\nd\\'e\",x,\\N,\"\"\n", 0,
                               CsvReaderOptions{.expected_fields = 0});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"a\nb\rc\nd'e", "x", "", ""}));
}

TEST(CsvReaderTest, Rfc4180DoubledQuotesAndLastRowWithoutNewline) {
  const auto records = ReadAll("\"say \"\"hi\"\"\",\"b\"\r\n\"c\",d", 0,
                               CsvReaderOptions{.expected_fields = 2});
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"say \"hi\"", "b"}));
  EXPECT_EQ(records[1].fields, (Fields{"c", "d"}));
}

TEST(CsvReaderTest, StrayQuoteFailsThatRowOnly) {
  const std::string bad =
      "\"2\",\"06/16/2008 16:04\",\"X\",\"o\",\"c\",\"\",\"h\",\"he said "
      "\"hi\" to\nthem\"\n";
  const std::string data = Row(1, "ok") + bad + Row(3, "fine\nstill");
  for (size_t chunk : {0, 1, 5, 4096}) {
    const auto records = ReadAll(data, chunk);
    ASSERT_EQ(records.size(), 3u) << chunk;
    EXPECT_TRUE(records[0].status.ok());
    EXPECT_EQ(records[1].row, 2);
    EXPECT_EQ(records[1].status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(records[1].status.message(),
              absl::StrCat("row 2 (byte offset ", Row(1, "ok").size(),
                           "): unexpected character after the closing quote "
                           "of field 8 (an unescaped quote?)"));
    EXPECT_TRUE(records[1].fields.empty());
    EXPECT_TRUE(records[2].status.ok()) << records[2].status;
    EXPECT_EQ(records[2].row, 3);
    EXPECT_EQ(records[2].fields[7], "fine\nstill");
  }
}

TEST(CsvReaderTest, MissingClosingQuoteResynchronises) {
  // Row 2's body never closes: its error ends at row 3's first line.
  const std::string data = Row(1, "a") +
                           "\"2\",\"06/16/2008 16:04\",\"X\",\"o\",\"c\",\"\","
                           "\"h\",\"unterminated\nmore\n" +
                           Row(3, "b");
  const auto records = ReadAll(data, 3);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(records[0].status.ok());
  EXPECT_FALSE(records[1].status.ok());
  EXPECT_TRUE(records[2].status.ok()) << records[2].status;
  EXPECT_EQ(records[2].fields[2], "08DAMASCUS3");
}

TEST(CsvReaderTest, UnterminatedAtEndOfInput) {
  const auto records = ReadAll(Row(1, "a") + "\"2\",\"x\n\nmore text", 4);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].status.ok());
  EXPECT_EQ(records[1].status.message(),
            absl::StrCat("row 2 (byte offset ", Row(1, "a").size(),
                         "): unterminated quoted field 2"));
}

TEST(CsvReaderTest, WrongFieldCount) {
  const auto records = ReadAll("\"1\",\"2\",\"3\"\n" + Row(2, "x"), 0);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].status.message(),
            "row 1 (byte offset 0): expected 8 fields, found 3");
  EXPECT_EQ(records[0].fields.size(), 3u);
  EXPECT_TRUE(records[1].status.ok());
}

TEST(CsvReaderTest, RecordTooLong) {
  CsvReaderOptions options;
  options.max_record_bytes = 128;
  const auto records =
      ReadAll(Row(1, std::string(200, 'x')) + Row(2, "short"), 16, options);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_FALSE(records[0].status.ok());
  EXPECT_TRUE(records[1].status.ok()) << records[1].status;
}

TEST(CsvReaderTest, GarbageLinesAreReportedAndSkipped) {
  const auto records = ReadAll(
      "garbage, \"x\" y\nmore garbage\n\"broken \"quote\nx\n" + Row(4, "a"), 2);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_FALSE(records[0].status.ok());  // 2 unquoted fields
  EXPECT_FALSE(records[1].status.ok());  // 1 unquoted field
  EXPECT_FALSE(records[2].status.ok());  // syntax error; "x" skipped
  EXPECT_TRUE(records[3].status.ok());
  EXPECT_EQ(records[3].row, 4);
}

TEST(CsvReaderTest, EmptyInput) {
  EXPECT_TRUE(ReadAll("", 0).empty());
  EXPECT_TRUE(ReadAll("\n\r\n", 1).empty());
}

TEST(LooksLikeCablesCsvTest, Detection) {
  EXPECT_TRUE(LooksLikeCablesCsv(Row(1, "x")));
  EXPECT_TRUE(
      LooksLikeCablesCsv("1,\"12/28/1966 18:48\",\"66BUENOSAIRES2481\",\"\""));
  EXPECT_TRUE(LooksLikeCablesCsv("\"id\",\"date\",\"ref\"\n" + Row(1, "x")));
  EXPECT_FALSE(LooksLikeCablesCsv("\"hello\", she said"));
  EXPECT_FALSE(LooksLikeCablesCsv("\"1\",\"not a date\",\"x\""));
  EXPECT_FALSE(LooksLikeCablesCsv("UNCLAS"));
}

TEST(IsCsvHeaderRowTest, Detection) {
  EXPECT_TRUE(IsCsvHeaderRow({"id", "date", "reference"}));
  EXPECT_FALSE(IsCsvHeaderRow({"1", "06/16/2008 16:04"}));
  EXPECT_FALSE(IsCsvHeaderRow({"x", "06/16/2008 16:04"}));
}

TEST(ParseCsvRecordTest, Fields) {
  const auto doc = ParseCsvRecord(
      {"7", "06/16/2008 16:04", " 08DAMASCUS427 ", "Embassy Damascus",
       "CONFIDENTIAL", "08DAMASCUS400, 08STATE12345,,", "VZCZC", "BODY"});
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->format, cables::v1::CSV);
  EXPECT_EQ(doc->reference_id, "08DAMASCUS427");
  EXPECT_EQ(absl::ToUnixSeconds(*doc->created), 1213632240);
  EXPECT_FALSE(doc->released.has_value());
  EXPECT_EQ(doc->origin, "Embassy Damascus");
  EXPECT_EQ(doc->classification, "CONFIDENTIAL");
  EXPECT_EQ(doc->listed_references, (Fields{"08DAMASCUS400", "08STATE12345"}));
  EXPECT_EQ(doc->header, "VZCZC");
  EXPECT_EQ(doc->body, "BODY");
}

TEST(ParseCsvRecordTest, Errors) {
  EXPECT_EQ(ParseCsvRecord({"1", "2"}).status().message(),
            "cables.csv record: expected 8 fields, found 2");
  EXPECT_EQ(ParseCsvRecord({"1", "16/06/2008 16:04", "", "", "", "", "", ""})
                .status()
                .message(),
            "cables.csv record: created date \"16/06/2008 16:04\" is not "
            "MM/DD/YYYY HH:MM");
  const auto no_date = ParseCsvRecord({"1", "", "X", "", "", "", "", "B"});
  ASSERT_TRUE(no_date.ok());
  EXPECT_FALSE(no_date->created.has_value());
}

}  // namespace
}  // namespace cables::parser
