// End-to-end tests of the metadata service over every real corpus cable
// (1,295) in PostgreSQL, through an in-process gRPC server. Expected answers
// (lookups, filter counts, pagination, references and citations) are
// computed by brute force over the parsed cables.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/common/bounded_executor.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/ingest/parser/cable_parser.h"
#include "services/ingest/parser/testing/real_corpus.h"
#include "services/metadata/metadata_catalog.h"
#include "services/metadata/metadata_service.h"
#include "storage/metadata/pg_month_counts.h"
#include "storage/pg_cable_repository.h"
#include "storage/testing/test_cables.h"
#include "storage/testing/test_database.h"

namespace cables::metadata {
namespace {

namespace fs = std::filesystem;
using cables::v1::Cable;
using ::testing::Contains;
using ::testing::HasSubstr;

class MetadataServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = storage::testing::TestDatabase::Create("metadata");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = db->release();
    storage::ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 2;
    auto repo = storage::PgCableRepository::Open(options);
    ASSERT_TRUE(repo.ok()) << repo.status();
    repository_ = repo->release();

    const std::vector<fs::path> pages = parser::testing::CorpusPages();
    ASSERT_GT(pages.size(), 1000u);
    std::map<std::string, Cable> all;
    for (const fs::path& page : pages) {
      auto cable = parser::ParseCable(parser::testing::ReadBytes(page));
      if (cable.ok()) all.emplace(cable->canonical_id(), *std::move(cable));
    }
    pages_ = pages.size();
    // Every cable; one citing pair is remembered for the focused tests.
    loaded_ = new std::map<std::string, Cable>(all);
    for (const auto& [id, cable] : all) {
      bool found = false;
      for (const auto& ref : cable.references()) {
        if (ref.kind() == v1::Reference::CABLE && ref.id() != id &&
            all.count(ref.id())) {
          loaded_->emplace(id, cable);
          loaded_->emplace(ref.id(), all.at(ref.id()));
          citing_ = new std::string(id);
          cited_ = new std::string(ref.id());
          cited_letter_ = new std::string(ref.letter());
          found = true;
          break;
        }
      }
      if (found) break;
    }
    ASSERT_NE(citing_, nullptr) << "no citation between corpus cables";
    ASSERT_TRUE(all.count("08DAMASCUS427"));
    std::vector<Cable> batch;
    for (const auto& [id, cable] : *loaded_) batch.push_back(cable);
    auto stored = repository_->BulkUpsert(batch, "corpus");
    ASSERT_TRUE(stored.ok()) << stored.status();

    auto months = storage::PgMonthCounts::Open(options);
    ASSERT_TRUE(months.ok()) << months.status();
    months_ = months->release();
    catalog_ = new MetadataCatalog(repository_, months_);
    executor_ = new BoundedExecutor(2, 64);
    service_ = new MetadataServiceImpl(catalog_, executor_);
    grpc::ServerBuilder builder;
    builder.RegisterService(service_);
    server_ = builder.BuildAndStart().release();
    stub_ = v1::MetadataService::NewStub(
                server_->InProcessChannel(grpc::ChannelArguments()))
                .release();
  }

  static void TearDownTestSuite() {
    delete stub_;
    if (server_ != nullptr) server_->Shutdown();
    delete server_;
    delete service_;
    delete executor_;
    delete catalog_;
    delete months_;
    delete repository_;
    delete loaded_;
    delete citing_;
    delete cited_;
    delete cited_letter_;
    delete db_;
  }

