// Fixity and provenance on a real database: digests and PREMIS events of
// every write, VerifyFixity over gRPC (clean archive, a corrupted row, the
// repair of missing SHA-512 digests), ListCableEvents, and the backfill of
// migration 0006 (its SQL rebuild of the canonical bytes must equal the
// parser's, on real cables and on whitespace edge cases).
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/error_details.h"
#include "services/ingest/bagit/bag_verifier.h"
#include "services/ingest/document_items.h"
#include "services/ingest/fixity_checker.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/ingest/parser/content_hash.h"
#include "services/ingest/testing/ingest_fixture.h"
#include "services/metadata/cable_events.h"
#include "storage/embedded_migrations.h"
#include "storage/migrator.h"

namespace cables::ingest {
namespace {

using testing::CorpusFiles;
using ::testing::HasSubstr;
using testing::ReadWholeFile;

std::string Sha512Of(const cables::v1::Cable& cable) {
  return bagit::HexDigest(bagit::Algorithm::kSha512,
                          parser::ContentSerialization(cable));
}

cables::v1::Cable Parse(const std::string& path) {
  auto cable = parser::ParseCable(ReadWholeFile(path));
  EXPECT_TRUE(cable.ok()) << path << ": " << cable.status();
  return cable.ok() ? *std::move(cable) : cables::v1::Cable();
}

class FixityTest : public testing::IngestFixture {
 protected:
  std::string DatabasePrefix() const override { return "fixity"; }

  // Imports the first `n` corpus cables; returns their parsed forms.
  std::vector<cables::v1::Cable> ImportCorpus(size_t n) {
    std::vector<cables::v1::ImportCablesRequest::Document> documents;
    std::vector<cables::v1::Cable> parsed;
    for (const std::string& file : CorpusFiles(n)) {
      cables::v1::ImportCablesRequest::Document d;
      d.set_position(static_cast<int64_t>(documents.size()) + 1);
      d.set_source(file);
      d.set_content(ReadWholeFile(file));
      documents.push_back(std::move(d));
      parsed.push_back(Parse(file));
    }
    auto response = ingester_->ImportBatch(documents);
    EXPECT_TRUE(response.ok()) << response.status();
    return parsed;
  }

  // Runs VerifyFixity to the end; returns every message.
  grpc::Status Verify(const cables::v1::VerifyFixityRequest& request,
                      std::vector<cables::v1::VerifyFixityResponse>* out) {
    grpc::ClientContext context;
    auto reader = stub_->VerifyFixity(&context, request);
    cables::v1::VerifyFixityResponse response;
    while (reader->Read(&response)) out->push_back(response);
    return reader->Finish();
  }

  std::string Count(const std::string& sql) { return db_->Query(sql).value(); }
};

TEST_F(FixityTest, EveryWriteStoresBothDigestsAndItsEvents) {
  const std::vector<cables::v1::Cable> cables = ImportCorpus(5);
  EXPECT_EQ(Count("SELECT count(*) FROM cable_versions"
                  " WHERE content_sha512 IS NULL"),
            "0");
  const cables::v1::Cable& first = cables.front();
  EXPECT_EQ(Count(absl::StrCat("SELECT content_sha512 FROM cable_versions"
                               " WHERE canonical_id = '",
                               first.canonical_id(), "'")),
            Sha512Of(first));
  auto stored = repository_->GetCable(first.canonical_id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->content_sha512(), Sha512Of(first));
  EXPECT_EQ(stored->content_sha256(), first.content_sha256());

  storage::ListEventsRequest list;
  list.canonical_id = first.canonical_id();
  auto events = repository_->ListEvents(list);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, storage::EventType::kIngestion);
  EXPECT_THAT((*events)[0].detail, HasSubstr("created version 1 from"));
  EXPECT_EQ((*events)[1].type, storage::EventType::kMessageDigestCalculation);
  EXPECT_THAT((*events)[1].detail, HasSubstr(Sha512Of(first)));
  EXPECT_THAT((*events)[1].detail, HasSubstr(first.content_sha256()));
  for (const auto& e : *events) {
    EXPECT_EQ(e.agent, IngestAgent());
    EXPECT_TRUE(e.success);
    EXPECT_EQ(e.version, 1);
  }
  EXPECT_THAT(IngestAgent(), HasSubstr("cables-ingest 0."));

