// Golden tests: chosen real cables (read in place from
// ../shared/corpus/wikileaks-html), the seed browser page and hand-written
// fragments (testdata/fragments/) are parsed and the Cable is dumped as
// protobuf text format, then compared with testdata/golden/<name>.golden.
// Long strings (header, body, paragraph texts, ...) are abbreviated to their
// start, length and a digest prefix, so the goldens stay reviewable and do
// not copy the corpus.
//
// To regenerate after an intended change, run with CABLES_UPDATE_GOLDENS=1
// and review the diff:
//   CABLES_UPDATE_GOLDENS=1 build/<dir>/services/ingest/parser/golden_test
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/ingest/parser/content_hash.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = fs::path(CABLES_SOURCE_DIR);
const fs::path kShared = kSource / ".." / "shared";
const fs::path kTestdata = kSource / "services/ingest/parser/testdata";

struct GoldenCase {
  const char* name;
  // "corpus:<path under wikileaks-html>", "seed:<file>" or
  // "fragment:<file under testdata/fragments>".
  const char* source;
  InputFormat format = InputFormat::kAuto;
  const char* id_hint = "";
  int year_hint = 0;
};

const GoldenCase kCases[] = {
    {"damascus_2008_sections", "corpus:2008/06/08DAMASCUS427.html"},
    {"vienna_2006_partial_refs", "corpus:2006/02/06VIENNA515.html"},
    {"harare_2000_partial_note_with_header",
     "corpus:2000/11/00HARARE6677.html"},
    {"state_2009_person_tag", "corpus:2009/03/09STATE30049.html"},
    {"beijing_2009_redacted", "corpus:2009/06/09BEIJING1761.html"},
    {"doha_2009_inbox_header_five_sections", "corpus:2009/03/09DOHA214.html"},
    {"kuwait_2009_metadata_in_body", "corpus:2009/02/09KUWAIT110.html"},
    {"london_2009_date_line", "corpus:2009/07/09LONDON1707.html"},
    {"state_2009_info_log_header", "corpus:2009/06/09STATE63860.html"},
    {"abudhabi_2003_inbox_export", "corpus:2003/06/03ABUDHABI2641.html"},
    {"buenosaires_1966", "corpus:1966/12/66BUENOSAIRES2481.html"},
    {"tehran_1979", "corpus:1979/08/79TEHRAN8980.html"},
    {"panama_1989", "corpus:1989/12/89PANAMA8545.html"},
    {"seed_browser_almaty_2005", "seed:05ALMATY1595.txt"},
    {"fragment_ref_block", "fragment:ref_block.txt", InputFormat::kAuto,
     "08DAMASCUS427"},
    {"fragment_header_only", "fragment:header_only.txt"},
    {"fragment_paragraphs", "fragment:paragraphs.txt", InputFormat::kText, "",
     2005},
    {"fragment_full_telegram_crlf", "fragment:full_telegram_crlf.txt"},
    {"fragment_csv_row", "fragment:csv_row.csv"},
    {"fragment_not_a_cable", "fragment:not_a_cable.txt"},
};

// Names the case in test listings (instead of a byte dump).
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

fs::path SourcePath(absl::string_view source) {
  const size_t colon = source.find(':');
  const absl::string_view kind = source.substr(0, colon);
  const std::string rest(source.substr(colon + 1));
  if (kind == "corpus") return kShared / "corpus" / "wikileaks-html" / rest;
  if (kind == "seed") return kShared / "seed" / rest;
  return kTestdata / "fragments" / rest;
}

// Strings longer than this are abbreviated in the dump.
constexpr size_t kMaxDumpedString = 240;

std::string Abbreviated(const std::string& s) {
  if (s.size() <= kMaxDumpedString) return s;
  // Cut at a character boundary.
  size_t cut = kMaxDumpedString - 80;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(s.substr(0, cut), " ...[", s.size(), " bytes, sha256 ",
                      Sha256Hex(s).substr(0, 16), "]");
}

// Abbreviates every long string field of `message`, recursively.
void AbbreviateStrings(google::protobuf::Message* message) {
  using google::protobuf::FieldDescriptor;
  const auto* descriptor = message->GetDescriptor();
  const auto* reflection = message->GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      if (field->is_repeated()) {
        for (int k = 0; k < reflection->FieldSize(*message, field); ++k) {
          reflection->SetRepeatedString(
              message, field, k,
              Abbreviated(reflection->GetRepeatedString(*message, field, k)));
        }
      } else {
        reflection->SetString(
            message, field,
            Abbreviated(reflection->GetString(*message, field)));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int k = 0; k < reflection->FieldSize(*message, field); ++k) {
          AbbreviateStrings(
              reflection->MutableRepeatedMessage(message, field, k));
        }
      } else if (reflection->HasField(*message, field)) {
        AbbreviateStrings(reflection->MutableMessage(message, field));
      }
    }
  }
}

// The stable text form compared with the golden file.
std::string Dump(const GoldenCase& c, const std::string& input) {
  ParseOptions options;
  options.format = c.format;
  options.id_hint = c.id_hint;
  options.year_hint = c.year_hint;
  std::string out = absl::StrCat("# source: ", c.source, "\n");
  if (*c.id_hint != '\0') absl::StrAppend(&out, "# id_hint: ", c.id_hint, "\n");
  if (c.year_hint != 0)
    absl::StrAppend(&out, "# year_hint: ", c.year_hint, "\n");
  auto cable = ParseCable(input, options);
  if (!cable.ok()) {
    absl::StrAppend(&out, "# error: ", cable.status().ToString(), "\n");
    return out;
  }
  AbbreviateStrings(&*cable);
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  std::string text;
  printer.PrintToString(*cable, &text);
  return out + text;
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, MatchesGolden) {
  const GoldenCase& c = GetParam();
  const fs::path input_path = SourcePath(c.source);
  ASSERT_TRUE(fs::exists(input_path)) << input_path;
  const std::string actual = Dump(c, ReadFile(input_path));
  const fs::path golden =
      kTestdata / "golden" / absl::StrCat(c.name, ".golden");
  const char* update = std::getenv("CABLES_UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << golden;
  }
  ASSERT_TRUE(fs::exists(golden))
      << golden << " is missing; run with CABLES_UPDATE_GOLDENS=1";
  EXPECT_EQ(actual, ReadFile(golden))
      << "golden " << golden
      << " differs; if the change is intended, rerun with "
         "CABLES_UPDATE_GOLDENS=1 and review the diff";
}

INSTANTIATE_TEST_SUITE_P(Cables, GoldenTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace cables::parser
