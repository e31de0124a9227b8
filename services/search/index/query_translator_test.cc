// The AST -> Xapian translation, checked by what each query matches in a
// small in-memory index of hand-made cables (built with CableDocument, as
// the real index is).
#include "services/search/index/query_translator.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/search/index/cable_document.h"
#include "services/search/query_parser.h"

namespace cables::search::index {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using Ids = std::set<std::string>;
using Q = Xapian::Query;

cables::v1::Cable Make(const std::string& id, const std::string& date,
                       const std::string& subject, const std::string& body) {
  cables::v1::Cable c;
  c.set_canonical_id(id);
  c.set_reference_id(id);
  c.set_subject(subject);
  c.set_body(absl::StrCat("SUBJECT: ", subject, "\n", body));
  if (!date.empty()) {
    absl::Time t;
    std::string err;
    EXPECT_TRUE(absl::ParseTime("%Y-%m-%d", date, &t, &err)) << err;
    c.mutable_created()->set_seconds(absl::ToUnixSeconds(t));
  }
  return c;
}

class QueryTranslatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    auto a = Make("05ANKARA1730", "2005-03-30", "TURKEY: ERDOGAN VISIT",
                  "The prime minister discussed uranium enrichment and "
                  "elections. End of summary.");
    a.set_origin("Embassy Ankara");
    a.set_classification("SECRET//NOFORN");
    a.add_caveats("NOFORN");
    a.add_tags("PGOV");
    a.add_tags("PREL");
    a.add_tags("TU");
    a.add_signers("Eric Edelman");
    Add(a);
    auto b = Make("08NEWDELHI100", "2008-06-15", "INDIA: ENERGY SECURITY",
                  "Security of the pipeline; plutonium was not mentioned. "
                  "End summary. The government of India.");
    b.set_origin("Embassy New Delhi");
    b.set_classification("CONFIDENTIAL");
    b.add_tags("ENRG");
    b.add_tags("IN");
    b.add_signers("David Mulford");
    Add(b);
    auto c = Make("09STATE5", "2009-01-02", "DEMARCHE ON PIRACY",
                  "Washington asks posts to raise piracy with al-Qaida "
                  "watchers; securing the shipping lanes is happy news.");
    c.set_origin("Secretary of State");
    c.set_classification("UNCLASSIFIED");
    c.add_tags("PTER");
    c.add_tags("EWWT");
    Add(c);
    Add(Make("10UNDATED1", "", "NO DATE", "Government report, nothing more."));
  }

  void Add(const cables::v1::Cable& cable) {
    db_.replace_document(IdTerm(cable.canonical_id()),
                         CableDocument(cable, analyzer_));
  }

  absl::StatusOr<TranslatedQuery> Translate(const std::string& text) {
    auto parsed = ParseSearchQuery(text);
    if (!parsed.ok()) return parsed.status();
    return TranslateQuery(parsed->root, analyzer_);
  }

  Ids Match(const std::string& text) {
    auto translated = Translate(text);
    EXPECT_TRUE(translated.ok()) << text << ": " << translated.status();
    if (!translated.ok()) return {};
    Xapian::Enquire enquire(db_);
    enquire.set_query(translated->match);
    Ids ids;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      ids.insert(it.get_document().get_value(kSlotId));
    }
    return ids;
  }

  TextAnalyzer analyzer_;
  Xapian::WritableDatabase db_;
};