  static absl::StatusOr<Cable> Get(const std::string& name,
                                   const std::string& mask = "") {
    v1::GetCableRequest request;
    request.set_name(name);
    if (!mask.empty()) {
      for (absl::string_view p : absl::StrSplit(mask, ',')) {
        request.mutable_read_mask()->add_paths(std::string(p));
      }
    }
    grpc::ClientContext context;
    Cable response;
    const grpc::Status status = stub_->GetCable(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response;
  }

  static absl::StatusOr<v1::ListCablesResponse> List(
      const v1::ListCablesRequest& request) {
    grpc::ClientContext context;
    v1::ListCablesResponse response;
    const grpc::Status status = stub_->ListCables(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response;
  }

  // Every id over all pages, checking no page repeats one.
  static std::vector<std::string> AllIds(const std::string& filter,
                                         int page_size,
                                         const std::string& order = "") {
    std::vector<std::string> ids;
    v1::ListCablesRequest request;
    request.set_filter(filter);
    request.set_page_size(page_size);
    request.set_order_by(order);
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = List(request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const Cable& c : page->cables()) ids.push_back(c.canonical_id());
      if (page->next_page_token().empty()) break;
      request.set_page_token(page->next_page_token());
    }
    return ids;
  }

  // Every citing cable over all pages of ListCitingCables, checking the
  // total and that no page repeats one.
  static std::vector<v1::CitingCable> AllCiting(const std::string& name,
                                                int page_size) {
    std::vector<v1::CitingCable> out;
    v1::ListCitingCablesRequest request;
    request.set_name(name);
    request.set_page_size(page_size);
    for (int pages = 0; pages < 1000; ++pages) {
      grpc::ClientContext context;
      v1::ListCitingCablesResponse response;
      const grpc::Status status =
          stub_->ListCitingCables(&context, request, &response);
      EXPECT_TRUE(status.ok()) << name << ": " << status.error_message();
      if (!status.ok()) break;
      EXPECT_LE(response.cables_size(), page_size);
      for (const auto& c : response.cables()) out.push_back(c);
      if (response.next_page_token().empty()) {
        EXPECT_EQ(response.total_size(), static_cast<int64_t>(out.size()))
            << name;
        break;
      }
      request.set_page_token(response.next_page_token());
    }
    return out;
  }

  static storage::testing::TestDatabase* db_;
  static size_t pages_;
  static storage::CableRepository* repository_;
  static std::map<std::string, Cable>* loaded_;
  static std::string* citing_;
  static std::string* cited_;
  static std::string* cited_letter_;
  static storage::MonthCounts* months_;
  static MetadataCatalog* catalog_;
  static BoundedExecutor* executor_;
  static MetadataServiceImpl* service_;
  static grpc::Server* server_;
  static v1::MetadataService::Stub* stub_;
};

storage::testing::TestDatabase* MetadataServiceTest::db_ = nullptr;
size_t MetadataServiceTest::pages_ = 0;
storage::CableRepository* MetadataServiceTest::repository_ = nullptr;
std::map<std::string, Cable>* MetadataServiceTest::loaded_ = nullptr;
std::string* MetadataServiceTest::citing_ = nullptr;
std::string* MetadataServiceTest::cited_ = nullptr;
std::string* MetadataServiceTest::cited_letter_ = nullptr;
storage::MonthCounts* MetadataServiceTest::months_ = nullptr;
MetadataCatalog* MetadataServiceTest::catalog_ = nullptr;
BoundedExecutor* MetadataServiceTest::executor_ = nullptr;
MetadataServiceImpl* MetadataServiceTest::service_ = nullptr;
grpc::Server* MetadataServiceTest::server_ = nullptr;
v1::MetadataService::Stub* MetadataServiceTest::stub_ = nullptr;

TEST_F(MetadataServiceTest, LoadedEveryRealCable) {
  EXPECT_EQ(loaded_->size(), pages_);
}

// "05ALMATY1595" -> "05 ALMATY 1595", the way a telegram's header and other
// cables' REF lines write it.
std::string Spaced(const std::string& id) {
  size_t digits = id.size();
  while (digits > 0 && absl::ascii_isdigit(id[digits - 1])) --digits;
  return absl::StrCat(id.substr(0, 2), " ", id.substr(2, digits - 2), " ",
                      id.substr(digits));
}

// Every real cable by its canonical id, its reference id (in this corpus
// always the canonical one), a lower-case and a spaced form, one at a time
// and in batches; the answer always names the canonical id.
TEST_F(MetadataServiceTest, EveryCableByReferenceIdAndCanonicalId) {
  for (const auto& [id, cable] : *loaded_) {
    const std::set<std::string> forms = {id, absl::StrCat("cables/", id),
                                         cable.reference_id(),
                                         absl::AsciiStrToLower(id), Spaced(id)};
    for (const std::string& form : forms) {
      auto got = Get(form, "canonical_id,subject");
      ASSERT_TRUE(got.ok()) << form << ": " << got.status();
      EXPECT_EQ(got->name(), absl::StrCat("cables/", id)) << form;
      EXPECT_EQ(got->subject(), cable.subject()) << form;
    }
  }

  v1::BatchGetCablesRequest batch;
  std::vector<std::string> expected;
  const auto flush = [&] {
    grpc::ClientContext context;
    v1::BatchGetCablesResponse response;
    const grpc::Status status =
        stub_->BatchGetCables(&context, batch, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.cables_size(), static_cast<int>(expected.size()));
    for (int i = 0; i < response.cables_size(); ++i) {
      EXPECT_EQ(response.cables(i).canonical_id(), expected[i]);
    }
    batch.clear_names();
    expected.clear();
  };
  for (const auto& [id, cable] : *loaded_) {
    batch.add_names(cable.reference_id());
    expected.push_back(id);
    if (batch.names_size() == 100) flush();
  }
  if (batch.names_size() > 0) flush();
}

TEST_F(MetadataServiceTest, GetCableByAnyForm) {
  for (const char* name :
       {"cables/08DAMASCUS427", "08DAMASCUS427", "cables/08damascus427",
        "08 DAMASCUS 427", "cables/2008 Damascus 000427"}) {
    auto cable = Get(name);
    ASSERT_TRUE(cable.ok()) << name << ": " << cable.status();
    EXPECT_EQ(cable->name(), "cables/08DAMASCUS427") << name;
    EXPECT_EQ(cable->canonical_id(), "08DAMASCUS427");
    EXPECT_EQ(cable->subject(), loaded_->at("08DAMASCUS427").subject());
    EXPECT_FALSE(cable->body().empty());
    EXPECT_EQ(cable->version(), 1);
  }
}

TEST_F(MetadataServiceTest, GetCableErrors) {
  auto missing = Get("cables/99NOWHERE1");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("99NOWHERE1"));
  for (const char* bad : {"", "cables/", "cables/hello", "not a cable"}) {
    auto cable = Get(bad);
    EXPECT_EQ(cable.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    v1::BadRequest details;
    ASSERT_TRUE(GetBadRequest(cable.status(), &details)) << bad;
    ASSERT_GT(details.field_violations_size(), 0);
    EXPECT_EQ(details.field_violations(0).field(), "name");
  }
  EXPECT_EQ(Get("08DAMASCUS427", "no_such_field").status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::GetCableRequest request;
  request.set_name("08DAMASCUS427");
  request.set_version(7);
  EXPECT_EQ(catalog_->GetCable(request).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(MetadataServiceTest, ReadMaskClearsOtherFields) {
  auto cable = Get("08DAMASCUS427", "reference_id,subject,tags");
  ASSERT_TRUE(cable.ok()) << cable.status();
  EXPECT_EQ(cable->subject(), loaded_->at("08DAMASCUS427").subject());
  EXPECT_EQ(cable->tags_size(), loaded_->at("08DAMASCUS427").tags_size());
  EXPECT_TRUE(cable->body().empty());
  EXPECT_TRUE(cable->header().empty());
  EXPECT_EQ(cable->paragraphs_size(), 0);
  EXPECT_TRUE(cable->origin().empty());
  EXPECT_EQ(cable->name(), "cables/08DAMASCUS427");
}

TEST_F(MetadataServiceTest, BatchGetInRequestOrder) {
  v1::BatchGetCablesRequest request;
  request.add_names(*citing_);
  request.add_names("08 damascus 427");
  request.add_names(absl::StrCat("cables/", *cited_));
  auto response = catalog_->BatchGetCables(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->cables_size(), 3);
  EXPECT_EQ(response->cables(0).canonical_id(), *citing_);
  EXPECT_EQ(response->cables(1).name(), "cables/08DAMASCUS427");
  EXPECT_EQ(response->cables(2).canonical_id(), *cited_);
  request.add_names("99NOWHERE1");
  EXPECT_EQ(catalog_->BatchGetCables(request).status().code(),
            absl::StatusCode::kNotFound);
  v1::BatchGetCablesRequest many;
  for (int i = 0; i < 101; ++i) many.add_names("08DAMASCUS427");
  EXPECT_EQ(catalog_->BatchGetCables(many).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(MetadataServiceTest, ReferencesAndCitedBy) {
  v1::ListCableReferencesRequest refs;
  refs.set_name(*citing_);
  auto references = catalog_->ListCableReferences(refs);
  ASSERT_TRUE(references.ok()) << references.status();
  bool saw = false;
  for (const auto& r : references->references()) {
    if (r.name() == absl::StrCat("cables/", *cited_)) {
      saw = true;
      EXPECT_TRUE(r.in_archive());
      EXPECT_EQ(r.subject(), loaded_->at(*cited_).subject());
    }
  }
  EXPECT_TRUE(saw);

  v1::ListCitingCablesRequest citing;
  citing.set_name(absl::StrCat("cables/", *cited_));
  auto cited_by = catalog_->ListCitingCables(citing);
  ASSERT_TRUE(cited_by.ok()) << cited_by.status();
  std::vector<std::string> names;
  for (const auto& c : cited_by->cables()) {
    names.push_back(c.name());
    if (c.name() == absl::StrCat("cables/", *citing_)) {
      EXPECT_EQ(c.letter(), *cited_letter_);
    }
  }
  EXPECT_THAT(names, Contains(absl::StrCat("cables/", *citing_)));
  citing.set_page_size(-1);
  EXPECT_EQ(catalog_->ListCitingCables(citing).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Over the whole corpus: every cable's references in REF order, marked in
// or out of the archive; and for every cited id, in the archive or not,
// exactly the cables whose REF block names it (with the letter of the first
// such entry), newest first, paged one at a time.
TEST_F(MetadataServiceTest, EveryReferenceAndCitationAgreesWithBruteForce) {
  // cited id -> citing id -> letter of its first entry citing it.
  std::map<std::string, std::map<std::string, std::string>> citing;
  int in_archive = 0;
  for (const auto& [id, cable] : *loaded_) {
    v1::ListCableReferencesRequest request;
    request.set_name(id);
    auto refs = catalog_->ListCableReferences(request);
    ASSERT_TRUE(refs.ok()) << id << ": " << refs.status();
    ASSERT_EQ(refs->references_size(), cable.references_size()) << id;
    for (int i = 0; i < cable.references_size(); ++i) {
      const v1::Reference& ref = cable.references(i);
      const auto& got = refs->references(i);
      EXPECT_EQ(got.reference().id(), ref.id()) << id;
      EXPECT_EQ(got.reference().letter(), ref.letter()) << id;
      const bool present = !ref.id().empty() && loaded_->count(ref.id()) > 0;
      EXPECT_EQ(got.in_archive(), present) << id << " cites " << ref.id();
      if (present) {
        ++in_archive;
        EXPECT_EQ(got.subject(), loaded_->at(ref.id()).subject());
      }
      if (!ref.id().empty()) citing[ref.id()].emplace(id, ref.letter());
    }
  }
  EXPECT_GT(in_archive, 100);  // the corpus cites itself often enough

  const auto sort_date = [this](const std::string& id) {
    const Cable& c = loaded_->at(id);
    return c.has_created() ? c.created().seconds()
                           : std::numeric_limits<int64_t>::min();
  };
  int cited_in_archive = 0;
  for (const auto& [cited, by] : citing) {
    std::vector<std::string> expected;
    for (const auto& [id, letter] : by) expected.push_back(id);
    std::sort(expected.begin(), expected.end(),
              [&](const std::string& a, const std::string& b) {
                return std::make_pair(sort_date(a), a) >
                       std::make_pair(sort_date(b), b);
              });
    if (loaded_->count(cited)) ++cited_in_archive;
    const std::vector<v1::CitingCable> got =
        AllCiting(absl::StrCat("cables/", cited), 1);
    std::vector<std::string> names;
    for (const auto& c : got) {
      names.push_back(std::string(absl::StripPrefix(c.name(), "cables/")));
      EXPECT_EQ(c.letter(), by.at(names.back())) << cited;
    }
    EXPECT_EQ(names, expected) << cited;
  }
  EXPECT_GT(cited_in_archive, 100);
}

TEST_F(MetadataServiceTest, GetParagraph) {
  const Cable& cable = loaded_->at("08DAMASCUS427");
  ASSERT_GT(cable.paragraphs_size(), 0);
  const int n = cable.paragraphs(0).number();
  v1::GetParagraphRequest request;
  request.set_name(absl::StrCat("cables/08damascus427/paragraphs/", n));
  auto p = catalog_->GetParagraph(request);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->name(), absl::StrCat("cables/08DAMASCUS427/paragraphs/", n));
  EXPECT_EQ(p->paragraph().text(), cable.paragraphs(0).text());
  request.set_name("cables/08DAMASCUS427/paragraphs/999");
  EXPECT_EQ(catalog_->GetParagraph(request).status().code(),
            absl::StatusCode::kNotFound);
  request.set_name("cables/08DAMASCUS427/paragraphs/x");
  EXPECT_EQ(catalog_->GetParagraph(request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(MetadataServiceTest, PaginationVisitsEveryCableOnce) {
  for (const char* order : {"", "created"}) {
    const std::vector<std::string> ids = AllIds("", 7, order);
    const std::set<std::string> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size()) << order;
    std::set<std::string> expected;
    for (const auto& [id, c] : *loaded_) expected.insert(id);
    EXPECT_EQ(unique, expected) << order;
  }
}

// Cables added between pages, at both ends of each order: every cable
// present at the start is visited exactly once, and those added ahead of
// the cursor are visited too.
TEST_F(MetadataServiceTest, PaginationVisitsEveryCableOnceWhileCablesAreAdded) {
  int added = 0;
  for (const std::string order : {"", "created", "id"}) {
    std::set<std::string> at_start;
    for (const auto& [id, c] : *loaded_) at_start.insert(id);
    std::set<std::string> ahead;  // added where the cursor has not been
    std::vector<std::string> ids;
    v1::ListCablesRequest request;
    request.set_page_size(97);
    request.set_order_by(order);
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = List(request);
      ASSERT_TRUE(page.ok()) << page.status();
      for (const Cable& c : page->cables()) ids.push_back(c.canonical_id());
      if (page->next_page_token().empty()) break;
      request.set_page_token(page->next_page_token());
      // The oldest and the newest cable of the archive, with the largest
      // ids: newest-first pages have passed the newest position, oldest-
      // first pages the oldest; id order finds both ahead.
      for (const char* date : {"1960-01-01", "2011-12-31"}) {
        Cable c = storage::testing::MakeCable(
            absl::StrFormat("99ZAGREB%06d", 990000 + ++added), date);
        ASSERT_TRUE(repository_->UpsertCable(c, "test").ok());
        const bool oldest = absl::StartsWith(date, "1960");
        if (order == "id" || (order.empty() && oldest) ||
            (order == "created" && !oldest)) {
          ahead.insert(c.canonical_id());
        }
        loaded_->emplace(c.canonical_id(), std::move(c));
      }
    }
    const std::set<std::string> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size()) << "order '" << order << "'";
    for (const std::string& id : at_start) {
      EXPECT_EQ(unique.count(id), 1u) << id << ", order '" << order << "'";
    }
    for (const std::string& id : ahead) {
      EXPECT_EQ(unique.count(id), 1u) << id << ", order '" << order << "'";
    }
    EXPECT_GT(ahead.size(), 10u);
  }
}

TEST_F(MetadataServiceTest, PagingErrors) {
  v1::ListCablesRequest request;
  request.set_page_size(-1);
  EXPECT_EQ(List(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.set_page_size(5);
  auto first = List(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->cables_size(), 5);
  EXPECT_EQ(first->total_size(), static_cast<int64_t>(loaded_->size()));
  request.set_page_token(first->next_page_token());
  request.set_filter("tags:\"PGOV\"");
  EXPECT_EQ(List(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.set_filter("");
  request.set_order_by("created");
  EXPECT_EQ(List(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.set_page_token("garbage");
  request.set_order_by("");
  EXPECT_EQ(List(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.set_page_token("");
  request.set_order_by("subject desc");
  auto unsupported = List(request);
  EXPECT_EQ(unsupported.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unsupported.status().message(), HasSubstr("unknown order"));
  request.set_order_by("released desc");
  EXPECT_TRUE(List(request).ok());
  request.set_order_by("id");
  EXPECT_TRUE(List(request).ok());
  request.set_order_by("");
  request.set_filter("colour = \"red\"");
  EXPECT_EQ(List(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(MetadataServiceTest, FilterCountsMatchBruteForce) {
  // The most common origin and tag among the loaded cables.
  std::map<std::string, int> origins, tags;
  for (const auto& [id, c] : *loaded_) {
    ++origins[c.origin()];
    for (const auto& t : c.tags()) ++tags[t];
  }
  auto top = [](const std::map<std::string, int>& m) {
    return std::max_element(
               m.begin(), m.end(),
               [](auto& a, auto& b) { return a.second < b.second; })
        ->first;
  };
  const std::string origin = top(origins);
  const std::string tag = top(tags);
  const int64_t since = absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilDay(2006, 1, 1), absl::UTCTimeZone()));
  struct Case {
    std::string filter;
    std::function<bool(const Cable&)> match;
  };
  const std::vector<Case> cases = {
      {absl::StrCat("origin = \"", origin, "\""),
       [&](const Cable& c) { return c.origin() == origin; }},
      {absl::StrCat("tags:\"", tag, "\""),
       [&](const Cable& c) {
         return std::find(c.tags().begin(), c.tags().end(), tag) !=
                c.tags().end();
       }},
      {"created >= \"2006-01-01\"",
       [&](const Cable& c) {
         return c.has_created() && c.created().seconds() >= since;
       }},
      {absl::StrCat("tags:\"", tag, "\" AND created >= \"2006-01-01\""),
       [&](const Cable& c) {
         return c.has_created() && c.created().seconds() >= since &&
                std::find(c.tags().begin(), c.tags().end(), tag) !=
                    c.tags().end();
       }},
      {"caveats:\"NOFORN\"",
       [&](const Cable& c) {
         return std::find(c.caveats().begin(), c.caveats().end(), "NOFORN") !=
                c.caveats().end();
       }},
      // OR binds tighter than AND; NOT; prefix markings.
      {absl::StrCat("origin = \"", origin, "\" OR tags:\"", tag,
                    "\" AND NOT caveats:NOFORN"),
       [&](const Cable& c) {
         const bool has_tag =
             std::find(c.tags().begin(), c.tags().end(), tag) != c.tags().end();
         const bool noforn = std::find(c.caveats().begin(), c.caveats().end(),
                                       "NOFORN") != c.caveats().end();
         return (c.origin() == origin || has_tag) && !noforn;
       }},
      {"classification:secret",
       [&](const Cable& c) {
         return c.classification() == "SECRET" ||
                absl::StartsWith(c.classification(), "SECRET//");
       }},
      {"created = 2008 -partial",
       [&](const Cable& c) {
         return c.has_created() && !c.partial() &&
                absl::FormatTime("%Y",
                                 absl::FromUnixSeconds(c.created().seconds()),
                                 absl::UTCTimeZone()) == "2008";
       }},
  };
  for (const Case& test : cases) {
    std::set<std::string> expected;
    for (const auto& [id, c] : *loaded_) {
      if (test.match(c)) expected.insert(id);
    }
    const std::vector<std::string> ids = AllIds(test.filter, 13);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), expected)
        << test.filter;
    EXPECT_EQ(ids.size(), expected.size()) << test.filter;
    v1::ListCablesRequest request;
    request.set_filter(test.filter);
    auto page = List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size(), static_cast<int64_t>(expected.size()))
        << test.filter;
    EXPECT_GT(expected.size(), 0u) << test.filter;
  }
}

TEST_F(MetadataServiceTest, BrowseCountsYearsAndTags) {
  v1::BrowseCablesRequest request;
  auto browse = catalog_->BrowseCables(request);
  ASSERT_TRUE(browse.ok()) << browse.status();
  EXPECT_EQ(browse->total_size(), static_cast<int64_t>(loaded_->size()));
  std::map<std::string, int64_t> years;
  for (const auto& [id, c] : *loaded_) {
    if (c.has_created()) {
      ++years[absl::FormatTime("%Y",
                               absl::FromUnixSeconds(c.created().seconds()),
                               absl::UTCTimeZone())];
    }
  }
  std::map<std::string, int64_t> got;
  for (const auto& y : browse->years()) got[y.value()] = y.count();
  EXPECT_EQ(got, years);
  std::map<std::string, int64_t> months, got_months;
  for (const auto& [id, c] : *loaded_) {
    if (c.has_created()) {
      ++months[absl::FormatTime("%Y-%m",
                                absl::FromUnixSeconds(c.created().seconds()),
                                absl::UTCTimeZone())];
    }
  }
  for (const auto& m : browse->months()) got_months[m.value()] = m.count();
  EXPECT_EQ(got_months, months);
  // Every tag carries its kind, as the parser classifies it.
  ASSERT_GT(browse->tags_size(), 0);
  std::map<std::string, v1::TagKind> kinds;
  for (const auto& [id, c] : *loaded_) {
    for (int i = 0; i < c.tags_size() && i < c.tag_kinds_size(); ++i) {
      kinds[c.tags(i)] = c.tag_kinds(i);
    }
  }
  for (const auto& tag : browse->tags()) {
    if (kinds.count(tag.value()) == 0) continue;
    EXPECT_EQ(tag.tag_kind(), kinds[tag.value()]) << tag.value();
  }
  // Filtered: months of the cables since 2006 only.
  request.set_filter("created >= \"2006-01-01\"");
  auto filtered = catalog_->BrowseCables(request);
  ASSERT_TRUE(filtered.ok()) << filtered.status();
  int64_t since = 0;
  for (const auto& [m, n] : months) {
    if (m >= "2006-01") since += n;
  }
  int64_t sum = 0;
  for (const auto& m : filtered->months()) sum += m.count();
  EXPECT_EQ(sum, since);
  EXPECT_EQ(filtered->total_size(), since);
  request.set_limit(-1);
  EXPECT_EQ(catalog_->BrowseCables(request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(MetadataServiceTest, ExportStreamsEveryMatchingCable) {
  v1::ExportCablesRequest request;
  request.mutable_read_mask()->add_paths("canonical_id");
  request.mutable_read_mask()->add_paths("body");
  grpc::ClientContext context;
  auto reader = stub_->ExportCables(&context, request);
  Cable cable;
  std::set<std::string> ids;
  size_t count = 0;
  while (reader->Read(&cable)) {
    ++count;
    ids.insert(cable.canonical_id());
    EXPECT_FALSE(cable.body().empty()) << cable.canonical_id();
    EXPECT_TRUE(cable.subject().empty());
  }
  const grpc::Status status = reader->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(count, loaded_->size());
  EXPECT_EQ(ids.size(), loaded_->size());

  grpc::ClientContext bad_context;
  v1::ExportCablesRequest bad;
  bad.set_filter("tags:A OR");
  auto bad_reader = stub_->ExportCables(&bad_context, bad);
  while (bad_reader->Read(&cable)) {
  }
  EXPECT_EQ(bad_reader->Finish().error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Last: changes 08DAMASCUS427.
TEST_F(MetadataServiceTest, ReingestedCableHasTwoVersionsAndADiff) {
  Cable changed = loaded_->at("08DAMASCUS427");
  changed.set_subject(absl::StrCat(changed.subject(), " (CORRECTED)"));
  changed.set_body(absl::StrCat(changed.body(), "\nAN ADDED CLOSING LINE\n"));
  storage::testing::RehashCable(changed);
  auto stored = repository_->UpsertCable(changed, "correction");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->version, 2);

  v1::ListCableVersionsRequest versions_request;
  versions_request.set_name("08 DAMASCUS 427");
  auto versions = catalog_->ListCableVersions(versions_request);
  ASSERT_TRUE(versions.ok()) << versions.status();
  ASSERT_EQ(versions->versions_size(), 2);
  EXPECT_FALSE(versions->versions(0).current());
  EXPECT_TRUE(versions->versions(1).current());
  EXPECT_EQ(versions->versions(1).source(), "correction");
  EXPECT_THAT(versions->versions(1).changed_fields(), Contains("subject"));

  v1::DiffCableVersionsRequest diff_request;
  diff_request.set_name("cables/08DAMASCUS427");
  diff_request.set_from_version(1);
  diff_request.set_to_version(2);
  auto diff = catalog_->DiffCableVersions(diff_request);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_THAT(diff->unified_diff(), HasSubstr("+AN ADDED CLOSING LINE\n"));
  EXPECT_THAT(diff->unified_diff(), HasSubstr("--- cables/08DAMASCUS427@1"));
  ASSERT_GE(diff->changed_fields_size(), 1);
  bool subject = false;
  for (const auto& f : diff->changed_fields()) {
    if (f.field() == "subject") {
      subject = true;
      EXPECT_THAT(f.to_value(), HasSubstr("(CORRECTED)"));
    }
  }
  EXPECT_TRUE(subject);

  auto current = Get("08DAMASCUS427");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->version(), 2);
  v1::GetCableRequest v1_request;
  v1_request.set_name("08DAMASCUS427");
  v1_request.set_version(1);
  auto old = catalog_->GetCable(v1_request);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->subject(), loaded_->at("08DAMASCUS427").subject());
}

}  // namespace
}  // namespace cables::metadata
