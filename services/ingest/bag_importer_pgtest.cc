// ImportBag over a real in-process gRPC server and a real database: valid
// bags of real cables (tar, tar.gz, zip, directory) are stored in one
// write with their provenance; tampered and malicious bags are refused
// whole, naming the failing file, with nothing stored (the database's
// fingerprint is unchanged).
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/common/error_details.h"
#include "services/common/grpc_status.h"
#include "services/ingest/bag_importer.h"
#include "services/ingest/bagit/archive_reader.h"
#include "services/ingest/bagit/testing/bag_builder.h"
#include "services/ingest/testing/ingest_fixture.h"

namespace cables::ingest {
namespace {

using bagit::testing::BagBuilder;
using ::testing::Contains;
using testing::CorpusFiles;
using ::testing::HasSubstr;
using testing::ReadWholeFile;

constexpr size_t kMaxBagBytes = 4 << 20;

// A bag of the first `n` corpus cables, at data/<year>/<month>/<file>.
BagBuilder CorpusBag(size_t n) {
  BagBuilder bag;
  const std::string root = testing::CorpusDir() + "/";
  for (const std::string& file : CorpusFiles(n)) {
    bag.AddPayload(absl::StrCat("data/", file.substr(root.size())),
                   ReadWholeFile(file));
  }
  return bag;
}

class BagImportTest : public testing::IngestFixture {
 protected:
  std::string DatabasePrefix() const override { return "bags"; }
  ImportOptions ServiceOptions() const override {
    ImportOptions options;
    options.max_bag_bytes = kMaxBagBytes;
    return options;
  }

  // Sends `archive` in 64 KiB chunks after a header naming the bag.
  grpc::Status Import(const std::string& archive, const std::string& name,
                      cables::v1::ImportBagResponse* response) {
    grpc::ClientContext context;
    auto writer = stub_->ImportBag(&context, response);
    cables::v1::ImportBagRequest header;
    header.mutable_header()->set_bag_name(name);
    bool ok = writer->Write(header);
    for (size_t at = 0; ok && at < archive.size(); at += 65536) {
      cables::v1::ImportBagRequest chunk;
      chunk.set_chunk(archive.substr(at, 65536));
      ok = writer->Write(chunk);
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // Expects `archive` to be refused with INVALID_ARGUMENT (or `code`)
  // naming `file`, and nothing stored.
  void ExpectRefused(
      const std::string& archive, const std::string& file,
      grpc::StatusCode code = grpc::StatusCode::INVALID_ARGUMENT) {
    const std::string before = StoredFingerprint();
    cables::v1::ImportBagResponse response;
    const grpc::Status status = Import(archive, "bad-bag", &response);
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    cables::v1::BadRequest details;
    ASSERT_TRUE(GetBadRequest(FromGrpcStatus(status), &details))
        << status.error_message();
    std::vector<std::string> files;
    for (const auto& v : details.field_violations()) files.push_back(v.field());
    EXPECT_THAT(files, Contains(file)) << status.error_message();
    EXPECT_EQ(StoredFingerprint(), before);
  }
};

// A message that is not an ImportBagRequest, after a header and a valid
// chunk, ends the call with INVALID_ARGUMENT (MALFORMED_REQUEST) -- it is
// not taken for the end of the archive -- and nothing is stored.
TEST_F(BagImportTest, AMalformedMessageIsRefusedNotTakenForTheEnd) {
  const std::string before = StoredFingerprint();
  const std::string archive = CorpusBag(3).Tar();
  cables::v1::ImportBagRequest header;
  header.mutable_header()->set_bag_name("bag");
  cables::v1::ImportBagRequest chunk;
  chunk.set_chunk(archive);
  const std::vector<std::string> messages = {
      header.SerializeAsString(), chunk.SerializeAsString(),
      std::string("\x12\xff\xff\xff", 4)};  // chunk field, cut length
  grpc::GenericStub stub(server_->InProcessChannel(grpc::ChannelArguments()));
  grpc::ClientContext context;
  grpc::CompletionQueue cq;
  const auto wait = [&cq] {
    void* tag = nullptr;
    bool ok = false;
    return cq.Next(&tag, &ok) && ok;
  };
  int tag = 0;
  auto call =
      stub.PrepareCall(&context, "/cables.v1.IngestService/ImportBag", &cq);
  call->StartCall(&tag);
  bool ok = wait();
  for (const std::string& message : messages) {
    if (!ok) break;
    grpc::Slice slice(message);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, &tag);
    ok = wait();
  }
  if (ok) {
    call->WritesDone(&tag);
    wait();
  }
  grpc::ByteBuffer response;
  call->Read(&response, &tag);
  wait();
  grpc::Status status;
  call->Finish(&status, &tag);
  wait();
  cq.Shutdown();
  void* ignored_tag;
  bool ignored_ok;
  while (cq.Next(&ignored_tag, &ignored_ok)) {
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  cables::v1::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(FromGrpcStatus(status), &info))
      << status.error_message();
  EXPECT_EQ(info.reason(), "MALFORMED_REQUEST");
  EXPECT_EQ(StoredFingerprint(), before);
}

TEST_F(BagImportTest, ValidBagIsStoredWithItsProvenance) {
  const BagBuilder bag = CorpusBag(20);
  cables::v1::ImportBagResponse response;
  const grpc::Status status =
      Import(bag.Tar("cables-1966-2005"), "", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.bag_name(), "cables-1966-2005");
  EXPECT_EQ(response.checksum_algorithm(), "sha512");
  EXPECT_EQ(response.payload_files(), 20);
  ASSERT_EQ(response.results_size(), 20);
  for (const auto& r : response.results()) {
    EXPECT_EQ(r.outcome(), cables::v1::CREATED) << r.source();
    EXPECT_THAT(r.source(), HasSubstr("cables-1966-2005/data/"));
  }
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cables").value(), "20");
  EXPECT_EQ(db_->Query("SELECT count(DISTINCT source) FROM cable_versions"
                       " WHERE source LIKE 'cables-1966-2005/data/%'")
                .value(),
            "20");
  // Per cable: ingestion, digests, validation (with the bag and algorithm).
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cable_events").value(), "60");
  const std::string detail =
      db_->Query(
             "SELECT outcome_detail FROM cable_events"
             " WHERE event_type = 'validation' ORDER BY event_id LIMIT 1")
          .value();
  EXPECT_THAT(detail, HasSubstr("\"cables-1966-2005\""));
  EXPECT_THAT(detail, HasSubstr("manifest-sha512.txt"));
  EXPECT_THAT(detail, HasSubstr("source \"cables-1966-2005/data/"));

  // The same bag zipped (no top directory: the header's name) and gzipped:
  // nothing new to store, a new validation event each.
  ASSERT_TRUE(Import(bag.Zip(), "again", &response).ok());
  EXPECT_EQ(response.bag_name(), "again");
  for (const auto& r : response.results()) {
    EXPECT_EQ(r.outcome(), cables::v1::UNCHANGED);
  }
  ASSERT_TRUE(Import(bag.Tar("", /*gzip=*/true), "gz", &response).ok());
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cable_versions").value(), "20");
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cable_events"
                       " WHERE event_type = 'validation'")
                .value(),
            "60");
}

TEST_F(BagImportTest, DirectoryBag) {
  const BagBuilder bag = CorpusBag(5);
  std::string pattern = ::testing::TempDir() + "/bagdirXXXXXX";
  const std::string dir = mkdtemp(pattern.data());
  ASSERT_TRUE(bag.WriteDirectory(dir).ok());
  auto entries = bagit::ReadDirectory(dir, {});
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(entries.ok()) << entries.status();
  auto response =
      ingester_->bags().ImportEntries(*std::move(entries), "directory-bag");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->results_size(), 5);
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cables").value(), "5");
}

