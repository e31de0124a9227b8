// OAI-PMH over the 1,295 real cables of ../shared/corpus/wikileaks-html in
// PostgreSQL, through a real HttpServer: every verb and error code, every
// response validated with xmllint against the published schemas (skipped
// with a message when xmllint is absent), a full harvest by resumptionToken,
// an incremental harvest after a change and a deletion.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/http_server.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/oai/oai_pmh_handler.h"
#include "services/oai/oai_sets.h"
#include "services/oai/testing/xml_schema_check.h"
#include "services/ingest/parser/testing/real_corpus.h"
#include "storage/metadata/pg_record_store.h"
#include "storage/pg_cable_repository.h"
#include "storage/testing/test_cables.h"
#include "storage/testing/test_database.h"

namespace cables::oai {
namespace {

namespace fs = std::filesystem;
using cables::v1::Cable;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kResponseSchema = "oai_pmh_with_oai_dc.xsd";


// Percent-encodes a form value.
std::string FormEncode(absl::string_view s) {
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.append(absl::StrCat("%", absl::Hex(c, absl::kZeroPad2)));
    }
  }
  return out;
}

std::string Query(
    const std::vector<std::pair<std::string, std::string>>& args) {
  std::string q;
  for (const auto& [k, v] : args) {
    absl::StrAppend(&q, q.empty() ? "" : "&", FormEncode(k), "=",
                    FormEncode(v));
  }
  return q;
}

struct HttpResult {
  int status = 0;
  std::string headers;
  std::string body;
};

// One HTTP/1.1 request over a fresh loopback connection.
HttpResult Http(int port, const std::string& method, const std::string& target,
                const std::string& body = "") {
  HttpResult result;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return result;
  }
  std::string request = absl::StrCat(method, " ", target,
                                     " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Connection: close\r\n");
  if (method == "POST") {
    absl::StrAppend(&request,
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    "Content-Length: ",
                    body.size(), "\r\n");
  }
  absl::StrAppend(&request, "\r\n", body);
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, 0);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[65536];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  const size_t split = raw.find("\r\n\r\n");
  if (split == std::string::npos || raw.size() < 12) return result;
  result.status = std::atoi(raw.substr(9, 3).c_str());
  result.headers = raw.substr(0, split);
  result.body = raw.substr(split + 4);
  return result;
}

