#include "services/metadata/line_diff.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace cables::metadata {
namespace {

TEST(LineDiffTest, IdenticalIsEmpty) {
  EXPECT_EQ(UnifiedLineDiff("a\nb\n", "a\nb\n", "x", "y"), "");
  EXPECT_EQ(UnifiedLineDiff("", "", "x", "y"), "");
}

TEST(LineDiffTest, OneLineChanged) {
  EXPECT_EQ(UnifiedLineDiff("a\nb\nc\n", "a\nB\nc\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
}

TEST(LineDiffTest, InsertAndDeleteAtEdges) {
  EXPECT_EQ(UnifiedLineDiff("", "a\n", "o", "n"),
            "--- o\n+++ n\n@@ -0,0 +1 @@\n+a\n");
  EXPECT_EQ(UnifiedLineDiff("a\n", "", "o", "n"),
            "--- o\n+++ n\n@@ -1 +0,0 @@\n-a\n");
}

TEST(LineDiffTest, FarApartChangesMakeTwoHunks) {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    absl::StrAppend(&a, "line", i, "\n");
    absl::StrAppend(&b, i == 2 ? "CHANGED2" : absl::StrCat("line", i), "\n");
  }
  absl::StrAppend(&b, "line21\n");
  EXPECT_EQ(UnifiedLineDiff(a, b, "o", "n"),
            "--- o\n+++ n\n"
            "@@ -1,5 +1,5 @@\n line1\n-line2\n+CHANGED2\n line3\n line4\n"
            " line5\n"
            "@@ -18,3 +18,4 @@\n line18\n line19\n line20\n+line21\n");
}

TEST(LineDiffTest, CloseChangesShareAHunkAndLcsIsMinimal) {
  const std::string diff =
      UnifiedLineDiff("a\nb\nc\nd\ne\n", "a\nc\nd\nX\ne\n", "o", "n");
  EXPECT_EQ(diff, "--- o\n+++ n\n@@ -1,5 +1,5 @@\n a\n-b\n c\n d\n+X\n e\n");
}

TEST(LineDiffTest, NoTrailingNewline) {
  EXPECT_EQ(UnifiedLineDiff("a\nb", "a\nc", "o", "n"),
            "--- o\n+++ n\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
}

}  // namespace
}  // namespace cables::metadata