TEST_F(BagImportTest, TamperedBagsAreRefusedWhole) {
  const std::string victim =
      "data/" + CorpusFiles(3)[2].substr(testing::CorpusDir().size() + 1);
  {
    BagBuilder bag = CorpusBag(3);
    std::string changed = bag.Files().at(victim);
    changed[changed.size() / 3] ^= 0x20;
    bag.SetFile(victim, changed);
    ExpectRefused(bag.Tar(), victim);
  }
  {
    BagBuilder bag = CorpusBag(3);
    bag.RemoveFile(victim);
    ExpectRefused(bag.Zip(), victim);
  }
  {
    BagBuilder bag = CorpusBag(3);
    bag.SetFile("data/unlisted.html", ReadWholeFile(CorpusFiles(4)[3]));
    ExpectRefused(bag.Tar("", true), "data/unlisted.html");
  }
  {
    BagBuilder bag = CorpusBag(3);
    bag.SetPayloadOxum("1.1");
    ExpectRefused(bag.Tar(), "bag-info.txt");
  }
  {  // Valid bag, but one payload file is not a cable: nothing is stored.
    BagBuilder bag = CorpusBag(3);
    bag.AddPayload("data/readme.txt", "These are cables.\n");
    ExpectRefused(bag.Tar(), "data/readme.txt");
  }
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cables").value(), "0");
}

TEST_F(BagImportTest, MaliciousBagsAreRefused) {
  {
    BagBuilder bag = CorpusBag(2);
    bag.AddRawEntry("bag/../../../tmp/evil.html", "evil");
    ExpectRefused(bag.Tar("bag"), "bag/../../../tmp/evil.html");
  }
  {
    BagBuilder bag = CorpusBag(2);
    bag.AddRawEntry("/etc/cron.d/evil", "evil");
    ExpectRefused(bag.Tar(), "/etc/cron.d/evil");
  }
  {
    BagBuilder bag = CorpusBag(2);
    bag.AddSymlink("data/shadow.html", "/etc/shadow");
    ExpectRefused(bag.Zip(), "data/shadow.html");
  }
  // A header declaring 8 GiB.
  ExpectRefused(bagit::testing::TarHeaderOnly("data/huge.html", 8589934591ull),
                "data/huge.html", grpc::StatusCode::RESOURCE_EXHAUSTED);
  // An archive over the server's limit.
  BagBuilder big;
  big.AddPayload("data/big.txt", std::string(kMaxBagBytes + 1, 'x'));
  ExpectRefused(big.Tar(), "chunk", grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Not an archive at all.
  cables::v1::ImportBagResponse response;
  EXPECT_EQ(Import("just some text", "x", &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(db_->Query("SELECT count(*) FROM cables").value(), "0");
}

}  // namespace
}  // namespace cables::ingest