  // Unchanged content: no data written, so no event either.
  ImportCorpus(5);
  EXPECT_EQ(Count("SELECT count(*) FROM cable_events"), "10");

  // A new version: ingestion, digests and the metadata modification.
  cables::v1::IngestCableRequest request;
  std::string page = ReadWholeFile(CorpusFiles(1)[0]);
  const size_t at = page.rfind("</pre>");
  ASSERT_NE(at, std::string::npos);
  page.insert(at, "\nCORRECTED.");
  request.set_content(page);
  request.set_source("correction");
  auto response = ingester_->IngestCable(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->outcome(), cables::v1::NEW_VERSION);
  list.version = 2;
  events = repository_->ListEvents(list);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[2].type, storage::EventType::kMetadataModification);
  EXPECT_EQ((*events)[2].detail, "current version 1 -> 2");
}

TEST_F(FixityTest, ListCableEventsPagesAndFilters) {
  const std::vector<cables::v1::Cable> cables = ImportCorpus(3);
  const std::string id = cables[1].canonical_id();
  cables::v1::ListCableEventsRequest request;
  request.set_parent(absl::StrCat("cables/", absl::AsciiStrToLower(id)));
  request.set_page_size(1);
  std::vector<cables::v1::CableEvent> seen;
  for (int page = 0; page < 5; ++page) {
    auto response = metadata::ListCableEvents(*repository_, request);
    ASSERT_TRUE(response.ok()) << response.status();
    for (const auto& e : response->events()) seen.push_back(e);
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].event_type(), cables::v1::CableEvent::INGESTION);
  EXPECT_EQ(seen[1].event_type(),
            cables::v1::CableEvent::MESSAGE_DIGEST_CALCULATION);
  EXPECT_EQ(seen[0].name(),
            absl::StrCat("cables/", id, "/events/", seen[0].event_id()));
  EXPECT_LT(seen[0].event_id(), seen[1].event_id());

  // A token of another query is refused.
  cables::v1::ListCableEventsRequest other;
  other.set_parent("cables/-");
  other.set_page_token(request.page_token());
  EXPECT_EQ(metadata::ListCableEvents(*repository_, other).status().code(),
            absl::StatusCode::kInvalidArgument);

  // Every cable, filtered.
  cables::v1::ListCableEventsRequest all;
  all.set_parent("cables/-");
  all.set_filter("event_type = INGESTION AND outcome = SUCCESS");
  auto response = metadata::ListCableEvents(*repository_, all);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->events_size(), 3);

  cables::v1::ListCableEventsRequest absent;
  absent.set_parent("cables/99NOWHERE1");
  EXPECT_EQ(metadata::ListCableEvents(*repository_, absent).status().code(),
            absl::StatusCode::kNotFound);
  absent.set_parent("cables/not a cable id");
  EXPECT_EQ(metadata::ListCableEvents(*repository_, absent).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(FixityTest, VerifyFixityReportsACorruptedRow) {
  const std::vector<cables::v1::Cable> cables = ImportCorpus(12);
  cables::v1::VerifyFixityRequest request;
  request.set_page_size(5);
  std::vector<cables::v1::VerifyFixityResponse> clean;
  ASSERT_TRUE(Verify(request, &clean).ok());
  ASSERT_EQ(clean.size(), 3u);  // 5 + 5 + 2
  EXPECT_TRUE(clean.back().done());
  EXPECT_EQ(clean.back().versions_checked(), 12);
  EXPECT_EQ(clean.back().versions_total(), 12);
  EXPECT_EQ(clean.back().mismatches_total(), 0);
  EXPECT_EQ(clean.back().missing_sha512(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM cable_events"
                  " WHERE event_type = 'fixity check' AND outcome = 'success'"),
            "12");

  // Change one letter of one stored body.
  const std::string victim = cables[7].canonical_id();
  ASSERT_TRUE(
      db_->Query(absl::StrCat("UPDATE cable_versions SET body = overlay(body "
                              "placing (CASE WHEN substr(body, 40, 1) = 'X' "
                              "THEN 'Y' ELSE 'X' END) from 40 for 1) "
                              "WHERE canonical_id = '",
                              victim, "'"))
          .ok());
  std::vector<cables::v1::VerifyFixityResponse> dirty;
  ASSERT_TRUE(Verify(request, &dirty).ok());
  EXPECT_EQ(dirty.back().mismatches_total(), 2);  // SHA-256 and SHA-512
  std::vector<cables::v1::FixityMismatch> mismatches;
  for (const auto& r : dirty) {
    for (const auto& m : r.mismatches()) mismatches.push_back(m);
  }
  ASSERT_EQ(mismatches.size(), 2u);
  for (const auto& m : mismatches) {
    EXPECT_EQ(m.canonical_id(), victim);
    EXPECT_EQ(m.version(), 1);
    EXPECT_NE(m.stored_digest(), m.computed_digest());
  }
  EXPECT_EQ(mismatches[0].algorithm(), "sha256");
  EXPECT_EQ(mismatches[0].stored_digest(), cables[7].content_sha256());
  EXPECT_EQ(mismatches[1].algorithm(), "sha512");
  storage::ListEventsRequest failures;
  failures.success = false;
  auto events = repository_->ListEvents(failures);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].canonical_id, victim);
  EXPECT_EQ((*events)[0].type, storage::EventType::kFixityCheck);
  EXPECT_THAT((*events)[0].detail, HasSubstr("SHA-256 mismatch"));

  // Resuming after the victim finds nothing more.
  request.set_resume_after_id(victim);
  request.set_resume_after_version(1);
  std::vector<cables::v1::VerifyFixityResponse> rest;
  ASSERT_TRUE(Verify(request, &rest).ok());
  EXPECT_EQ(rest.back().mismatches_total(), 0);
  int64_t after_victim = 0;
  for (const auto& c : cables) after_victim += c.canonical_id() > victim;
  EXPECT_EQ(rest.back().versions_checked(), after_victim);

  request.set_page_size(-1);
  std::vector<cables::v1::VerifyFixityResponse> none;
  EXPECT_EQ(Verify(request, &none).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(FixityTest, UnreadableStoredContentIsAMismatch) {
  const std::vector<cables::v1::Cable> cables = ImportCorpus(2);
  ASSERT_TRUE(
      db_->Query(absl::StrCat("UPDATE cable_versions SET cable = '\\xffffff'"
                              " WHERE canonical_id = '",
                              cables[0].canonical_id(), "'"))
          .ok());
  auto page = ingester_->fixity().CheckPage("", 0, 10, false);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->mismatches.size(), 1u);
  EXPECT_EQ(page->mismatches[0].algorithm(), "content");
  EXPECT_EQ(page->mismatches[0].canonical_id(), cables[0].canonical_id());
}

