#include "services/ingest/parser/redaction.h"

#include <string>

#include "gtest/gtest.h"

namespace cables::parser {
namespace {

TEST(RedactionTest, Runs) {
  EXPECT_TRUE(HasRedaction("a XXXXXXXXXXXX dissident"));
  EXPECT_TRUE(HasRedaction("of xxxxxxxxxxxx China"));
  EXPECT_TRUE(HasRedaction("XXXXXXXXXXXXhis"));
  EXPECT_TRUE(HasRedaction("XXX said"));
  EXPECT_TRUE(HasRedaction("(strictly protect), xxxx separately"));
  // Runs found by the vector scan, at any offset and at the very end.
  EXPECT_TRUE(HasRedaction(std::string(37, 'a') + " XXX"));
  EXPECT_TRUE(
      HasRedaction(std::string(16, '.') + "xXxXx" + std::string(9, 'b')));
}

TEST(RedactionTest, NoRuns) {
  EXPECT_FALSE(HasRedaction("Xinjiang exports to Mexico"));
  EXPECT_FALSE(HasRedaction("XXth century; the XXXIInd"));
  EXPECT_FALSE(HasRedaction(""));
  EXPECT_FALSE(
      HasRedaction(std::string(40, 'a') + "xxxx" + std::string(3, 'b')));
}

}  // namespace
}  // namespace cables::parser
