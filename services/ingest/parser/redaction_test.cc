#include "services/ingest/parser/redaction.h"

#include "gtest/gtest.h"

namespace cables::parser {
namespace {

TEST(RedactionTest, Runs) {
  EXPECT_TRUE(HasRedaction("a XXXXXXXXXXXX dissident"));
  EXPECT_TRUE(HasRedaction("of xxxxxxxxxxxx China"));
  EXPECT_TRUE(HasRedaction("XXXXXXXXXXXXhis"));
  EXPECT_TRUE(HasRedaction("XXX said"));
  EXPECT_TRUE(HasRedaction("(strictly protect), xxxx separately"));
}

TEST(RedactionTest, NoRuns) {
  EXPECT_FALSE(HasRedaction("Xinjiang exports to Mexico"));
  EXPECT_FALSE(HasRedaction("XXth century; the XXXIInd"));
  EXPECT_FALSE(HasRedaction(""));
}

}  // namespace
}  // namespace cables::parser
