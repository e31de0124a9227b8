// PgCableRepository against a real PostgreSQL started by tools/embedded-pg:
// idempotency, versioning, atomic batches, concurrency, reads.
#include <algorithm>
#include <atomic>
#include <functional>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "storage/pg_cable_repository.h"
#include "storage/testing/facet_checks.h"
#include "storage/testing/test_cables.h"
#include "storage/testing/test_database.h"

namespace cables::storage {
namespace {

using cables::v1::Cable;
using google::protobuf::util::MessageDifferencer;
using testing::MakeCable;
using testing::RehashCable;
using testing::TestDatabase;

// Every table's rows with their xmin/ctid: equal snapshots mean no row was
// inserted, updated or deleted in between.
constexpr char kRowSnapshot[] = R"sql(
SELECT md5(string_agg(t, ',' ORDER BY t)) FROM (
  SELECT 'c' || xmin || ctid AS t FROM cables
  UNION ALL SELECT 'v' || xmin || ctid FROM cable_versions
  UNION ALL SELECT 'p' || xmin || ctid FROM cable_paragraphs
  UNION ALL SELECT 't' || xmin || ctid FROM cable_tags
  UNION ALL SELECT 'r' || xmin || ctid FROM cable_references
  UNION ALL SELECT 'R' || xmin || ctid FROM cable_recipients
  UNION ALL SELECT 'a' || xmin || ctid FROM cable_aliases
  UNION ALL SELECT 'd' || xmin || ctid FROM origins
  UNION ALL SELECT 'g' || xmin || ctid FROM tags) x)sql";

class PgCableRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = TestDatabase::Create(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 8;
    auto repo = PgCableRepository::Open(options);
    ASSERT_TRUE(repo.ok()) << repo.status();
    repo_ = *std::move(repo);
  }

  std::string Q(const std::string& sql) {
    auto r = db_->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : "";
  }

  UpsertResult Upsert(const Cable& c, absl::string_view source = "test") {
    auto r = repo_->UpsertCable(c, source);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : UpsertResult{};
  }

  static void ExpectSameCable(Cable expected, int version, const Cable& got) {
    expected.set_version(version);
    // Set by the repository (migration 0006); its value is checked in
    // services/ingest/fixity_checker_pgtest.cc.
    EXPECT_EQ(got.content_sha512().size(), 128u);
    expected.set_content_sha512(got.content_sha512());
    std::string diff;
    MessageDifferencer d;
    d.ReportDifferencesToString(&diff);
    EXPECT_TRUE(d.Compare(expected, got)) << diff;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<PgCableRepository> repo_;
};

TEST_F(PgCableRepositoryTest, CreateThenUnchangedIsIdempotent) {
  const Cable c = MakeCable("05ALMATY1595");
  UpsertResult r = Upsert(c);
  EXPECT_EQ(r.outcome, UpsertOutcome::kCreated);
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(r.canonical_id, "05ALMATY1595");

  const std::string before = Q(kRowSnapshot);
  r = Upsert(c, "another source");
  EXPECT_EQ(r.outcome, UpsertOutcome::kUnchanged);
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(Q(kRowSnapshot), before) << "an unchanged upsert touched rows";
  EXPECT_EQ(Q("SELECT count(*) FROM cable_versions"), "1");
}

TEST_F(PgCableRepositoryTest, GetReturnsExactlyWhatWasStored) {
  Cable c = MakeCable("05ALMATY1595");
  c.set_subject("Ünïcödé — \"quotes\" and \\backslashes\\ and\ttabs");
  c.add_tags("ROOD, JOHN");
  c.add_tag_kinds(cables::v1::PERSON);
  c.mutable_paragraphs(0)->set_text("Line with\nnewline and {braces} and NULL");
  RehashCable(c);
  Upsert(c);
  auto got = repo_->GetCable("05ALMATY1595");
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameCable(c, 1, *got);
  EXPECT_EQ(Q("SELECT tags[4] FROM cables"), "ROOD, JOHN");
  EXPECT_EQ(Q("SELECT kind FROM cable_tags WHERE tag = 'ROOD, JOHN'"), "5");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_paragraphs"), "2");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_recipients"), "1");
  EXPECT_EQ(Q("SELECT count(*) FROM cables WHERE search @@ "
              "to_tsquery('english', 'government')"),
            "1");
  EXPECT_EQ(repo_->GetCable("05ALMATY9999").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PgCableRepositoryTest, NewContentIsANewVersionAndOldOnesStay) {
  const Cable v1 = MakeCable("05ALMATY1595", "2005-04-05", "first words");
  const Cable v2 = MakeCable("05ALMATY1595", "2005-04-05", "second words");
  ASSERT_NE(v1.content_sha256(), v2.content_sha256());
  EXPECT_EQ(Upsert(v1, "a.csv").outcome, UpsertOutcome::kCreated);
  UpsertResult r = Upsert(v2, "b.csv");
  EXPECT_EQ(r.outcome, UpsertOutcome::kNewVersion);
  EXPECT_EQ(r.version, 2);

  auto current = repo_->GetCable("05ALMATY1595");
  ASSERT_TRUE(current.ok());
  ExpectSameCable(v2, 2, *current);
  auto old = repo_->GetVersion("05ALMATY1595", 1);
  ASSERT_TRUE(old.ok()) << old.status();
  ExpectSameCable(v1, 1, *old);
  EXPECT_EQ(repo_->GetVersion("05ALMATY1595", 3).status().code(),
            absl::StatusCode::kNotFound);

  auto versions = repo_->ListVersions("05ALMATY1595");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 1);
  EXPECT_EQ((*versions)[0].source, "a.csv");
  EXPECT_EQ((*versions)[0].content_sha256, v1.content_sha256());
  EXPECT_FALSE((*versions)[0].current);
  EXPECT_EQ((*versions)[1].source, "b.csv");
  EXPECT_TRUE((*versions)[1].current);
  EXPECT_EQ((*versions)[1].source_format, cables::v1::CSV);

  // Known content (an old version) changes nothing.
  const std::string before = Q(kRowSnapshot);
  r = Upsert(v1);
  EXPECT_EQ(r.outcome, UpsertOutcome::kUnchanged);
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(Q(kRowSnapshot), before);
  EXPECT_EQ(Q("SELECT current_version FROM cables"), "2");
  // The current lists were replaced, not duplicated.
  EXPECT_EQ(Q("SELECT count(*) FROM cable_tags"), "3");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_paragraphs"), "4");
}

