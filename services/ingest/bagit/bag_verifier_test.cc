// VerifyBag and ReadArchive/ReadDirectory on bags built at test time from
// real cables of ../shared/corpus: valid ones in every container, tampered
// and malicious ones, each refused with the failing file named.
#include "services/ingest/bagit/bag_verifier.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/error_details.h"
#include "services/ingest/bagit/archive_reader.h"
#include "services/ingest/bagit/testing/bag_builder.h"

namespace cables::bagit {
namespace {

using testing::BagBuilder;
using ::testing::Contains;
using ::testing::HasSubstr;

const std::string kCorpus =
    std::string(CABLES_SOURCE_DIR) + "/../shared/corpus/wikileaks-html";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A bag of three real cables under data/2008/06/.
BagBuilder RealBag() {
  BagBuilder bag;
  for (const char* id : {"08ABIDJAN396", "08BOGOTA2024", "08BRASILIA823"}) {
    const std::string contents =
        ReadFile(absl::StrCat(kCorpus, "/2008/06/", id, ".html"));
    EXPECT_FALSE(contents.empty()) << id;
    bag.AddPayload(absl::StrCat("data/2008/06/", id, ".html"), contents);
  }
  return bag;
}

// The files a refusal names (its BadRequest field violations).
std::vector<std::string> FailingFiles(const absl::Status& status) {
  cables::v1::BadRequest details;
  std::vector<std::string> files;
  if (GetBadRequest(status, &details)) {
    for (const auto& v : details.field_violations()) files.push_back(v.field());
  }
  return files;
}

absl::StatusOr<VerifiedBag> VerifyArchive(const std::string& archive,
                                          const ReadLimits& limits = {}) {
  auto entries = ReadArchive(archive, limits);
  if (!entries.ok()) return entries.status();
  return VerifyBag(*std::move(entries), {"upload", 100});
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "/bagXXXXXX";
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void ExpectValid(const absl::StatusOr<VerifiedBag>& bag,
                 const std::string& name) {
  ASSERT_TRUE(bag.ok()) << bag.status();
  EXPECT_EQ(bag->name, name);
  EXPECT_EQ(bag->algorithm, Algorithm::kSha512);
  EXPECT_EQ(bag->declaration.version, "1.0");
  ASSERT_EQ(bag->payload.size(), 3u);
  EXPECT_EQ(bag->payload[0].path, "data/2008/06/08ABIDJAN396.html");
  EXPECT_THAT(bag->payload[0].data, HasSubstr("08ABIDJAN396"));
  EXPECT_EQ(bag->tag_manifests, std::vector<Algorithm>{Algorithm::kSha256});
  EXPECT_EQ(bag->payload_manifests.size(), 2u);
}

TEST(VerifyBagTest, ValidBagInEveryContainer) {
  const BagBuilder bag = RealBag();
  ExpectValid(VerifyArchive(bag.Tar("cables-2008")), "cables-2008");
  ExpectValid(VerifyArchive(bag.Tar("", /*gzip=*/true)), "upload");
  ExpectValid(VerifyArchive(bag.Zip("zipped")), "zipped");
  ExpectValid(VerifyArchive(bag.Zip()), "upload");
  TempDir dir;
  ASSERT_TRUE(bag.WriteDirectory(dir.path()).ok());
  auto entries = ReadDirectory(dir.path(), {});
  ASSERT_TRUE(entries.ok()) << entries.status();
  ExpectValid(VerifyBag(*std::move(entries), {"from-dir", 100}), "from-dir");
}

TEST(VerifyBagTest, Sha256OnlyBagAndEmptyPayload) {
  BagBuilder bag = RealBag();
  bag.SetAlgorithms({Algorithm::kSha256});
  auto verified = VerifyArchive(bag.Tar());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->algorithm, Algorithm::kSha256);

  auto entries = BagBuilder().Entries();
  entries.push_back({"data/", EntryType::kDirectory, ""});
  auto none = VerifyBag(entries, {});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->payload.empty());
}

TEST(VerifyBagTest, ChangedPayloadByteNamesTheFile) {
  BagBuilder bag = RealBag();
  std::string tampered = bag.Files().at("data/2008/06/08BOGOTA2024.html");
  tampered[tampered.size() / 2] ^= 1;
  bag.SetFile("data/2008/06/08BOGOTA2024.html", tampered);
  const auto verified = VerifyArchive(bag.Tar());
  ASSERT_EQ(verified.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(verified.status().message(), HasSubstr("checksum mismatch"));
  // Named once per payload manifest (sha512 and sha256), nothing else.
  EXPECT_EQ(FailingFiles(verified.status()),
            std::vector<std::string>(2, "data/2008/06/08BOGOTA2024.html"));
}

TEST(VerifyBagTest, IncompleteBags) {
  {  // A listed file is missing.
    BagBuilder bag = RealBag();
    bag.RemoveFile("data/2008/06/08ABIDJAN396.html");
    const auto verified = VerifyArchive(bag.Zip());
    ASSERT_FALSE(verified.ok());
    EXPECT_THAT(FailingFiles(verified.status()),
                Contains("data/2008/06/08ABIDJAN396.html"));
    EXPECT_THAT(verified.status().message(), HasSubstr("missing"));
  }
  {  // An extra payload file no manifest lists.
    BagBuilder bag = RealBag();
    bag.SetFile("data/extra.html", "<html>not listed</html>");
    const auto verified = VerifyArchive(bag.Tar());
    ASSERT_FALSE(verified.ok());
    EXPECT_THAT(FailingFiles(verified.status()), Contains("data/extra.html"));
    EXPECT_THAT(verified.status().message(), HasSubstr("not listed"));
  }
  {  // Payload-Oxum disagrees with the payload.
    BagBuilder bag = RealBag();
    bag.SetPayloadOxum("999.3");
    const auto verified = VerifyArchive(bag.Tar());
    ASSERT_FALSE(verified.ok());
    EXPECT_EQ(FailingFiles(verified.status()),
              std::vector<std::string>{"bag-info.txt"});
    EXPECT_THAT(verified.status().message(), HasSubstr("Payload-Oxum"));
  }
  {  // A tag file changed after the tag manifest was made.
    BagBuilder bag = RealBag();
    bag.SetFile("bag-info.txt", "Source-Organization: someone else\n");
    const auto verified = VerifyArchive(bag.Tar());
    ASSERT_FALSE(verified.ok());
    EXPECT_EQ(FailingFiles(verified.status()),
              std::vector<std::string>{"bag-info.txt"});
  }
  {  // No bagit.txt: not a bag.
    BagBuilder bag = RealBag();
    bag.RemoveFile("bagit.txt");
    const auto verified = VerifyArchive(bag.Tar("x"));
    ASSERT_FALSE(verified.ok());
    EXPECT_EQ(FailingFiles(verified.status()),
              std::vector<std::string>{"bagit.txt"});
  }
}

TEST(VerifyBagTest, ManifestProblems) {
  {  // Only a weak manifest.
    BagBuilder bag = RealBag();
    bag.SetAlgorithms({Algorithm::kMd5});
    const auto verified = VerifyArchive(bag.Tar());
    ASSERT_FALSE(verified.ok());
    EXPECT_THAT(verified.status().message(), HasSubstr("SHA-256 or SHA-512"));
  }
  {  // An algorithm that cannot be verified.
    BagBuilder bag = RealBag();
    bag.SetFile("manifest-blake2b.txt", "abc data/x\n");
    const auto verified = VerifyArchive(bag.Tar());
    ASSERT_FALSE(verified.ok());
    EXPECT_THAT(FailingFiles(verified.status()),
                Contains("manifest-blake2b.txt"));
  }
  {  // A manifest listing a path outside data/.
    BagBuilder bag = RealBag();
    bag.SetFile("manifest-sha256.txt",
                absl::StrCat(std::string(64, 'a'), "  ../../etc/passwd\n"));
    const auto verified = VerifyArchive(bag.Tar());
    ASSERT_FALSE(verified.ok());
    EXPECT_THAT(FailingFiles(verified.status()),
                Contains("manifest-sha256.txt"));
    EXPECT_THAT(verified.status().ToString(), HasSubstr("escapes the bag"));
  }
  {  // fetch.txt: remote payload is refused.
    BagBuilder bag = RealBag();
    bag.SetFile("fetch.txt", "http://example.org/x 10 data/x\n");
    const auto verified = VerifyArchive(bag.Tar());
    ASSERT_FALSE(verified.ok());
    EXPECT_THAT(FailingFiles(verified.status()), Contains("fetch.txt"));
  }
}

TEST(VerifyBagTest, MaliciousPathsAndLinks) {
  for (const char* path :
       {"../evil.txt", "/etc/cron.d/evil", "bag/../../evil", "bag\\..\\evil"}) {
    BagBuilder bag = RealBag();
    bag.AddRawEntry(path, "evil");
    const auto verified = VerifyArchive(bag.Tar("bag"));
    ASSERT_FALSE(verified.ok()) << path;
    EXPECT_EQ(verified.status().code(), absl::StatusCode::kInvalidArgument);
    const std::vector<std::string> files = FailingFiles(verified.status());
    ASSERT_FALSE(files.empty()) << path;
    EXPECT_THAT(files[0], HasSubstr("evil")) << path;
  }
  {  // A symbolic link inside the payload, in a tar and in a directory.
    BagBuilder bag = RealBag();
    bag.AddSymlink("data/passwd.html", "/etc/passwd");
    const auto verified = VerifyArchive(bag.Tar());
    ASSERT_FALSE(verified.ok());
    EXPECT_THAT(FailingFiles(verified.status()), Contains("data/passwd.html"));
    EXPECT_THAT(verified.status().message(), HasSubstr("symbolic link"));
    TempDir dir;
    ASSERT_TRUE(bag.WriteDirectory(dir.path()).ok());
    auto entries = ReadDirectory(dir.path(), {});
    ASSERT_TRUE(entries.ok());
    const auto from_dir = VerifyBag(*std::move(entries), {});
    ASSERT_FALSE(from_dir.ok());
    EXPECT_THAT(FailingFiles(from_dir.status()), Contains("data/passwd.html"));
  }
  {  // Entries outside the bag's top directory.
    BagBuilder bag = RealBag();
    auto entries = bag.Entries("bag");
    entries.push_back({"elsewhere/x.txt", EntryType::kFile, "x"});
    const auto verified = VerifyBag(entries, {});
    ASSERT_FALSE(verified.ok());
    // Two top-level directories: there is no single bag top any more.
    EXPECT_THAT(FailingFiles(verified.status()), Contains("bagit.txt"));
  }
  {  // The same path twice.
    BagBuilder bag = RealBag();
    auto entries = bag.Entries();
    entries.push_back(
        {"./data/2008/06/08BOGOTA2024.html", EntryType::kFile, "x"});
    const auto verified = VerifyBag(entries, {});
    ASSERT_FALSE(verified.ok());
    EXPECT_THAT(FailingFiles(verified.status()),
                Contains("data/2008/06/08BOGOTA2024.html"));
  }
}

TEST(ReadArchiveTest, HugeDeclaredSizesAndLimits) {
  // A tar header declaring 8 GiB with no data behind it.
  const auto huge =
      ReadArchive(testing::TarHeaderOnly("data/huge.html", 8589934591ull), {});
  ASSERT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(FailingFiles(huge.status()),
            std::vector<std::string>{"data/huge.html"});

  const std::string tar = RealBag().Tar();
  ReadLimits small;
  small.max_total_bytes = 10000;
  const auto total = ReadArchive(tar, small);
  EXPECT_EQ(total.status().code(), absl::StatusCode::kResourceExhausted);
  ReadLimits few;
  few.max_entries = 3;
  EXPECT_EQ(ReadArchive(tar, few).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(ReadArchiveTest, GarbageIsNotAnArchive) {
  for (const std::string& garbage :
       {std::string(), std::string("hello, world"), std::string(4096, 'x')}) {
    const auto entries = ReadArchive(garbage, {});
    EXPECT_EQ(entries.status().code(), absl::StatusCode::kInvalidArgument);
  }
  // A truncated archive.
  const std::string tar = RealBag().Tar();
  EXPECT_FALSE(ReadArchive(tar.substr(0, tar.size() / 2), {}).ok());
}

TEST(HexDigestTest, KnownVectors) {
  EXPECT_EQ(HexDigest(Algorithm::kSha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexDigest(Algorithm::kMd5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(HexDigest(Algorithm::kSha512, "").size(), 128u);
}

}  // namespace
}  // namespace cables::bagit
