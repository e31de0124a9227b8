// One fuzz iteration of the cable parser, shared by the libFuzzer target
// (parser_fuzz.cc) and the regression replay test
// (services/ingest/parser/fuzz_regression_test.cc).
//
// Runs ParseCable with format detection, ParseCable with an explicit format
// chosen by the first byte, ParseDocument, and CsvReader fed in chunks and
// as a whole; checks invariants. Returns "" when they hold, else what broke.
#ifndef CABLES_TESTS_FUZZ_PARSER_FUZZ_CHECK_H_
#define CABLES_TESTS_FUZZ_PARSER_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/ingest/parser/csv_reader.h"
#include "services/ingest/parser/text_util.h"

namespace cables::fuzz {

// Every string of a parsed cable is valid UTF-8, and the digest is set.
inline std::string CheckCable(const cables::v1::Cable& cable) {
  std::vector<absl::string_view> strings = {cable.name(),
                                            cable.reference_id(),
                                            cable.canonical_id(),
                                            cable.origin(),
                                            cable.classification(),
                                            cable.subject(),
                                            cable.summary(),
                                            cable.declassify_on(),
                                            cable.transmission_id(),
                                            cable.header(),
                                            cable.body()};
  for (const auto& s : cable.caveats()) strings.push_back(s);
  for (const auto& s : cable.tags()) strings.push_back(s);
  for (const auto& s : cable.signers()) strings.push_back(s);
  for (const auto& s : cable.classified_by()) strings.push_back(s);
  for (const auto& s : cable.classification_reasons()) strings.push_back(s);
  for (const auto& r : cable.references()) {
    strings.push_back(r.id());
    strings.push_back(r.letter());
    strings.push_back(r.text());
  }
  for (const auto& r : cable.recipients()) {
    strings.push_back(r.route());
    strings.push_back(r.name());
    strings.push_back(r.mcn());
  }
  for (const auto& p : cable.paragraphs()) {
    strings.push_back(p.marking());
    strings.push_back(p.heading());
    strings.push_back(p.text());
  }
  for (absl::string_view s : strings) {
    if (!cables::parser::IsValidUtf8(s)) return "invalid UTF-8 in a field";
  }
  if (cable.content_sha256().size() != 64) return "content_sha256 not set";
  if (!cable.canonical_id().empty() &&
      cable.name() != absl::StrCat("cables/", cable.canonical_id())) {
    return "name does not follow canonical_id";
  }
  std::string wire;
  if (!cable.SerializeToString(&wire)) return "cable does not serialise";
  return "";
}

// Reads `data` with CsvReader in chunks of `chunk` bytes (0: whole).
inline std::vector<cables::parser::CsvRecord> ReadCsv(absl::string_view data,
                                                      size_t chunk) {
  cables::parser::CsvReaderOptions options;
  options.max_record_bytes = 4096;
  cables::parser::CsvReader reader(options);
  std::vector<cables::parser::CsvRecord> out;
  cables::parser::CsvRecord record;
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
  return out;
}

inline std::string FuzzParserOnce(const uint8_t* data, size_t size) {
  using cables::parser::InputFormat;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  auto cable = cables::parser::ParseCable(input);
  if (cable.ok()) {
    const std::string problem = CheckCable(*cable);
    if (!problem.empty()) return absl::StrCat("auto: ", problem);
  }
  if (size > 0) {
    cables::parser::ParseOptions options;
    options.format = static_cast<InputFormat>(1 + data[0] % 4);
    options.year_hint = data[0] & 0x80 ? 2009 : 0;
    options.id_hint = data[0] & 0x40 ? "08DAMASCUS427" : "";
    cable = cables::parser::ParseCable(input.substr(1), options);
    if (cable.ok()) {
      const std::string problem = CheckCable(*cable);
      if (!problem.empty()) return absl::StrCat("explicit: ", problem);
    }
  }
  const auto cables = cables::parser::ParseDocument(input);
  if (cables.ok()) {
    for (const auto& c : *cables) {
      const std::string problem = CheckCable(c);
      if (!problem.empty()) return absl::StrCat("document: ", problem);
    }
  }

  // Chunked and whole-input CSV reading agree.
  const auto whole = ReadCsv(input, 0);
  const size_t chunk = size > 0 ? 1 + data[size - 1] % 13 : 1;
  const auto chunked = ReadCsv(input, chunk);
  if (whole.size() != chunked.size()) return "CsvReader: record counts differ";
  for (size_t i = 0; i < whole.size(); ++i) {
    if (whole[i].row != chunked[i].row ||
        whole[i].offset != chunked[i].offset ||
        whole[i].size != chunked[i].size ||
        whole[i].fields != chunked[i].fields ||
        whole[i].status != chunked[i].status) {
      return absl::StrCat("CsvReader: record ", i + 1, " differs by chunking");
    }
    if (whole[i].offset < 0 || whole[i].size < 0 ||
        static_cast<size_t>(whole[i].offset + whole[i].size) > size) {
      return "CsvReader: record span outside the input";
    }
  }
  return "";
}

}  // namespace cables::fuzz

#endif  // CABLES_TESTS_FUZZ_PARSER_FUZZ_CHECK_H_