TEST_F(PgCableRepositoryTest, BulkUpsertIsIdempotentAndReportsPerItem) {
  std::vector<Cable> batch;
  for (int i = 1; i <= 120; ++i) {
    batch.push_back(MakeCable(absl::StrCat("06STATE", i), "2006-01-02",
                              absl::StrCat("words ", i),
                              i > 1 ? absl::StrCat("06STATE", i - 1) : ""));
  }
  auto first = repo_->BulkUpsert(batch, "bulk.csv");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ((*first)[i].canonical_id, batch[i].canonical_id());
    EXPECT_EQ((*first)[i].outcome, UpsertOutcome::kCreated);
  }
  EXPECT_EQ(Q("SELECT count(*) FROM cables"), "120");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_references"), "238");

  const std::string before = Q(kRowSnapshot);
  auto again = repo_->BulkUpsert(batch, "bulk.csv");
  ASSERT_TRUE(again.ok()) << again.status();
  for (const auto& r : *again) EXPECT_EQ(r.outcome, UpsertOutcome::kUnchanged);
  EXPECT_EQ(Q(kRowSnapshot), before);

  // A batch naming one cable twice, with two contents, applies both in order.
  std::vector<Cable> dup = {MakeCable("07STATE1", "2007-01-01", "one"),
                            MakeCable("07STATE1", "2007-01-01", "two"),
                            MakeCable("07STATE1", "2007-01-01", "one")};
  auto d = repo_->BulkUpsert(dup, "dup");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ((*d)[0].outcome, UpsertOutcome::kCreated);
  EXPECT_EQ((*d)[1].outcome, UpsertOutcome::kNewVersion);
  EXPECT_EQ((*d)[1].version, 2);
  EXPECT_EQ((*d)[2].outcome, UpsertOutcome::kUnchanged);
  EXPECT_EQ((*d)[2].version, 1);
}