std::vector<std::string> All(const std::string& text, const std::string& re) {
  std::vector<std::string> out;
  const std::regex pattern(re);
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end;
       it != end; ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

std::string First(const std::string& text, const std::string& re) {
  auto all = All(text, re);
  return all.empty() ? "" : all.front();
}

std::string ErrorCode(const std::string& body) {
  return First(body, "<error code=\"([A-Za-z]+)\"");
}

class OaiPmhTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::HaveXmllint()) {
      std::printf(
          "NOTE: xmllint not found (package libxml2-utils): responses are "
          "not schema-validated\n");
    }
    auto db = storage::testing::TestDatabase::Create("oai");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = db->release();
    storage::ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 3;
    auto repo = storage::PgCableRepository::Open(options);
    ASSERT_TRUE(repo.ok()) << repo.status();
    repository_ = repo->release();
    auto store = storage::PgRecordStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = store->release();

    const std::vector<fs::path> pages = parser::testing::CorpusPages();
    ASSERT_EQ(pages.size(), 1295u);
    cables_ = new std::map<std::string, Cable>();
    std::vector<Cable> batch;
    for (const fs::path& page : pages) {
      auto cable = parser::ParseCable(parser::testing::ReadBytes(page));
      if (cable.ok()) (*cables_)[cable->canonical_id()] = *cable;
      if (cable.ok()) batch.push_back(*std::move(cable));
      if (batch.size() == 250 || &page == &pages.back()) {
        auto stored = repository_->BulkUpsert(batch, "corpus");
        ASSERT_TRUE(stored.ok()) << stored.status();
        batch.clear();
      }
    }
    ASSERT_GT(cables_->size(), 1250u) << "the parser failed on the corpus";
    std::printf("harvesting %zu cables\n", cables_->size());
    // The harvests below start in a later second than the import.
    absl::SleepFor(absl::Milliseconds(1100));

    OaiPmhOptions oai;
    oai.base_url = "http://127.0.0.1/oai";
    oai.admin_email = "archivist@example.org";
    oai.repository_identifier = "cables.example.org";
    oai.page_size = 100;
    handler_ = new OaiPmhHandler(store_, oai);
    server_ = new HttpServer(HttpServer::Options());
    server_->Handle("/oai", [](const HttpRequest& request) {
      return handler_->Handle(request);
    });
    ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
    port_ = server_->port();
  }

  static void TearDownTestSuite() {
    delete server_;
    delete handler_;
    delete store_;
    delete repository_;
    delete cables_;
    delete db_;
  }

  // GET (or POST) with `args`; checks HTTP 200, text/xml and schema
  // validity; returns the body.
  static std::string Oai(
      const std::vector<std::pair<std::string, std::string>>& args,
      bool post = false) {
    const HttpResult r = post ? Http(port_, "POST", "/oai", Query(args))
                              : Http(port_, "GET", "/oai?" + Query(args));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_THAT(r.headers, HasSubstr("text/xml"));
    if (testing::HaveXmllint()) {
      const absl::Status valid = testing::ValidateXml(r.body, kResponseSchema);
      EXPECT_TRUE(valid.ok()) << valid << "\n" << r.body.substr(0, 3000);
    }
    return r.body;
  }

  // Follows resumptionTokens; returns every page.
  static std::vector<std::string> Harvest(
      std::vector<std::pair<std::string, std::string>> args) {
    std::vector<std::string> pages;
    for (int guard = 0; guard < 200; ++guard) {
      pages.push_back(Oai(args));
      const std::string token = First(
          pages.back(), "<resumptionToken[^>]*>([^<]+)</resumptionToken>");
      if (token.empty()) break;
      args = {{"verb", args[0].second}, {"resumptionToken", token}};
    }
    return pages;
  }

  static std::string OaiId(const std::string& id) {
    return "oai:cables.example.org:" + id;
  }

  static storage::testing::TestDatabase* db_;
  static storage::PgCableRepository* repository_;
  static storage::PgRecordStore* store_;
  static std::map<std::string, Cable>* cables_;
  static OaiPmhHandler* handler_;
  static HttpServer* server_;
  static int port_;
};

storage::testing::TestDatabase* OaiPmhTest::db_ = nullptr;
storage::PgCableRepository* OaiPmhTest::repository_ = nullptr;
storage::PgRecordStore* OaiPmhTest::store_ = nullptr;
std::map<std::string, Cable>* OaiPmhTest::cables_ = nullptr;
OaiPmhHandler* OaiPmhTest::handler_ = nullptr;
HttpServer* OaiPmhTest::server_ = nullptr;
int OaiPmhTest::port_ = 0;

TEST_F(OaiPmhTest, Identify) {
  const std::string body = Oai({{"verb", "Identify"}});
  EXPECT_THAT(body, HasSubstr("<request verb=\"Identify\">http://127.0.0.1/oai"
                              "</request>"));
  EXPECT_THAT(body, HasSubstr("<protocolVersion>2.0</protocolVersion>"));
  EXPECT_THAT(body, HasSubstr("<deletedRecord>persistent</deletedRecord>"));
  EXPECT_THAT(body,
              HasSubstr("<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"));
  EXPECT_THAT(body,
              HasSubstr("<adminEmail>archivist@example.org</adminEmail>"));
  EXPECT_FALSE(First(body, "<earliestDatestamp>([^<]+)<").empty());
  // POST gives the same answer.
  const std::string post = Oai({{"verb", "Identify"}}, /*post=*/true);
  EXPECT_EQ(First(post, "<Identify>(.*)</Identify>"),
            First(body, "<Identify>(.*)</Identify>"));
}