TEST_F(FixityTest, RepairFillsMissingSha512WithEvents) {
  const std::vector<cables::v1::Cable> cables = ImportCorpus(6);
  ASSERT_TRUE(
      db_->Query("UPDATE cable_versions SET content_sha512 = NULL").ok());
  cables::v1::VerifyFixityRequest request;
  std::vector<cables::v1::VerifyFixityResponse> check;
  ASSERT_TRUE(Verify(request, &check).ok());
  EXPECT_EQ(check.back().missing_sha512(), 6);
  EXPECT_EQ(check.back().repaired(), 0);
  EXPECT_EQ(check.back().mismatches_total(), 0);

  request.set_repair_missing(true);
  std::vector<cables::v1::VerifyFixityResponse> repair;
  ASSERT_TRUE(Verify(request, &repair).ok());
  EXPECT_EQ(repair.back().repaired(), 6);
  EXPECT_EQ(repair.back().missing_sha512(), 0);
  for (const auto& c : cables) {
    EXPECT_EQ(Count(absl::StrCat("SELECT content_sha512 FROM cable_versions"
                                 " WHERE canonical_id = '",
                                 c.canonical_id(), "'")),
              Sha512Of(c));
  }
  EXPECT_EQ(Count("SELECT count(*) FROM cable_events WHERE event_type ="
                  " 'message digest calculation' AND outcome_detail LIKE"
                  " '%filled in%'"),
            "6");
  // Nothing left to repair.
  std::vector<cables::v1::VerifyFixityResponse> again;
  ASSERT_TRUE(Verify(request, &again).ok());
  EXPECT_EQ(again.back().repaired(), 0);
}

