#include "services/ingest/parser/signers.h"

#include <deque>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

using Names = std::vector<std::string>;

// `lines` views the body, so every body is kept alive for the whole test
// binary (a temporary std::string would leave them dangling).
Signature Find(const std::string& body, std::vector<absl::string_view>* lines) {
  static auto* bodies = new std::deque<std::string>();
  bodies->push_back(body);
  *lines = SplitLines(bodies->back());
  return FindSignature(*lines);
}

TEST(SignersTest, NameOnTheLastLine) {
  std::vector<absl::string_view> lines;
  Signature s = Find("¶9. (C) Comment: details.\nMANZANARES\n", &lines);
  EXPECT_EQ(s.signers, Names({"MANZANARES"}));
  EXPECT_EQ(s.trailer_begin, 1u);
  s = Find("text.\n\nStapleton\n \n", &lines);
  EXPECT_EQ(s.signers, Names({"Stapleton"}));
  s = Find("LAINGEN \n \nCONFIDENTIAL", &lines);  // 79TEHRAN8980
  EXPECT_EQ(s.signers, Names({"LAINGEN"}));
  EXPECT_EQ(s.trailer_begin, 0u);
}

TEST(SignersTest, TwoNamesRepeatsAndSigned) {
  std::vector<absl::string_view> lines;
  EXPECT_EQ(Find("text.\nPATTERSON/KELLY\n", &lines).signers,
            Names({"PATTERSON", "KELLY"}));
  EXPECT_EQ(Find("text.\nKUBISKE KUBISKE\n", &lines).signers,
            Names({"KUBISKE"}));
  EXPECT_EQ(Find("text.\nSIGNED: J. SMITH\n", &lines).signers,
            Names({"J. SMITH"}));
  EXPECT_EQ(Find("text.\nMANZANARES .\n", &lines).signers,
            Names({"MANZANARES"}));
}

TEST(SignersTest, TrailerLinesAfterTheName) {
  std::vector<absl::string_view> lines;
  Signature s = Find(
      "text.\n"
      "Please visit Paris' Classified Website at: \n"
      "http://www.state.sgov.gov/p/eur/paris/index.c fm \n\n"
      "STAPLETON\n",
      &lines);
  EXPECT_EQ(s.signers, Names({"STAPLETON"}));
  s = Find(
      "text.\nSUSMANVisit London's Classified Website: "
      "http://www.intelink.sgov.gov/wiki/Portal\n",
      &lines);
  EXPECT_EQ(s.signers, Names({"SUSMAN"}));
  s = Find(
      "text.\nVisit London's Classified Website: http://www.state.sgov."
      "gov/p/eur/london/index. cfm TUTTLE\n",
      &lines);
  EXPECT_EQ(s.signers, Names({"TUTTLE"}));
  s = Find("text.\nCLINTON\n\nNNNN\n", &lines);
  EXPECT_EQ(s.signers, Names({"CLINTON"}));
}

TEST(SignersTest, NameGluedToTheLastSentence) {
  std::vector<absl::string_view> lines;
  const Signature s = Find(
      "¶7. (C) Comment. Asad is anxious to be received in Paris. HOLMSTROM\n",
      &lines);
  EXPECT_EQ(s.signers, Names({"HOLMSTROM"}));
  ASSERT_EQ(s.glued_line, 0u);
  EXPECT_EQ(lines[0].substr(s.glued_offset), "HOLMSTROM");
}

TEST(SignersTest, SentencesAreNoSignature) {
  std::vector<absl::string_view> lines;
  EXPECT_TRUE(Find("the talks went well.\n", &lines).signers.empty());
  EXPECT_TRUE(Find("text\nEND COMMENT\n", &lines).signers.empty());
  EXPECT_TRUE(Find("text\nXXXXXXXXXXXX\n", &lines).signers.empty());
  EXPECT_TRUE(Find("text\nDANIEL ORTEGA AN...\n", &lines).signers.empty());
  EXPECT_TRUE(Find("", &lines).signers.empty());
  EXPECT_FALSE(IsSignerText("Thanks for the help"));
  EXPECT_TRUE(IsSignerText("LeBaron"));
  EXPECT_TRUE(IsSignerText("Timken jr"));
}

}  // namespace
}  // namespace cables::parser