TEST_F(OaiPmhTest, ListMetadataFormats) {
  std::string body = Oai({{"verb", "ListMetadataFormats"}});
  EXPECT_THAT(body, HasSubstr("<metadataPrefix>oai_dc</metadataPrefix>"));
  body = Oai({{"verb", "ListMetadataFormats"},
              {"identifier", OaiId("08DAMASCUS427")}});
  EXPECT_THAT(body, HasSubstr("<metadataPrefix>oai_dc</metadataPrefix>"));
  body = Oai(
      {{"verb", "ListMetadataFormats"}, {"identifier", OaiId("99NOWHERE1")}});
  EXPECT_EQ(ErrorCode(body), "idDoesNotExist");
}

TEST_F(OaiPmhTest, ListSetsPagesThroughEverySet) {
  const std::vector<std::string> pages = Harvest({{"verb", "ListSets"}});
  std::vector<std::string> specs;
  for (const auto& page : pages) {
    for (auto& s : All(page, "<setSpec>([^<]+)</setSpec>")) specs.push_back(s);
  }
  std::set<std::string> unique(specs.begin(), specs.end());
  EXPECT_EQ(unique.size(), specs.size());
  EXPECT_TRUE(unique.count("origin"));
  EXPECT_TRUE(unique.count("tag:PGOV"));
  EXPECT_TRUE(unique.count("year:2008"));
  const Cable& damascus = cables_->at("08DAMASCUS427");
  EXPECT_TRUE(unique.count(OriginSetSpec(damascus.origin())));
  std::set<std::string> expected_tags;
  for (const auto& [id, c] : *cables_) {
    for (const auto& t : c.tags()) expected_tags.insert(TagSetSpec(t));
  }
  for (const auto& t : expected_tags) EXPECT_TRUE(unique.count(t)) << t;
}

TEST_F(OaiPmhTest, EveryErrorCode) {
  struct Case {
    std::vector<std::pair<std::string, std::string>> args;
    const char* code;
  };
  const std::string id = OaiId("08DAMASCUS427");
  const std::vector<Case> cases = {
      {{}, "badVerb"},
      {{{"verb", "Frobnicate"}}, "badVerb"},
      {{{"verb", "Identify"}, {"verb", "Identify"}}, "badVerb"},
      {{{"verb", "Identify"}, {"extra", "1"}}, "badArgument"},
      {{{"verb", "ListRecords"}}, "badArgument"},
      {{{"verb", "ListRecords"},
        {"metadataPrefix", "oai_dc"},
        {"metadataPrefix", "oai_dc"}},
       "badArgument"},
      {{{"verb", "ListRecords"},
        {"metadataPrefix", "oai_dc"},
        {"from", "2005-13-01"}},
       "badArgument"},
      {{{"verb", "ListRecords"},
        {"metadataPrefix", "oai_dc"},
        {"from", "2005-01-01"},
        {"until", "2006-01-01T00:00:00Z"}},
       "badArgument"},
      {{{"verb", "ListRecords"},
        {"metadataPrefix", "oai_dc"},
        {"from", "2006-01-02"},
        {"until", "2006-01-01"}},
       "badArgument"},
      {{{"verb", "ListIdentifiers"},
        {"metadataPrefix", "oai_dc"},
        {"set", "tag:A B"}},
       "badArgument"},
      {{{"verb", "GetRecord"}, {"identifier", id}}, "badArgument"},
      {{{"verb", "ListRecords"},
        {"resumptionToken", "abc"},
        {"metadataPrefix", "oai_dc"}},
       "badArgument"},
      {{{"verb", "ListRecords"}, {"resumptionToken", "bm90IGEgdG9rZW4"}},
       "badResumptionToken"},
      {{{"verb", "ListSets"}, {"resumptionToken", "!!"}}, "badResumptionToken"},
      {{{"verb", "ListRecords"}, {"metadataPrefix", "marc21"}},
       "cannotDisseminateFormat"},
      {{{"verb", "GetRecord"}, {"identifier", id}, {"metadataPrefix", "mods"}},
       "cannotDisseminateFormat"},
      {{{"verb", "GetRecord"},
        {"identifier", OaiId("99NOWHERE1")},
        {"metadataPrefix", "oai_dc"}},
       "idDoesNotExist"},
      {{{"verb", "GetRecord"},
        {"identifier", "oai:elsewhere.org:08DAMASCUS427"},
        {"metadataPrefix", "oai_dc"}},
       "idDoesNotExist"},
      {{{"verb", "ListIdentifiers"},
        {"metadataPrefix", "oai_dc"},
        {"from", "2999-01-01"}},
       "noRecordsMatch"},
      {{{"verb", "ListRecords"},
        {"metadataPrefix", "oai_dc"},
        {"set", "tag:NOSUCHTAG"}},
       "noRecordsMatch"},
  };
  for (const Case& c : cases) {
    const std::string body = Oai(c.args);
    EXPECT_EQ(ErrorCode(body), c.code) << Query(c.args) << "\n" << body;
    const std::string request = First(body, "(<request[^>]*>)");
    if (std::string(c.code) == "badVerb" ||
        std::string(c.code) == "badArgument") {
      // Only the base URL after badVerb and badArgument.
      EXPECT_EQ(request, "<request>") << Query(c.args);
    } else {
      EXPECT_THAT(request, HasSubstr("verb=")) << Query(c.args);
    }
  }
  // A token of another verb.
  const std::string sets = Oai({{"verb", "ListSets"}});
  const std::string token =
      First(sets, "<resumptionToken[^>]*>([^<]+)</resumptionToken>");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(
      ErrorCode(Oai({{"verb", "ListRecords"}, {"resumptionToken", token}})),
      "badResumptionToken");
  // A malformed percent escape.
  const HttpResult raw = Http(port_, "GET", "/oai?verb=Identify%zz");
  EXPECT_EQ(raw.status, 200);
  EXPECT_EQ(ErrorCode(raw.body), "badArgument");
  // noSetHierarchy and noMetadataFormats never apply: the archive has sets
  // and disseminates oai_dc for every record.
}

