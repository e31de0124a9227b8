#include "services/ingest/parser/station_aliases.h"

#include <filesystem>
#include <set>
#include <string>
#include <system_error>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cables::parser {
namespace {

TEST(StationAliasesTest, CanonicalStationsMapToThemselves) {
  for (const std::string& s : CanonicalStations()) {
    EXPECT_EQ(LookupStation(s), s);
    EXPECT_TRUE(IsCanonicalStation(s)) << s;
  }
  EXPECT_GT(CanonicalStations().size(), 250u);
}

TEST(StationAliasesTest, EveryAliasLeadsToACanonicalStation) {
  // Looking a canonical name up again must be a fixed point.
  for (const char* alias :
       {"SECSTATE", "RIO", "RIODEJAN", "USUN", "UNVIE", "USUNVIE", "ADDIS",
        "DAR", "CASA", "HCMC", "USMISSIONGENEVA", "AITTAIPEI", "IRPODUBAI"}) {
    absl::string_view canonical = LookupStation(alias);
    ASSERT_FALSE(canonical.empty()) << alias;
    EXPECT_TRUE(IsCanonicalStation(canonical)) << alias << " -> " << canonical;
    EXPECT_FALSE(IsCanonicalStation(alias)) << alias;
  }
}

TEST(StationAliasesTest, CommonAliases) {
  EXPECT_EQ(LookupStation("SECSTATE"), "STATE");
  EXPECT_EQ(LookupStation("SECSTATEWASHDC"), "STATE");
  EXPECT_EQ(LookupStation("RIO"), "RIODEJANEIRO");
  EXPECT_EQ(LookupStation("USUN"), "USUNNEWYORK");
  EXPECT_EQ(LookupStation("USUNNEWYORK"), "USUNNEWYORK");
  EXPECT_EQ(LookupStation("UNVIE"), "UNVIEVIENNA");
  EXPECT_EQ(LookupStation("USNATO"), "USNATO");
  EXPECT_EQ(LookupStation("GENEVA"), "GENEVA");
  EXPECT_EQ(LookupStation("HOCHIMINH"), "HOCHIMINHCITY");
  EXPECT_EQ(LookupStation("KUALA"), "KUALALUMPUR");
  EXPECT_EQ(LookupStation("HAGUE"), "THEHAGUE");
}

TEST(StationAliasesTest, UnknownKeys) {
  EXPECT_TRUE(LookupStation("").empty());
  EXPECT_TRUE(LookupStation("HELLO").empty());
  EXPECT_TRUE(LookupStation("rio").empty());  // keys must be squeezed
  EXPECT_TRUE(LookupStation("RIO DE JAN").empty());
  EXPECT_FALSE(IsCanonicalStation("SECSTATE"));
  EXPECT_FALSE(IsCanonicalStation("NOWHERE"));
}

TEST(StationAliasesTest, SqueezeStation) {
  EXPECT_EQ(SqueezeStation("Rio de Jan."), "RIODEJAN");
  EXPECT_EQ(SqueezeStation("N'DJAMENA"), "NDJAMENA");
  EXPECT_EQ(SqueezeStation("PORT-AU-PRINCE"), "PORTAUPRINCE");
  EXPECT_EQ(SqueezeStation(" 12 \xC2\xB6 "), "");
}

// Every station of the real corpus ids is in the table.
TEST(StationAliasesTest, CorpusStationsAreKnown) {
  const std::filesystem::path root = std::filesystem::path(CABLES_SOURCE_DIR) /
                                     ".." / "shared" / "corpus" /
                                     "wikileaks-html";
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    GTEST_SKIP() << "corpus not found at " << root;
  }
  std::set<std::string> stations;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root, ec)) {
    if (entry.path().extension() != ".html") continue;
    const std::string id = entry.path().stem().string();
    size_t b = 0;
    while (b < id.size() && id[b] >= '0' && id[b] <= '9') ++b;
    size_t e = id.size();
    while (e > b && id[e - 1] >= '0' && id[e - 1] <= '9') --e;
    stations.insert(id.substr(b, e - b));
  }
  EXPECT_GT(stations.size(), 100u);
  for (const std::string& s : stations) {
    EXPECT_TRUE(IsCanonicalStation(s)) << s;
  }
}

}  // namespace
}  // namespace cables::parser