TEST_F(PgCableRepositoryTest, FailedBatchLeavesNoTrace) {
  ASSERT_EQ(Upsert(MakeCable("05ALMATY1")).outcome, UpsertOutcome::kCreated);
  const std::string before = Q(kRowSnapshot);

  // Rejected by the server during COPY: invalid UTF-8 in the last cable.
  std::vector<Cable> batch = {MakeCable("05ALMATY2"), MakeCable("05ALMATY3"),
                              MakeCable("05ALMATY4")};
  batch[2].set_subject("bad \xff\xfe utf-8");
  auto r = repo_->BulkUpsert(batch, "bad");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument)
      << r.status();
  EXPECT_EQ(Q(kRowSnapshot), before);

  // Rejected half-way through the merge: cables rows are already inserted
  // when cable_versions refuses one of them.
  ASSERT_FALSE(Q(R"sql(
    CREATE FUNCTION fail_on_4() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.canonical_id = '05ALMATY4' THEN RAISE EXCEPTION 'sabotage'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fail_on_4 BEFORE INSERT ON cable_versions
      FOR EACH ROW EXECUTE FUNCTION fail_on_4();
    SELECT 'ok')sql")
                   .empty());
  batch[2] = MakeCable("05ALMATY4");
  r = repo_->BulkUpsert(batch, "bad");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(Q(kRowSnapshot), before);
  EXPECT_EQ(Q("SELECT count(*) FROM cables"), "1");

  // Client-side validation fails before touching the database.
  Cable no_hash = MakeCable("05ALMATY5");
  no_hash.set_content_sha256("XYZ");
  EXPECT_EQ(repo_->UpsertCable(no_hash, "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  Cable no_id = MakeCable("");
  EXPECT_EQ(repo_->UpsertCable(no_id, "x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PgCableRepositoryTest, ConcurrentWritersOfSameContentMakeOneRow) {
  const Cable c = MakeCable("08KABUL100");
  std::vector<UpsertResult> results(8);
  std::vector<absl::Status> statuses(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto r = repo_->UpsertCable(c, absl::StrCat("thread", t));
      statuses[t] = r.status();
      if (r.ok()) results[t] = *r;
    });
  }
  for (auto& t : threads) t.join();
  int created = 0;
  for (int t = 0; t < 8; ++t) {
    ASSERT_TRUE(statuses[t].ok()) << statuses[t];
    EXPECT_EQ(results[t].version, 1);
    created += results[t].outcome == UpsertOutcome::kCreated;
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(Q("SELECT count(*) FROM cables"), "1");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_versions"), "1");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_paragraphs"), "2");
}

TEST_F(PgCableRepositoryTest,
       ConcurrentWritersOfDifferentContentLoseNoVersion) {
  constexpr int kThreads = 8;
  std::vector<Cable> contents;
  for (int t = 0; t < kThreads; ++t) {
    contents.push_back(
        MakeCable("08KABUL200", "2008-02-03", absl::StrCat("writer ", t)));
  }
  std::vector<absl::StatusOr<UpsertResult>> results(kThreads,
                                                    absl::UnknownError(""));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each writer stores its content twice: the repeat must be unchanged.
      results[t] = repo_->UpsertCable(contents[t], "w");
      if (results[t].ok()) {
        auto again = repo_->UpsertCable(contents[t], "w");
        if (!again.ok() || again->outcome != UpsertOutcome::kUnchanged ||
            again->version != results[t]->version) {
          results[t] = absl::InternalError("repeat was not unchanged");
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<int> versions;
  int created = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    versions.insert(r->version);
    created += r->outcome == UpsertOutcome::kCreated;
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(versions.size(), static_cast<size_t>(kThreads));
  EXPECT_EQ(*versions.begin(), 1);
  EXPECT_EQ(*versions.rbegin(), kThreads);
  EXPECT_EQ(Q("SELECT count(*) FROM cables"), "1");
  EXPECT_EQ(Q("SELECT count(DISTINCT content_sha256) FROM cable_versions"),
            std::to_string(kThreads));
  EXPECT_EQ(Q("SELECT current_version FROM cables"), std::to_string(kThreads));
  // Every stored version reads back as the content its writer sent.
  for (int t = 0; t < kThreads; ++t) {
    auto v = repo_->GetVersion("08KABUL200", results[t]->version);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->content_sha256(), contents[t].content_sha256());
  }
  // The current lists belong to exactly one version.
  EXPECT_EQ(Q("SELECT count(*) FROM cable_tags"), "3");
}

TEST_F(PgCableRepositoryTest, ConcurrentOverlappingBatches) {
  // Two writers import overlapping batches in opposite orders.
  std::vector<Cable> forward;
  for (int i = 0; i < 200; ++i) {
    forward.push_back(MakeCable(absl::StrCat("09STATE", i), "2009-05-05"));
  }
  std::vector<Cable> backward(forward.rbegin(), forward.rend());
  absl::StatusOr<std::vector<UpsertResult>> a = absl::UnknownError(""),
                                            b = absl::UnknownError("");
  std::thread ta([&] { a = repo_->BulkUpsert(forward, "a"); });
  std::thread tb([&] { b = repo_->BulkUpsert(backward, "b"); });
  ta.join();
  tb.join();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  int created = 0;
  for (const auto& r : *a) created += r.outcome == UpsertOutcome::kCreated;
  for (const auto& r : *b) created += r.outcome == UpsertOutcome::kCreated;
  EXPECT_EQ(created, 200);
  EXPECT_EQ(Q("SELECT count(*) FROM cables"), "200");
  EXPECT_EQ(Q("SELECT count(*) FROM cable_versions"), "200");
}

TEST_F(PgCableRepositoryTest, ChangeLogRecordsCreatesAndNewVersionsOnly) {
  Upsert(MakeCable("05ALMATY1595"));
  Upsert(MakeCable("05ALMATY1595"));  // unchanged: no entry
  Upsert(MakeCable("05ALMATY1595", "2005-06-01", "second text"));
  auto changes = repo_->ListChanges(0, 100);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].kind, ChangeKind::kCreated);
  EXPECT_EQ((*changes)[0].version, 1);
  EXPECT_EQ((*changes)[1].kind, ChangeKind::kNewVersion);
  EXPECT_EQ((*changes)[1].version, 2);
  EXPECT_EQ((*changes)[1].canonical_id, "05ALMATY1595");
  EXPECT_LT((*changes)[0].position, (*changes)[1].position);
  EXPECT_EQ(*repo_->LastChangePosition(), (*changes)[1].position);
  auto after = repo_->ListChanges((*changes)[0].position, 100);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(repo_->ListChanges(0, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A reader polling with the last position it saw, while writers commit
// concurrently, sees every change exactly once.
TEST_F(PgCableRepositoryTest, ChangeLogPollingMissesNothingUnderConcurrency) {
  constexpr int kWriters = 4;
  constexpr int kBatches = 15;
  std::atomic<bool> done{false};
  std::set<std::string> seen;
  int duplicates = 0;
  std::thread reader([&] {
    int64_t last = 0;
    while (true) {
      const bool finished = done.load();
      auto changes = repo_->ListChanges(last, 1000);
      ASSERT_TRUE(changes.ok()) << changes.status();
      for (const auto& c : *changes) {
        ASSERT_GT(c.position, last);
        last = c.position;
        duplicates += !seen.insert(c.canonical_id).second;
      }
      if (finished && changes->empty()) break;
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<Cable> batch;
        for (int i = 0; i < 5; ++i) {
          batch.push_back(
              MakeCable(absl::StrCat("09STATE", w, b, i, "0"), "2009-05-05"));
        }
        auto r = repo_->BulkUpsert(batch, "w");
        EXPECT_TRUE(r.ok()) << r.status();
      }
    });
  }
  for (auto& t : writers) t.join();
  done = true;
  reader.join();
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kWriters * kBatches * 5));
}