TEST_F(OaiPmhTest, GetRecordMapsTheCable) {
  const Cable& c = cables_->at("08DAMASCUS427");
  const std::string body = Oai({{"verb", "GetRecord"},
                                {"identifier", OaiId("08DAMASCUS427")},
                                {"metadataPrefix", "oai_dc"}});
  EXPECT_THAT(body, HasSubstr("<identifier>" + OaiId("08DAMASCUS427") +
                              "</identifier>"));
  EXPECT_THAT(body, HasSubstr("<dc:identifier>08DAMASCUS427</dc:identifier>"));
  EXPECT_THAT(body, HasSubstr("<dc:creator>" + c.origin()));
  EXPECT_THAT(body, HasSubstr("<dc:type>Text</dc:type>"));
  EXPECT_THAT(body, HasSubstr("<dc:language>en</dc:language>"));
  for (const auto& tag : c.tags()) {
    EXPECT_THAT(body, HasSubstr("<setSpec>" + TagSetSpec(tag) + "</setSpec>"));
  }
  EXPECT_THAT(body, HasSubstr("<setSpec>year:2008</setSpec>"));
  // POST and a lenient id form give the same record.
  const std::string post = Oai({{"verb", "GetRecord"},
                                {"identifier", OaiId("08DAMASCUS427")},
                                {"metadataPrefix", "oai_dc"}},
                               /*post=*/true);
  EXPECT_EQ(First(post, "(<record>.*</record>)"),
            First(body, "(<record>.*</record>)"));
}