TEST_F(QueryTranslatorTest, WordsAreStemmedAndAllMustMatch) {
  EXPECT_EQ(Match("election"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("ELECTIONS uranium"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("uranium plutonium"), Ids());
  EXPECT_EQ(Match("government"), Ids({"08NEWDELHI100", "10UNDATED1"}));
  EXPECT_EQ(Match("nonexistentword"), Ids());
}

TEST_F(QueryTranslatorTest, StopWordsDropOut) {
  EXPECT_EQ(Match("the uranium"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("the"), Ids());
  EXPECT_EQ(Match("uranium -the"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("uranium OR the"), Ids({"05ANKARA1730"}));
}

TEST_F(QueryTranslatorTest, BooleanOperators) {
  EXPECT_EQ(Match("uranium OR plutonium"),
            Ids({"05ANKARA1730", "08NEWDELHI100"}));
  EXPECT_EQ(Match("government -india"), Ids({"10UNDATED1"}));
  EXPECT_EQ(Match("government NOT india"), Ids({"10UNDATED1"}));
  EXPECT_EQ(Match("(uranium OR piracy) -erdogan"), Ids({"09STATE5"}));
  EXPECT_EQ(Match("-government"), Ids({"05ANKARA1730", "09STATE5"}));
  EXPECT_EQ(Match("piracy OR -government"), Ids({"05ANKARA1730", "09STATE5"}));
}

TEST_F(QueryTranslatorTest, PhrasesKeepOrderAndStopWordGaps) {
  EXPECT_EQ(Match("\"prime minister\""), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("\"minister prime\""), Ids());
  // "end of summary": any stop word between, as PostgreSQL's end <2>
  // summari; "end summary": adjacent.
  EXPECT_EQ(Match("\"end of summary\""), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("\"end the summary\""), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("\"end summary\""), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("\"the end summary.\""), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("subject:(\"energy security\")"), Ids({"08NEWDELHI100"}));
  // A word that splits is a phrase of its parts.
  EXPECT_EQ(Match("al-qaida"), Ids({"09STATE5"}));
  EXPECT_EQ(Match("qaida-al"), Ids());
  // No phrase across the subject and the body.
  EXPECT_EQ(Match("\"erdogan visit\""), Ids({"05ANKARA1730"}));
}

TEST_F(QueryTranslatorTest, Prefixes) {
  EXPECT_EQ(Match("secur*"), Ids({"08NEWDELHI100", "09STATE5"}));
  EXPECT_EQ(Match("pluto*"), Ids({"08NEWDELHI100"}));
  // The stem of the prefix is tried too: happy* finds "happi".
  EXPECT_EQ(Match("happy*"), Ids({"09STATE5"}));
  auto bad = TranslateQuery(
      [] {
        storage::QueryNode n;
        n.kind = storage::QueryNode::Kind::kTerm;
        n.text = "--";
        n.prefix = true;
        return n;
      }(),
      analyzer_);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(QueryTranslatorTest, FieldQualifiers) {
  EXPECT_EQ(Match("tag:pgov"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("tag:P*"), Ids({"05ANKARA1730", "09STATE5"}));
  EXPECT_EQ(Match("tag:(ENRG OR PTER)"), Ids({"08NEWDELHI100", "09STATE5"}));
  EXPECT_EQ(Match("classification:secret"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("classification:\"secret//noforn\""), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("classification:conf*"), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("caveat:noforn"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("origin:ankara"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("origin:\"new delhi\""), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("origin:\"delhi new\""), Ids());
  EXPECT_EQ(Match("origin:del*"), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("signer:mulford"), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("subject:(security)"), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("subject:(piracy OR erdogan)"),
            Ids({"05ANKARA1730", "09STATE5"}));
  EXPECT_EQ(Match("subject:\"energy security\""), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("uranium subject:(-india)"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("government tag:ENRG"), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("government -tag:ENRG"), Ids({"10UNDATED1"}));
}

TEST_F(QueryTranslatorTest, IdsAndIdQueries) {
  EXPECT_EQ(Match("id:05ANKARA1730"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("id:\"05 ANKARA 1730\""), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("id:0*"), Ids({"05ANKARA1730", "08NEWDELHI100", "09STATE5"}));
  EXPECT_EQ(Match("id:08new*"), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("id:08NEWDELHI*"), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("id:08NEWDELHI1*"), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("id:08NEWDELHI2*"), Ids());
  EXPECT_EQ(Match("id:05ANKARA17*"), Ids({"05ANKARA1730"}));
  // An id prefix reads its station's cables, not every cable's id.
  auto t = Translate("id:08NEWDELHI1*");
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->match.get_description(), HasSubstr("XI08NEWDELHI"));
  // A query that is an id matches the cable's text mentions (the pinned
  // cable itself is added by the searcher).
  auto parsed = ParseSearchQuery("05 ANKARA 1730");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->pinned_id, "05ANKARA1730");
}

TEST_F(QueryTranslatorTest, SpacedIdsAndDatesAreOneTerm) {
  Add(Make("10KABUL9", "2010-01-05", "FOLLOW-UP TO 09 STATE 5",
           "REF: A. 10 KABUL 5 B. 10 KABUL 52\nTalks on 15 March 2008."));
  Add(Make("10KABUL10", "2010-01-06", "NOTHING NEW",
           "As 10 of the KABUL 5 said, 10 kabul-5x and 10 KABUL."));
  EXPECT_EQ(Match("\"10 KABUL 5\""), Ids({"10KABUL9"}));
  EXPECT_EQ(Match("\"10 kabul 52\""), Ids({"10KABUL9"}));
  EXPECT_EQ(Match("\"15 march 2008\""), Ids({"10KABUL9"}));
  EXPECT_EQ(Match("\"09 STATE 5\""), Ids({"10KABUL9"}));
  EXPECT_EQ(Match("subject:(\"09 state 5\")"), Ids({"10KABUL9"}));
  EXPECT_EQ(Match("subject:(\"10 kabul 5\")"), Ids());
  EXPECT_EQ(Match("\"10 of the kabul 5\""), Ids({"10KABUL10"}));
  // The id query finds the cables that mention the id.
  EXPECT_EQ(Match("10 KABUL 5"), Ids({"10KABUL9"}));
  EXPECT_EQ(Match("10kabul5"), Ids({"10KABUL9"}));
  auto t = Translate("\"10 KABUL 5\"");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->match.get_description(), "Query(XN10 kabul 5)");
  // The one term matches what the phrase of its words matches.
  for (const char* phrase : {"10 kabul 5", "10 kabul 52", "15 march 2008",
                             "09 state 5", "10 kabul 5x", "05 ankara 1730"}) {
    std::vector<Q> words;
    Xapian::termpos pos = 0;
    for (const std::string& w : SplitWords(phrase)) {
      words.emplace_back(analyzer_.Lexeme(w), 1, ++pos);
    }
    Xapian::Enquire enquire(db_);
    enquire.set_query(Q(Q::OP_PHRASE, words.begin(), words.end(), 3));
    Ids by_phrase;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      by_phrase.insert(it.get_document().get_value(kSlotId));
    }
    EXPECT_EQ(Match(absl::StrCat("\"", phrase, "\"")), by_phrase) << phrase;
  }
}

TEST_F(QueryTranslatorTest, CitesMatchesTheReferences) {
  auto citing =
      Make("10KABUL11", "2010-01-07", "FOLLOW-UP", "REF: A. ANKARA 1730");
  citing.add_references()->set_id("05ANKARA1730");
  citing.add_references()->set_id("10KABUL11");  // itself: not a citation
  Add(citing);
  EXPECT_EQ(Match("cites:05ANKARA1730"), Ids({"10KABUL11"}));
  EXPECT_EQ(Match("cites:\"05 ankara 1730\""), Ids({"10KABUL11"}));
  EXPECT_EQ(Match("cites:05ANK*"), Ids({"10KABUL11"}));
  EXPECT_EQ(Match("cites:10KABUL11"), Ids());
  // The id query: the cable's citing cables too.
  EXPECT_EQ(Match("05 ANKARA 1730"), Ids({"10KABUL11"}));
}

TEST_F(QueryTranslatorTest, DateRanges) {
  EXPECT_EQ(Match("created:2005"), Ids({"05ANKARA1730"}));
  EXPECT_EQ(Match("created:2005..2008"),
            Ids({"05ANKARA1730", "08NEWDELHI100"}));
  EXPECT_EQ(Match("created:2008-06-15"), Ids({"08NEWDELHI100"}));
  EXPECT_EQ(Match("created>=2008-06-16"), Ids({"09STATE5"}));
  EXPECT_EQ(Match("created<2008-06-16"),
            Ids({"05ANKARA1730", "08NEWDELHI100"}));
  EXPECT_EQ(Match("created>2008"), Ids({"09STATE5"}));
  // Undated cables match no date range.
  EXPECT_EQ(Match("government created<=2010"), Ids({"08NEWDELHI100"}));
}

// Date ranges of whole days are ORs of year, month and day terms: they
// match what the sort-key range of the same dates matches.
TEST_F(QueryTranslatorTest, DateRangesMatchTheSortKeyRange) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  for (int i = 0; i < 200; ++i) {
    const absl::CivilDay d = absl::CivilDay(2004, 12, 25) + i * 17;
    cables::v1::Cable c = Make(absl::StrCat("04DATED", i), "", "DATED", "x");
    c.mutable_created()->set_seconds(absl::ToUnixSeconds(
        absl::FromCivil(d, utc) + absl::Minutes(i * 7 % 1440)));
    Add(c);
  }
  for (const char* range :
       {"2005", "2005..2008", "2005-01..2005-06", "2008-06-15", "2005-03-03",
        "2004-12-31..2006-01-01", "2006-03..2009-11-04", "2007-12-31..2008",
        "2009-11"}) {
    const std::string query = absl::StrCat("created:", range);
    auto parsed = ParseSearchQuery(query);
    ASSERT_TRUE(parsed.ok()) << query;
    const storage::QueryNode& node = parsed->root;
    ASSERT_TRUE(node.from.has_value() && node.until.has_value()) << query;
    auto t = TranslateQuery(node, analyzer_);
    ASSERT_TRUE(t.ok());
    EXPECT_THAT(t->match.get_description(), ::testing::Not(HasSubstr("VALUE")))
        << query;
    const Q by_key(
        Q::OP_VALUE_RANGE, kSlotSortKey, SortKeyDate(*node.from),
        absl::StrCat(SortKeyDate(*node.until - absl::Microseconds(1)), "\xff"));
    Xapian::Enquire enquire(db_);
    enquire.set_query(by_key);
    Ids expected;
    const Xapian::MSet mset = enquire.get_mset(0, 1000);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      expected.insert(it.get_document().get_value(kSlotId));
    }
    EXPECT_FALSE(expected.empty()) << query;
    EXPECT_EQ(Match(query), expected) << query;
  }
  // Open ranges check the sort key.
  auto open = Translate("created>=2008");
  ASSERT_TRUE(open.ok());
  EXPECT_THAT(open->match.get_description(), HasSubstr("VALUE_GE"));
}

TEST_F(QueryTranslatorTest, HighlightAndBoostCoverPositiveWordsOnly) {
  auto t = Translate("elections \"prime minister\" secur* -india tag:PGOV");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->has_positive_text);
  EXPECT_THAT(t->highlight_lexemes, ElementsAre("elect", "minist", "prime"));
  EXPECT_THAT(t->highlight_prefixes, ElementsAre("secur"));
  EXPECT_FALSE(t->boost.empty());
  EXPECT_THAT(t->boost.get_description(), HasSubstr("Select"));

  auto fields_only = Translate("tag:PGOV -india");
  ASSERT_TRUE(fields_only.ok());
  EXPECT_FALSE(fields_only->has_positive_text);
  EXPECT_TRUE(fields_only->boost.empty());
}

TEST_F(QueryTranslatorTest, MalformedTreesAreRefused) {
  storage::QueryNode empty_and;
  empty_and.kind = storage::QueryNode::Kind::kAnd;
  EXPECT_EQ(TranslateQuery(empty_and, analyzer_).status().code(),
            absl::StatusCode::kInvalidArgument);
  storage::QueryNode subject;
  subject.kind = storage::QueryNode::Kind::kSubject;
  storage::QueryNode field;
  field.kind = storage::QueryNode::Kind::kField;
  field.text = "PGOV";
  subject.children.push_back(field);
  EXPECT_EQ(TranslateQuery(subject, analyzer_).status().code(),
            absl::StatusCode::kInvalidArgument);
  storage::QueryNode all;
  auto t = TranslateQuery(all, analyzer_);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->has_positive_text);
}

}  // namespace
}  // namespace cables::search::index