TEST_F(PgCableRepositoryTest, ResolvesAliasesAndCanonicalForms) {
  Cable c = MakeCable("05RIODEJANEIRO123");
  c.set_reference_id("05RIO123");
  RehashCable(c);
  Upsert(c);
  for (const char* id : {"05RIODEJANEIRO123", "05RIO123"}) {
    auto got = repo_->GetCable(id);
    ASSERT_TRUE(got.ok()) << id << ": " << got.status();
    EXPECT_EQ(got->canonical_id(), "05RIODEJANEIRO123");
  }
  auto r = repo_->ResolveId("05RIODEJANEIRO000123");  // via the canonicalizer
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, "05RIODEJANEIRO123");
  EXPECT_EQ(repo_->ResolveId("nonsense").status().code(),
            absl::StatusCode::kNotFound);

  auto batch =
      repo_->BatchGetCables({"05RIO123", "missing", "05RIODEJANEIRO123"});
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->size(), 3u);
  ASSERT_TRUE((*batch)[0].has_value());
  EXPECT_FALSE((*batch)[1].has_value());
  ASSERT_TRUE((*batch)[2].has_value());
  EXPECT_EQ((*batch)[2]->paragraphs_size(), 2);
}

TEST_F(PgCableRepositoryTest, ReferencesAndCitedByWorkBeforeTheCitedArrives) {
  Upsert(MakeCable("06STATE2", "2006-03-01", "x", "06STATE1"));
  Upsert(MakeCable("06STATE3", "2006-03-02", "y", "06STATE1"));

  auto cited_by = repo_->GetCitedBy("06STATE1", 10, "");
  ASSERT_TRUE(cited_by.ok()) << cited_by.status();
  ASSERT_EQ(cited_by->cables.size(), 2u);
  EXPECT_EQ(cited_by->cables[0].canonical_id, "06STATE3");  // newest first
  EXPECT_EQ(cited_by->cables[0].letter, "A");
  EXPECT_EQ(cited_by->cables[1].canonical_id, "06STATE2");
  EXPECT_EQ(cited_by->total, 2);
  EXPECT_TRUE(cited_by->next_page_token.empty());
  EXPECT_EQ(repo_->GetCitedBy("06STATE1", 1, "")->cables.size(), 1u);

  auto refs = repo_->GetReferences("06STATE2");
  ASSERT_TRUE(refs.ok());
  ASSERT_EQ(refs->size(), 2u);
  EXPECT_EQ((*refs)[0].reference.id(), "06STATE1");
  EXPECT_EQ((*refs)[0].reference.kind(), cables::v1::Reference::CABLE);
  EXPECT_FALSE((*refs)[0].in_archive);
  EXPECT_EQ((*refs)[1].reference.kind(), cables::v1::Reference::EMAIL);
  EXPECT_EQ((*refs)[1].reference.text(), "EMAIL OF 3/4/05");

  Upsert(MakeCable("06STATE1", "2006-01-01"));
  refs = repo_->GetReferences("06STATE2");
  ASSERT_TRUE(refs.ok());
  EXPECT_TRUE((*refs)[0].in_archive);
  EXPECT_EQ((*refs)[0].cited_subject, "KAZAKHSTAN: SUBJECT OF 06STATE1");
  ASSERT_TRUE((*refs)[0].cited_created.has_value());
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d", *(*refs)[0].cited_created,
                             absl::UTCTimeZone()),
            "2006-01-01");
  EXPECT_EQ(repo_->GetReferences("06STATE99").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(repo_->GetCitedBy("06STATE99", 10, "")->cables.empty());
}