// --- Migration 0006 ----------------------------------------------------------

// SQL text literal of arbitrary UTF-8 (hex, so nothing needs escaping).
std::string TextLiteral(absl::string_view text) {
  return absl::StrCat("convert_from(decode('", absl::BytesToHexString(text),
                      "', 'hex'), 'UTF8')");
}

TEST(Migration0006Test, BackfillsExactlyWhatTheParserHashes) {
  auto db = storage::testing::TestDatabase::Create("mig6", /*migrate=*/false);
  ASSERT_TRUE(db.ok()) << db.status();
  std::vector<storage::MigrationSource> before;
  for (const auto& m : storage::EmbeddedMigrations()) {
    if (m.version < 6) before.push_back(m);
  }
  ASSERT_TRUE(storage::Migrator(before).Migrate((*db)->url()).ok());

  // Real cables, plus texts with every normalisation rule in play.
  std::vector<cables::v1::Cable> cables;
  for (const std::string& file : CorpusFiles(40)) cables.push_back(Parse(file));
  cables::v1::Cable edge = cables.front();
  edge.set_canonical_id("99EDGECASE1");
  edge.set_header("\r\n  \t\r\nHEADER LINE \t\r\n\r\n");
  edge.set_body(
      "\n\nfirst\x0b \f\r\r\nsecond\rthird  \n   \n\tindented é\n\n\n");
  edge.set_content_sha256(parser::ContentSha256(edge));
  cables.push_back(edge);
  cables::v1::Cable undated = edge;
  undated.set_canonical_id("99EDGECASE2");
  undated.clear_created();
  undated.set_origin("");
  undated.set_content_sha256(parser::ContentSha256(undated));
  cables.push_back(undated);

  for (const auto& c : cables) {
    const std::string created =
        c.has_created()
            ? absl::StrCat("to_timestamp(", c.created().seconds(), ")")
            : "NULL";
    ASSERT_TRUE((*db)
                    ->Query(absl::StrCat(
                        "INSERT INTO cables (canonical_id, reference_id, "
                        "created, origin, classification, current_version, "
                        "content_sha256, search) VALUES ('",
                        c.canonical_id(), "', '", c.canonical_id(), "', ",
                        created, ", ", TextLiteral(c.origin()), ", ",
                        TextLiteral(c.classification()), ", 2, '",
                        c.content_sha256(), "', ''::tsvector)"))
                    .ok());
    // Version 1 is an older, different content; version 2 is current.
    ASSERT_TRUE(
        (*db)
            ->Query(absl::StrCat(
                "INSERT INTO cable_versions (canonical_id, "
                "version, content_sha256, source, header, "
                "body, cable) VALUES ('",
                c.canonical_id(), "', 1, '", std::string(64, 'a'),
                "', 'old', '', 'old text', ''), ('", c.canonical_id(),
                "', 2, '", c.content_sha256(), "', 'test', ",
                TextLiteral(c.header()), ", ", TextLiteral(c.body()), ", '')"))
            .ok());
  }
  ASSERT_TRUE(storage::Migrator().Migrate((*db)->url()).ok());

  for (const auto& c : cables) {
    EXPECT_EQ(
        (*db)
            ->Query(absl::StrCat("SELECT coalesce(content_sha512, 'NULL') FROM "
                                 "cable_versions WHERE version = 2 AND "
                                 "canonical_id = '",
                                 c.canonical_id(), "'"))
            .value(),
        Sha512Of(c))
        << c.canonical_id();
  }
  const std::string n = absl::StrCat(cables.size());
  // Older versions are left to `cablectl verify --repair`.
  EXPECT_EQ((*db)
                ->Query("SELECT count(*) FROM cable_versions WHERE version = 1"
                        " AND content_sha512 IS NULL")
                .value(),
            n);
  EXPECT_EQ((*db)
                ->Query("SELECT count(*) FROM cable_events WHERE event_type ="
                        " 'ingestion'")
                .value(),
            absl::StrCat(2 * cables.size()));
  EXPECT_EQ((*db)
                ->Query("SELECT count(*) FROM cable_events WHERE event_type ="
                        " 'message digest calculation'")
                .value(),
            n);
}

}  // namespace
}  // namespace cables::ingest
