#include "services/ingest/parser/subject.h"

#include "gtest/gtest.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

std::string FromBody(absl::string_view body) {
  return ExtractSubject(SplitLines(body), 40);
}

TEST(SubjectTest, SingleLine) {
  EXPECT_EQ(FromBody("TAGS: PGOV\nSUBJECT: FRENCH CONSIDER THEIR DAMASCUS "
                     "VISIT A SUCCESS \n\nClassified By: CDA X\n"),
            "FRENCH CONSIDER THEIR DAMASCUS VISIT A SUCCESS");
  EXPECT_EQ(FromBody("SUBJ: SHORT ONE\n"), "SHORT ONE");
  EXPECT_EQ(FromBody("Subject: Brazil's 2010 Presidential Election: Early "
                     "Snapshot \n\nREFS: SAO PAULO 273\n"),
            "Brazil's 2010 Presidential Election: Early Snapshot");
}

TEST(SubjectTest, WrappedOverLines) {
  // 08DAMASCUS146.
  EXPECT_EQ(FromBody("SUBJECT: CORRECTED COPY: REACTIONS TO MAKHLUF \n"
                     "DESIGNATION \n\nREF: A. DAMASCUS 126\n"),
            "CORRECTED COPY: REACTIONS TO MAKHLUF DESIGNATION");
  // 09KUWAIT110: continues after a colon.
  EXPECT_EQ(FromBody("SUBJECT: THE INTERIOR MINISTER'S REMEDY FOR TERRORISTS:\n"
                     "\"LET THEM DIE.\"\n\nREF: KUWAIT 0095\n"),
            "THE INTERIOR MINISTER'S REMEDY FOR TERRORISTS: \"LET THEM DIE.\"");
}

TEST(SubjectTest, StopsAtTheNextField) {
  EXPECT_EQ(FromBody("SUBJECT: Venezuela's Economy in 2010: A Difficult and "
                     "Uncertain Year\nREF: 10 CARACAS 9\n"),
            "Venezuela's Economy in 2010: A Difficult and Uncertain Year");
  EXPECT_EQ(FromBody("SUBJECT: BRAZIL: BLACKOUT -CAUSES AND IMPLICATIONS "
                     "Classified By: Charge d'Affaires Cherie Jackson\n"),
            "BRAZIL: BLACKOUT -CAUSES AND IMPLICATIONS");
  EXPECT_EQ(FromBody("SUBJECT: SHORT\nSummary\n"), "SHORT");
}

TEST(SubjectTest, PageBreakInsideTheSubject) {
  // 00HARARE6677: the subject's end is glued onto the page-break line.
  EXPECT_EQ(FromBody("SUBJECT: ASSISTANT SECRETARY MEETS WITH ZIMBABWE \n"
                     " CONFIDENTIAL\n"
                     "PAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER\n"
                     "REFTEL: HARARE 6584\n"),
            "ASSISTANT SECRETARY MEETS WITH ZIMBABWE OPPOSITION LEADER");
}

TEST(SubjectTest, MarkingsAndRepeatedLabel) {
  EXPECT_EQ(FromBody("SUBJECT: (C) TURKEY: WHAT NEXT\n"), "TURKEY: WHAT NEXT");
  EXPECT_EQ(FromBody("SUBJECT: TURKEY: WHAT NEXT (SBU)\n"),
            "TURKEY: WHAT NEXT");
  EXPECT_EQ(FromBody("SUBJECT: SUBJECT: AFGHANISTAN: A SNAPSHOT\n"),
            "AFGHANISTAN: A SNAPSHOT");
  EXPECT_EQ(CleanSubject("  (S/NF)  KUDOS  CABLE "), "KUDOS CABLE");
}

TEST(SubjectTest, SameLineAsTags) {
  EXPECT_EQ(FromBody("E.o. 12958: decl: 01/07/2014 Tags: prel, tu Subject: "
                     "turkish p.m. Erdogan goes to washington\n"),
            "turkish p.m. Erdogan goes to washington");
}

TEST(SubjectTest, ProseIsNoSubjectLabel) {
  size_t begin = 0;
  EXPECT_FALSE(FindSubjectLabel("the subject: of the talks", &begin));
  EXPECT_TRUE(FindSubjectLabel("SUBJECT : X", &begin));
  EXPECT_EQ(FromBody("No fields here.\n"), "");
}

}  // namespace
}  // namespace cables::parser