TEST_F(PgCableRepositoryTest, CitedByPagesVisitEveryCitingCableOnce) {
  // Five citing cables, two on one day and one without a date; a sixth
  // arrives between pages.
  Upsert(MakeCable("07STATE2", "2007-03-01", "x", "07STATE1"));
  Upsert(MakeCable("07STATE3", "2007-03-02", "x", "07STATE1"));
  Upsert(MakeCable("07STATE4", "2007-03-02", "x", "07STATE1"));
  Upsert(MakeCable("07STATE5", "2007-03-04", "x", "07STATE1"));
  Upsert(MakeCable("07STATE6", "", "x", "07STATE1"));
  std::vector<std::string> seen;
  std::string token;
  for (int page = 0; page < 10; ++page) {
    auto cited_by = repo_->GetCitedBy("07STATE1", 2, token);
    ASSERT_TRUE(cited_by.ok()) << cited_by.status();
    EXPECT_LE(cited_by->cables.size(), 2u);
    for (const CitingCable& c : cited_by->cables) {
      seen.push_back(c.canonical_id);
    }
    if (page == 0) {
      EXPECT_EQ(cited_by->total, 5);
      // One behind the cursor (newer: not in later pages), one ahead.
      Upsert(MakeCable("07STATE8", "2007-03-05", "x", "07STATE1"));
      Upsert(MakeCable("07STATE7", "2007-02-28", "x", "07STATE1"));
    }
    token = cited_by->next_page_token;
    if (token.empty()) break;
  }
  // Newest first, ties by id descending, the undated last; of the cables
  // added after page one, the one ahead of the cursor is seen.
  EXPECT_EQ(seen,
            (std::vector<std::string>{"07STATE5", "07STATE4", "07STATE3",
                                      "07STATE2", "07STATE7", "07STATE6"}));
  auto first = repo_->GetCitedBy("07STATE1", 2, "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(
      repo_->GetCitedBy("07STATE2", 2, first->next_page_token).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(repo_->GetCitedBy("07STATE1", 2, "garbage").status().code(),
            absl::StatusCode::kInvalidArgument);
}

class ListTest : public PgCableRepositoryTest {
 protected:
  void SetUp() override {
    PgCableRepositoryTest::SetUp();
    if (HasFatalFailure()) return;
    std::vector<Cable> batch;
    for (int i = 0; i < 30; ++i) {
      // Dates repeat (pairs share a day) to exercise the id tie-break; two
      // cables are undated.
      Cable c = MakeCable(absl::StrCat("0", i % 3 + 5, "POST", i),
                          i >= 28 ? ""
                                  : absl::StrCat("200", i % 3 + 5, "-0",
                                                 i / 10 + 1, "-1", i / 2 % 10));
      c.set_origin(i % 2 ? "Embassy Almaty" : "Embassy Kabul");
      c.set_classification(i % 3 ? "CONFIDENTIAL" : "SECRET//NOFORN");
      if (i % 5 == 0) c.add_caveats("NOFORN");
      if (i % 4 == 0) {
        c.add_tags("SNAR");
        c.add_tag_kinds(cables::v1::SUBJECT);
      }
      RehashCable(c);
      batch.push_back(c);
    }
    ASSERT_TRUE(repo_->BulkUpsert(batch, "list").ok());
  }

  // All ids of a listing, page by page; checks page sizes.
  std::vector<std::string> ListAll(ListCablesRequest request) {
    std::vector<std::string> ids;
    for (int pages = 0; pages < 100; ++pages) {
      auto r = repo_->ListCables(request);
      EXPECT_TRUE(r.ok()) << r.status();
      if (!r.ok()) break;
      EXPECT_LE(static_cast<int>(r->cables.size()), request.page_size);
      for (const auto& c : r->cables) {
        EXPECT_TRUE(c.body().empty());
        EXPECT_GE(c.version(), 1);
        ids.push_back(c.canonical_id());
      }
      if (r->next_page_token.empty()) break;
      request.page_token = r->next_page_token;
    }
    return ids;
  }

  std::vector<std::string> Expected(const std::string& where, bool desc) {
    const std::string dir = desc ? " DESC" : "";
    std::string ids =
        Q("SELECT string_agg(canonical_id, ',' ORDER BY sort_date" + dir +
          ", canonical_id" + dir + ") FROM cables WHERE " + where);
    std::vector<std::string> out;
    if (ids.empty()) return out;
    size_t start = 0;
    while (true) {
      const size_t comma = ids.find(',', start);
      out.push_back(ids.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return out;
  }
};

TEST_F(ListTest, KeysetPaginationVisitsEveryCableOnceInOrder) {
  ListCablesRequest req;
  req.page_size = 7;
  EXPECT_EQ(ListAll(req), Expected("true", /*desc=*/true));
  req.order = SortOrder::kOldestFirst;
  EXPECT_EQ(ListAll(req), Expected("true", /*desc=*/false));
  EXPECT_EQ(ListAll(req).size(), 30u);
}

TEST_F(ListTest, Filters) {
  ListCablesRequest req;
  req.page_size = 4;
  req.filter.origin = "Embassy Almaty";
  EXPECT_EQ(ListAll(req), Expected("origin = 'Embassy Almaty'", true));
  req.filter = {};
  req.filter.tags = {"SNAR", "PGOV"};
  EXPECT_EQ(ListAll(req), Expected("tags @> '{SNAR,PGOV}'", true));
  req.filter = {};
  req.filter.caveats = {"NOFORN"};
  req.filter.classification = "SECRET//NOFORN";
  EXPECT_EQ(
      ListAll(req),
      Expected("'NOFORN' = ANY(caveats) AND classification = 'SECRET//NOFORN'",
               true));
  req.filter = {};
  absl::Time from, until;
  std::string err;
  ASSERT_TRUE(absl::ParseTime("%Y-%m-%d", "2006-01-01", &from, &err));
  ASSERT_TRUE(absl::ParseTime("%Y-%m-%d", "2007-01-01", &until, &err));
  req.filter.created_from = from;
  req.filter.created_until = until;
  const auto in_2006 = ListAll(req);
  EXPECT_EQ(
      in_2006,
      Expected("created >= '2006-01-01Z' AND created < '2007-01-01Z'", true));
  EXPECT_FALSE(in_2006.empty());
  req.filter = {};
  req.filter.origin = "Nowhere";
  EXPECT_TRUE(ListAll(req).empty());
}

FilterExpr Cond(FilterCondition::Field field, FilterCondition::Op op,
                std::string text) {
  FilterExpr e;
  e.kind = FilterExpr::Kind::kCondition;
  e.condition.field = field;
  e.condition.op = op;
  e.condition.text = std::move(text);
  return e;
}

FilterExpr Combine(FilterExpr::Kind kind, std::vector<FilterExpr> children) {
  FilterExpr e;
  e.kind = kind;
  e.children = std::move(children);
  return e;
}

// Filter expressions agree with the same condition written in SQL.
TEST_F(ListTest, FilterExpressionsAgreeWithSql) {
  using F = FilterCondition::Field;
  using O = FilterCondition::Op;
  using K = FilterExpr::Kind;
  ListCablesRequest req;
  req.page_size = 4;
  req.filter.expr = Combine(K::kOr, {Cond(F::kTag, O::kHas, "snar"),
                                     Cond(F::kCaveat, O::kHas, "NOFORN")});
  EXPECT_EQ(ListAll(req),
            Expected("('SNAR' = ANY(tags) OR 'NOFORN' = ANY(caveats))", true));
  req.filter.expr =
      Combine(K::kAnd, {Combine(K::kNot, {Cond(F::kOrigin, O::kHas, "kabul")}),
                        Cond(F::kClassification, O::kHas, "secret")});
  EXPECT_EQ(ListAll(req),
            Expected("origin NOT ILIKE '%kabul%' AND classification LIKE "
                     "'SECRET//%'",
                     true));
  req.filter.expr = Cond(F::kId, O::kPrefix, "06post1");
  EXPECT_EQ(ListAll(req), Expected("canonical_id LIKE '06POST1%'", true));
  // LIKE metacharacters in values are literal.
  req.filter.expr = Cond(F::kOrigin, O::kHas, "%");
  EXPECT_TRUE(ListAll(req).empty());
  req.filter.expr = Cond(F::kOrigin, O::kPrefix, "Embassy_");
  EXPECT_TRUE(ListAll(req).empty());
  // Undated cables: never match a date comparison, always its negation.
  FilterExpr after = Cond(F::kCreated, O::kGreaterEqual, "");
  std::string err;
  ASSERT_TRUE(
      absl::ParseTime("%Y-%m-%d", "2006-01-01", &after.condition.time, &err));
  req.filter.expr = after;
  EXPECT_EQ(ListAll(req), Expected("created >= '2006-01-01Z'", true));
  req.filter.expr = Combine(K::kNot, {after});
  EXPECT_EQ(ListAll(req),
            Expected("(created < '2006-01-01Z' OR created IS NULL)", true));
  FilterExpr partial = Cond(F::kPartial, O::kEquals, "");
  partial.condition.flag = true;  // MakeCable's cables are complete
  req.filter.expr = partial;
  EXPECT_TRUE(ListAll(req).empty());
  req.filter.expr = Combine(K::kNot, {partial});
  EXPECT_EQ(ListAll(req).size(), 30u);
  // Facets and month counts take the same expressions.
  req.filter.expr = Cond(F::kTag, O::kEquals, "SNAR");
  auto facets = repo_->GetFacetCounts(req.filter, 10);
  ASSERT_TRUE(facets.ok()) << facets.status();
  EXPECT_EQ(std::to_string(facets->total),
            Q("SELECT count(*) FROM cables WHERE 'SNAR' = ANY(tags)"));
}

TEST_F(ListTest, OrdersByIdAndReleased) {
  ListCablesRequest req;
  req.page_size = 7;
  req.sort_key = SortKey::kId;
  const std::vector<std::string> by_id = ListAll(req);
  std::vector<std::string> sorted = by_id;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  EXPECT_EQ(by_id, sorted);
  EXPECT_EQ(by_id.size(), 30u);
  req.order = SortOrder::kOldestFirst;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(ListAll(req), sorted);
  // Released: set for a few cables, the rest sort first ascending.
  Q("UPDATE cables SET released = created + interval '5 years' "
    "WHERE canonical_id LIKE '05%'");
  req.sort_key = SortKey::kReleased;
  const std::vector<std::string> by_released = absl::StrSplit(
      Q("SELECT string_agg(canonical_id, ',' ORDER BY coalesce(released, "
        "'-infinity'), canonical_id) FROM cables"),
      ',');
  EXPECT_EQ(ListAll(req), by_released);
  // A token of one order is refused by another.
  req.page_size = 3;
  auto first = repo_->ListCables(req);
  ASSERT_TRUE(first.ok());
  req.page_token = first->next_page_token;
  req.sort_key = SortKey::kCreated;
  EXPECT_EQ(repo_->ListCables(req).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ListTest, RejectsBadPageSizeAndForeignTokens) {
  ListCablesRequest req;
  req.page_size = 5;
  auto page = repo_->ListCables(req);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->next_page_token.empty());
  req.page_token = page->next_page_token;
  req.filter.origin = "Embassy Kabul";
  EXPECT_EQ(repo_->ListCables(req).status().code(),
            absl::StatusCode::kInvalidArgument);
  req.page_token = "garbage";
  EXPECT_EQ(repo_->ListCables(req).status().code(),
            absl::StatusCode::kInvalidArgument);
  req = {};
  req.page_size = 1001;
  EXPECT_EQ(repo_->ListCables(req).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ListTest, FacetCounts) {
  auto f = repo_->GetFacetCounts({}, 10);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->total, 30);
  ASSERT_EQ(f->origins.size(), 2u);
  EXPECT_EQ(f->origins[0].count + f->origins[1].count, 30);
  EXPECT_EQ(f->origins[0].value, "Embassy Almaty");  // tie: by value
  ASSERT_EQ(f->classifications.size(), 2u);
  EXPECT_EQ(f->classifications[0].value, "CONFIDENTIAL");
  EXPECT_EQ(f->classifications[0].count, 20);
  ASSERT_FALSE(f->tags.empty());
  EXPECT_EQ(f->tags[0].count, 30);  // every cable: KZ, PGOV, PREL
  std::set<std::string> caveats;
  for (const auto& c : f->caveats) caveats.insert(c.value);
  EXPECT_EQ(caveats, (std::set<std::string>{"NOFORN", "SIPDIS"}));
  int64_t dated = 0;
  for (const auto& y : f->years) dated += y.count;
  EXPECT_EQ(dated, 28);
  ASSERT_EQ(f->years.size(), 3u);
  EXPECT_EQ(f->years[0].value, "2005");

  CableFilter snar;
  snar.tags = {"SNAR"};
  f = repo_->GetFacetCounts(snar, 2);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->total, 8);
  EXPECT_EQ(f->tags.size(), 2u);
  EXPECT_EQ(f->tags[0].count, 8);
}

using storage::testing::kFacetCounterMismatches;

TEST_F(ListTest, FacetCountersStayExactThroughNewVersions) {
  EXPECT_EQ(Q(kFacetCounterMismatches), "0");
  // New versions moving cables to other origins/tags/years, concurrently.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 30; i += 4) {
        Cable c = MakeCable(absl::StrCat("0", i % 3 + 5, "POST", i),
                            i % 2 ? "1999-09-09" : "", "rewritten");
        c.set_origin(absl::StrCat("Consulate ", t));
        c.clear_tags();
        c.clear_tag_kinds();
        c.add_tags(absl::StrCat("TAG", t));
        c.add_tag_kinds(cables::v1::SUBJECT);
        RehashCable(c);
        EXPECT_TRUE(repo_->UpsertCable(c, "rewrite").ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Q(kFacetCounterMismatches), "0");
  auto f = repo_->GetFacetCounts({}, 50);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->total, 30);
  ASSERT_EQ(f->origins.size(), 4u);
  EXPECT_EQ(f->origins[0].value, "Consulate 0");  // 8 cables; others 7/8
  for (const auto& o : f->origins) EXPECT_NE(o.value, "Embassy Kabul");
  ASSERT_EQ(f->years.size(), 1u);
  EXPECT_EQ(f->years[0].value, "1999");
  EXPECT_EQ(f->years[0].count, 15);
}

TEST_F(PgCableRepositoryTest, IngestRequestLog) {
  auto none = repo_->LookupIngestRequest("req-1");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  const std::string response("\x00\x01binary\xff", 9);
  EXPECT_TRUE(repo_->RecordIngestRequest("req-1", response).ok());
  auto found = repo_->LookupIngestRequest("req-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, response);
  EXPECT_EQ(repo_->RecordIngestRequest("req-1", "other").code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(PgCableRepositoryTest, BulkLoadDefersAndRestoresTheSearchIndex) {
  const std::string has_index =
      "SELECT to_regclass('cables_search_idx') IS NOT NULL";
  const std::string index_def = Q(
      "SELECT indexdef FROM pg_indexes WHERE indexname = 'cables_search_idx'");
  ASSERT_FALSE(index_def.empty());
  ASSERT_TRUE(repo_->BeginBulkLoad().ok());
  ASSERT_TRUE(repo_->BeginBulkLoad().ok());  // idempotent
  EXPECT_EQ(Q(has_index), "f");
  EXPECT_EQ(Q("SELECT definition FROM deferred_indexes"), index_def);
  Upsert(MakeCable("05ALMATY1595", "2005-04-05", "plutonium"));
  EXPECT_EQ(Q("SELECT count(*) FROM cables WHERE search @@ "
              "to_tsquery('english', 'plutonium')"),
            "1");

  // A crashed import: another repository finishes it.
  repo_.reset();
  ConnectionPoolOptions options;
  options.database_url = db_->url();
  auto other = PgCableRepository::Open(options);
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE((*other)->EndBulkLoad().ok());
  EXPECT_EQ(Q(has_index), "t");
  EXPECT_EQ(Q("SELECT indexdef FROM pg_indexes WHERE indexname = "
              "'cables_search_idx'"),
            index_def);
  EXPECT_EQ(Q("SELECT count(*) FROM deferred_indexes"), "0");
  EXPECT_TRUE((*other)->EndBulkLoad().ok());  // idempotent
  EXPECT_TRUE((*other)->Ping().ok());
  EXPECT_EQ(Q("SET enable_seqscan = off; SELECT count(*) FROM cables WHERE "
              "search @@ to_tsquery('english', 'plutonium')"),
            "1");
}

TEST(PgCableRepositoryOpenTest, RefusesUnmigratedDatabase) {
  auto db = TestDatabase::Create("unmigrated", /*migrate=*/false);
  ASSERT_TRUE(db.ok()) << db.status();
  ConnectionPoolOptions options;
  options.database_url = (*db)->url();
  EXPECT_EQ(PgCableRepository::Open(options).status().code(),
            absl::StatusCode::kFailedPrecondition);
  options.database_url = "";
  EXPECT_EQ(PgCableRepository::Open(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cables::storage
