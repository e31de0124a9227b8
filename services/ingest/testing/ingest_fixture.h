// IngestFixture: a gtest fixture with a fresh migrated database on the
// embedded cluster (storage::testing::TestDatabase), a PgCableRepository,
// an Ingester, and the IngestService on an in-process gRPC server; plus
// readers of the real corpus (../shared/corpus/wikileaks-html) and a
// fingerprint of everything stored, to prove a refused request stored
// nothing.
//
// Header-only, test-only. Needs CABLES_SOURCE_DIR (cables_add_test sets it).
#ifndef CABLES_SERVICES_INGEST_TESTING_INGEST_FIXTURE_H_
#define CABLES_SERVICES_INGEST_TESTING_INGEST_FIXTURE_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cables/v1/ingest_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/common/bounded_executor.h"
#include "services/ingest/ingest_service.h"
#include "services/ingest/ingester.h"
#include "storage/pg_cable_repository.h"
#include "storage/testing/test_database.h"

namespace cables::ingest::testing {

inline const std::string& CorpusDir() {
  static const std::string dir =
      std::string(CABLES_SOURCE_DIR) + "/../shared/corpus/wikileaks-html";
  return dir;
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The first `limit` corpus files in path order.
inline std::vector<std::string> CorpusFiles(size_t limit) {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(CorpusDir())) {
    if (entry.path().extension() == ".html") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.size() > limit) files.resize(limit);
  return files;
}

class IngestFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::testing::TestDatabase::Create(DatabasePrefix());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    storage::ConnectionPoolOptions options;
    options.database_url = db_->url();
    options.max_connections = 4;
    options.application_name = "ingest-fixture";
    auto repository = storage::PgCableRepository::Open(options);
    ASSERT_TRUE(repository.ok()) << repository.status();
    repository_ = *std::move(repository);
    ingester_ = std::make_unique<Ingester>(repository_.get());
    executor_ = std::make_unique<BoundedExecutor>(4, 16);
    service_ = std::make_unique<IngestServiceImpl>(
        ingester_.get(), executor_.get(), ServiceOptions());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = cables::v1::IngestService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    executor_.reset();
  }

  virtual std::string DatabasePrefix() const { return "ingest"; }
  virtual ImportOptions ServiceOptions() const { return ImportOptions(); }

  // One value that changes when anything stored changes: versions and
  // their digests, current cables, events, the change log.
  std::string StoredFingerprint() const {
    return db_
        ->Query(
            "SELECT md5(concat_ws('|',"
            " (SELECT string_agg(canonical_id || ':' || version || ':' ||"
            "   content_sha256 || ':' || coalesce(content_sha512, '') || ':' ||"
            "   md5(body), ',' ORDER BY canonical_id, version)"
            "  FROM cable_versions),"
            " (SELECT string_agg(canonical_id || ':' || current_version, ','"
            "   ORDER BY canonical_id) FROM cables),"
            " (SELECT count(*) || ':' || coalesce(max(event_id), 0)"
            "  FROM cable_events),"
            " (SELECT count(*) FROM cable_changes)))")
        .value();
  }

  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::unique_ptr<storage::PgCableRepository> repository_;
  std::unique_ptr<Ingester> ingester_;
  std::unique_ptr<BoundedExecutor> executor_;
  std::unique_ptr<IngestServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<cables::v1::IngestService::Stub> stub_;
};

}  // namespace cables::ingest::testing

#endif  // CABLES_SERVICES_INGEST_TESTING_INGEST_FIXTURE_H_
