// IngestService over a real in-process gRPC server and a real PostgreSQL
// database (a fresh TestDatabase on the embedded cluster).
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/common/bounded_executor.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/ingest/ingest_service.h"
#include "services/ingest/ingester.h"
#include "services/ingest/testing/ingest_fixture.h"

namespace cables::ingest {
namespace {

using cables::v1::ImportCablesRequest;
using cables::v1::ImportCablesResponse;

using testing::CorpusDir;
using testing::CorpusFiles;
using testing::ReadWholeFile;

class IngestServiceTest : public testing::IngestFixture {
 protected:
  std::string DatabasePrefix() const override { return "ingest"; }
  ImportOptions ServiceOptions() const override {
    ImportOptions import_options;
    import_options.default_batch_size = 50;
    return import_options;
  }

  grpc::Status Ingest(const std::string& content,
                      cables::v1::IngestCableResponse* out,
                      const std::string& request_id = "") {
    cables::v1::IngestCableRequest request;
    request.set_content(content);
    request.set_source("test");
    request.set_request_id(request_id);
    grpc::ClientContext context;
    return stub_->IngestCable(&context, request, out);
  }

  // Imports `documents` over one stream; returns the responses.
  // `before_write(position)` (may be empty) runs before each document is
  // sent.
  // `options` (may be null) is sent first.
  grpc::Status Import(
      const std::vector<std::pair<std::string, std::string>>& documents,
      std::vector<ImportCablesResponse>* responses,
      const std::function<void(int64_t)>& before_write = nullptr,
      const ImportCablesRequest::Options* options = nullptr) {
    grpc::ClientContext context;
    auto stream = stub_->ImportCables(&context);
    if (options != nullptr) {
      ImportCablesRequest first;
      *first.mutable_options() = *options;
      if (!stream->Write(first)) return stream->Finish();
    }
    // Acknowledgements are read concurrently, as a real client does (the
    // in-process transport completes a server write only once it is read).
    std::thread reader([&] {
      ImportCablesResponse response;
      while (stream->Read(&response)) responses->push_back(response);
    });
    int64_t position = 0;
    for (const auto& [source, content] : documents) {
      if (before_write) before_write(position + 1);
      ImportCablesRequest request;
      auto* document = request.mutable_document();
      document->set_position(++position);
      document->set_source(source);
      document->set_content(content);
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
    reader.join();
    return stream->Finish();
  }
};

// `utf8` as UTF-16LE with a byte-order mark (how Windows tools save text).
std::string ToUtf16Le(const std::string& utf8) {
  std::string out = "\xFF\xFE";
  const auto put = [&out](uint32_t unit) {
    out.push_back(static_cast<char>(unit & 0xFF));
    out.push_back(static_cast<char>(unit >> 8));
  };
  for (size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    uint32_t cp = len == 1 ? b : b & (0x3F >> (len - 1));
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    i += len;
    if (cp >= 0x10000) {
      put(0xD800 + ((cp - 0x10000) >> 10));
      put(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      put(cp);
    }
  }
  return out;
}

// A page saved as UTF-16 is the same cable, whether ingested alone or in a
// stream: UNCHANGED after the UTF-8 page.
TEST_F(IngestServiceTest, Utf16PagesAreTheSameCable) {
  const std::string page =
      ReadWholeFile(CorpusDir() + "/2008/06/08DAMASCUS427.html");
  cables::v1::IngestCableResponse first;
  ASSERT_TRUE(Ingest(page, &first).ok());
  cables::v1::IngestCableResponse utf16;
  const grpc::Status status = Ingest(ToUtf16Le(page), &utf16);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(utf16.outcome(), cables::v1::UNCHANGED);
  std::vector<ImportCablesResponse> responses;
  ASSERT_TRUE(Import({{"utf16.html", ToUtf16Le(page)}}, &responses).ok());
  ASSERT_EQ(responses.size(), 1u);
  ASSERT_EQ(responses[0].results_size(), 1);
  EXPECT_EQ(responses[0].results(0).outcome(), cables::v1::UNCHANGED)
      << responses[0].results(0).reason();
}

TEST_F(IngestServiceTest, IngestIsIdempotentAndVersionsChangedContent) {
  const std::string page =
      ReadWholeFile(CorpusDir() + "/2008/06/08DAMASCUS427.html");
  cables::v1::IngestCableResponse first;
  ASSERT_TRUE(Ingest(page, &first).ok());
  EXPECT_EQ(first.outcome(), cables::v1::CREATED);
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.cable().name(), "cables/08DAMASCUS427");

  cables::v1::IngestCableResponse again;
  ASSERT_TRUE(Ingest(page, &again).ok());
  EXPECT_EQ(again.outcome(), cables::v1::UNCHANGED);
  EXPECT_EQ(again.version(), 1);

  std::string changed = page;
  const size_t at = changed.find("HOLMSTROM</pre>");
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, 9, "HOLMSTROM (corrected)");
  cables::v1::IngestCableResponse second;
  ASSERT_TRUE(Ingest(changed, &second).ok());
  EXPECT_EQ(second.outcome(), cables::v1::NEW_VERSION);
  EXPECT_EQ(second.version(), 2);
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cable_versions").value(), "2");
}

TEST_F(IngestServiceTest, RetriedRequestIdIsNotAppliedTwice) {
  const std::string page =
      ReadWholeFile(CorpusDir() + "/2008/06/08DAMASCUS427.html");
  cables::v1::IngestCableResponse first;
  ASSERT_TRUE(Ingest(page, &first, "req-1").ok());
  EXPECT_EQ(first.outcome(), cables::v1::CREATED);
  // The same request id answers with the first response, even though the
  // content would now be UNCHANGED.
  cables::v1::IngestCableResponse retry;
  ASSERT_TRUE(Ingest(page, &retry, "req-1").ok());
  EXPECT_EQ(retry.outcome(), cables::v1::CREATED);
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cable_versions").value(), "1");
}

TEST_F(IngestServiceTest, UnparseableInputIsInvalidArgumentWithDetails) {
  cables::v1::IngestCableResponse response;
  const grpc::Status status = Ingest(std::string("\0\1\2binary", 9), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("binary"), std::string::npos)
      << status.error_message();
  cables::v1::BadRequest bad_request;
  ASSERT_TRUE(GetBadRequest(FromGrpcStatus(status), &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "content");

  const grpc::Status empty = Ingest("", &response);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cables").value(), "0");
}

TEST_F(IngestServiceTest, ImportReportsBadDocumentsAndStoresTheRest) {
  std::vector<std::pair<std::string, std::string>> documents;
  for (const auto& file : CorpusFiles(120))
    documents.emplace_back(file, ReadWholeFile(file));
  documents.insert(documents.begin() + 60,
                   {"corrupt.html", std::string("\0\0\0", 3)});
  std::vector<ImportCablesResponse> responses;
  ASSERT_TRUE(Import(documents, &responses).ok());
  int created = 0, rejected = 0;
  int64_t acked = 0;
  for (const auto& response : responses) {
    EXPECT_GE(response.acknowledged_position(), acked);
    acked = response.acknowledged_position();
    for (const auto& r : response.results()) {
      if (r.outcome() == cables::v1::CREATED) ++created;
      if (r.outcome() == cables::v1::REJECTED) {
        ++rejected;
        EXPECT_EQ(r.source(), "corrupt.html");
        EXPECT_EQ(r.position(), 61);
        EXPECT_FALSE(r.reason().empty());
      }
    }
  }
  EXPECT_EQ(acked, 121);
  EXPECT_EQ(rejected, 1);
  EXPECT_EQ(created, 120);
  EXPECT_GT(responses.size(), 1u)
      << "batches of 50 are acknowledged separately";
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cables").value(), "120");

  // Re-sending everything changes nothing.
  responses.clear();
  ASSERT_TRUE(Import(documents, &responses).ok());
  int unchanged = 0;
  for (const auto& response : responses) {
    for (const auto& r : response.results())
      unchanged += r.outcome() == cables::v1::UNCHANGED;
  }
  EXPECT_EQ(unchanged, 120);
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cable_versions").value(), "120");
}

TEST_F(IngestServiceTest, ImportsCsvChunksRowByRow) {
  std::string csv;
  for (int i = 1; i <= 30; ++i) {
    // StrAppend, not "literal" + std::string: GCC 12 -O3 reports a false
    // -Wrestrict on the latter.
    absl::StrAppend(
        &csv, "\"", i, "\",\"01/02/2005 10:00\",\"05ALMATY", 1000 + i,
        "\",\"Embassy Almaty\",\"CONFIDENTIAL\",\"\",\"\",\"CONFIDENTIAL "
        "ALMATY ",
        1000 + i, "\n\nSUBJECT: TEST CABLE ", i, "\n\n1. (C) Text of cable ", i,
        ".\"\n");
  }
  csv +=
      "\"31\",\"13/45/2005 "
      "99:99\",\"05ALMATY2000\",\"x\",\"y\",\"\",\"\",\"z\"\n";
  std::vector<ImportCablesResponse> responses;
  ASSERT_TRUE(Import({{"chunk.csv", csv}}, &responses).ok());
  int created = 0, rejected = 0;
  for (const auto& response : responses) {
    for (const auto& r : response.results()) {
      created += r.outcome() == cables::v1::CREATED;
      if (r.outcome() == cables::v1::REJECTED) {
        ++rejected;
        EXPECT_EQ(r.row(), 31);
      }
    }
  }
  EXPECT_EQ(created, 30);
  EXPECT_EQ(rejected, 1);
}

TEST_F(IngestServiceTest, BulkModeStoresWithoutFullTextVectors) {
  const std::vector<std::string> files = CorpusFiles(4);
  ASSERT_EQ(files.size(), 4u);
  std::vector<std::pair<std::string, std::string>> bulk, ordinary;
  for (size_t i = 0; i < files.size(); ++i) {
    (i < 2 ? bulk : ordinary).emplace_back(files[i], ReadWholeFile(files[i]));
  }
  ImportCablesRequest::Options options;
  options.set_defer_search_vectors(true);
  std::vector<ImportCablesResponse> responses;
  ASSERT_TRUE(Import(bulk, &responses, nullptr, &options).ok());
  ASSERT_TRUE(Import(ordinary, &responses).ok());
  int created = 0;
  for (const auto& response : responses) {
    for (const auto& r : response.results()) {
      created += r.outcome() == cables::v1::CREATED;
    }
  }
  EXPECT_EQ(created, 4);
  // Stored and retrievable like any other cable, only without the vector.
  auto deferred = db_->Query(
      "SELECT count(*) FROM cables c JOIN cable_versions v ON "
      "v.canonical_id = c.canonical_id AND v.version = c.current_version "
      "WHERE c.search IS NULL");
  ASSERT_TRUE(deferred.ok()) << deferred.status();
  EXPECT_EQ(*deferred, "2");
  auto computed =
      db_->Query("SELECT count(*) FROM cables WHERE search IS NOT NULL");
  ASSERT_TRUE(computed.ok()) << computed.status();
  EXPECT_EQ(*computed, "2");
}

// Small batches, two committing at a time: every document is acknowledged
// once, in position order, and stored.
TEST_F(IngestServiceTest, AcknowledgementsComeInOrderWhileBatchesOverlap) {
  const std::vector<std::string> files = CorpusFiles(60);
  ASSERT_EQ(files.size(), 60u);
  std::vector<std::pair<std::string, std::string>> documents;
  for (const auto& f : files) documents.emplace_back(f, ReadWholeFile(f));
  ImportCablesRequest::Options options;
  options.set_batch_size(3);
  std::vector<ImportCablesResponse> responses;
  ASSERT_TRUE(Import(documents, &responses, nullptr, &options).ok());
  int64_t last = 0;
  int results = 0;
  for (const auto& response : responses) {
    EXPECT_GT(response.acknowledged_position(), last);
    for (const auto& r : response.results()) {
      EXPECT_GT(r.position(), last);
      EXPECT_LE(r.position(), response.acknowledged_position());
      EXPECT_EQ(r.outcome(), cables::v1::CREATED) << r.source();
      ++results;
    }
    last = response.acknowledged_position();
  }
  EXPECT_EQ(last, 60);
  EXPECT_EQ(results, 60);
  EXPECT_GE(responses.size(), 20u);  // a large page is a batch alone
  auto stored = db_->Query("SELECT count(*) FROM cables");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, "60");
}

TEST_F(IngestServiceTest, PositionsMustIncrease) {
  grpc::ClientContext context;
  auto stream = stub_->ImportCables(&context);
  ImportCablesRequest request;
  request.mutable_document()->set_position(5);
  request.mutable_document()->set_content("REF: A) 08 STATE 1");
  stream->Write(request);
  request.mutable_document()->set_position(5);
  stream->Write(request);
  stream->WritesDone();
  ImportCablesResponse response;
  while (stream->Read(&response)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// The server shutting down mid-stream (ServerRunner::ShuttingDown in the
// binary; a flag here).
std::atomic<bool> shutting_down{false};

class ImportShutdownTest : public IngestServiceTest {
 protected:
  ImportOptions ServiceOptions() const override {
    ImportOptions options = IngestServiceTest::ServiceOptions();
    options.shutting_down = [] { return shutting_down.load(); };
    return options;
  }
  void TearDown() override {
    shutting_down = false;
    IngestServiceTest::TearDown();
  }
};

// A stream that is mid-batch when the server starts shutting down commits
// and acknowledges what it holds, then ends with UNAVAILABLE
// (SHUTTING_DOWN): every acknowledged document is stored and nothing is
// stored unacknowledged, so a resumed import neither loses nor repeats.
TEST_F(ImportShutdownTest, AStreamCommitsWhatItHoldsThenEnds) {
  std::vector<std::pair<std::string, std::string>> documents;
  for (const std::string& file : CorpusFiles(40)) {
    documents.emplace_back(file, ReadWholeFile(file));
  }
  std::vector<ImportCablesResponse> responses;
  // Batches are 50 documents: the 21st is read with 20 or fewer held.
  const grpc::Status status =
      Import(documents, &responses, [](int64_t position) {
        if (position == 21) shutting_down = true;
      });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  cables::v1::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(FromGrpcStatus(status), &info));
  EXPECT_EQ(info.reason(), "SHUTTING_DOWN");
  ASSERT_FALSE(responses.empty()) << "the held documents were acknowledged";
  const int64_t acked = responses.back().acknowledged_position();
  EXPECT_GE(acked, 1);
  EXPECT_LE(acked, 21);
  int created = 0;
  for (const auto& response : responses) {
    for (const auto& r : response.results()) {
      created += r.outcome() == cables::v1::CREATED;
    }
  }
  EXPECT_EQ(created, acked);
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cables").value(),
            absl::StrCat(acked));
}

}  // namespace
}  // namespace cables::ingest