TEST_F(OaiPmhTest, FullAndIncrementalHarvest) {
  // Every cable exactly once, in pages of 100 with completeListSize and
  // cursor.
  const std::vector<std::string> pages =
      Harvest({{"verb", "ListRecords"}, {"metadataPrefix", "oai_dc"}});
  ASSERT_EQ(pages.size(), (cables_->size() + 99) / 100);
  std::map<std::string, int> seen;
  for (size_t i = 0; i < pages.size(); ++i) {
    for (const auto& id :
         All(pages[i],
             "<header><identifier>oai:cables\\.example\\.org:([^<]+)"
             "</identifier>")) {
      ++seen[id];
    }
    EXPECT_EQ(First(pages[i], "completeListSize=\"([0-9]+)\""),
              absl::StrCat(cables_->size()));
    EXPECT_EQ(First(pages[i], "cursor=\"([0-9]+)\""), absl::StrCat(i * 100));
  }
  ASSERT_EQ(seen.size(), cables_->size());
  for (const auto& [id, count] : seen) {
    EXPECT_EQ(count, 1) << id;
    EXPECT_TRUE(cables_->count(id)) << id;
  }
  // Reissuing a token on the unchanged archive gives the same page.
  const std::string token =
      First(pages[0], "<resumptionToken[^>]*>([^<]+)</resumptionToken>");
  const auto strip = [](const std::string& b) {
    return b.substr(b.find("</responseDate>"));
  };
  EXPECT_EQ(strip(Oai({{"verb", "ListRecords"}, {"resumptionToken", token}})),
            strip(Oai({{"verb", "ListRecords"}, {"resumptionToken", token}})));

  // A set harvest matches the corpus.
  size_t in_2008 = 0;
  for (const auto& [id, c] : *cables_) {
    if (c.has_created() &&
        absl::FormatTime("%Y", absl::FromUnixSeconds(c.created().seconds()),
                         absl::UTCTimeZone()) == "2008") {
      ++in_2008;
    }
  }
  size_t headers = 0;
  for (const auto& page : Harvest({{"verb", "ListIdentifiers"},
                                   {"metadataPrefix", "oai_dc"},
                                   {"set", "year:2008"}})) {
    headers += All(page, "(<header>)").size();
  }
  EXPECT_EQ(headers, in_2008);

  // Incremental: from the last response's date, exactly what changed.
  const std::string last_harvest =
      First(pages.back(), "<responseDate>([^<]+)</responseDate>");
  Cable changed = cables_->at("08DAMASCUS427");
  changed.set_body(changed.body() + "\nADDENDUM: corrected text.");
  storage::testing::RehashCable(changed);
  auto stored = repository_->UpsertCable(changed, "correction");
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->outcome, storage::UpsertOutcome::kNewVersion);
  std::string body = Oai({{"verb", "ListRecords"},
                          {"metadataPrefix", "oai_dc"},
                          {"from", last_harvest}});
  EXPECT_THAT(All(body,
                  "<header><identifier>oai:cables\\.example\\.org:"
                  "([^<]+)</identifier>"),
              ::testing::ElementsAre("08DAMASCUS427"));

  // A deletion: a tombstone header without metadata, also by GetRecord.
  const std::string gone = cables_->rbegin()->first;
  ASSERT_TRUE(repository_->DeleteCable(gone, "test deletion").ok());
  body = Oai({{"verb", "ListRecords"},
              {"metadataPrefix", "oai_dc"},
              {"from", last_harvest}});
  EXPECT_THAT(All(body,
                  "<identifier>oai:cables\\.example\\.org:([^<]+)"
                  "</identifier>"),
              ::testing::ElementsAre("08DAMASCUS427", gone));
  EXPECT_THAT(body, HasSubstr("<header status=\"deleted\"><identifier>" +
                              OaiId(gone) + "</identifier>"));
  const std::string record = First(body,
                                   "(<record><header status=\"deleted\">"
                                   ".*?</record>)");
  EXPECT_THAT(record, Not(HasSubstr("<metadata>")));
  body = Oai({{"verb", "GetRecord"},
              {"identifier", OaiId(gone)},
              {"metadataPrefix", "oai_dc"}});
  EXPECT_THAT(body, HasSubstr("<header status=\"deleted\">"));
  // Still a member of its sets, so selective harvesters see it go.
  const Cable& gone_cable = cables_->at(gone);
  body = Oai({{"verb", "ListIdentifiers"},
              {"metadataPrefix", "oai_dc"},
              {"set", OriginSetSpec(gone_cable.origin())},
              {"from", last_harvest}});
  EXPECT_THAT(body, HasSubstr("<header status=\"deleted\"><identifier>" +
                              OaiId(gone) + "</identifier>"));
  // until before the changes: nothing of them.
  body = Oai({{"verb", "ListIdentifiers"},
              {"metadataPrefix", "oai_dc"},
              {"until", "2000-01-01"}});
  EXPECT_EQ(ErrorCode(body), "noRecordsMatch");
}

}  // namespace
}  // namespace cables::oai
