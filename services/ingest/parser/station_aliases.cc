#include "services/ingest/parser/station_aliases.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace cables::parser {
namespace {

// Canonical stations: every origin of the 251,287-cable release we know of
// (embassies, consulates, missions and the Department), plus a few older
// posts that appear in REF blocks of the 1960s-1980s cables.
constexpr absl::string_view kStations[] = {
    "ABIDJAN",      "ABUDHABI",      "ABUJA",        "ACCRA",
    "ADANA",        "ADDISABABA",    "ALEXANDRIA",   "ALGIERS",
    "ALMATY",       "AMMAN",         "AMSTERDAM",    "ANKARA",
    "ANTANANARIVO", "APIA",          "ASHGABAT",     "ASMARA",
    "ASTANA",       "ASUNCION",      "ATHENS",       "AUCKLAND",
    "BAGHDAD",      "BAKU",          "BAMAKO",       "BANDARSERIBEGAWAN",
    "BANGKOK",      "BANGUI",        "BANJUL",       "BARCELONA",
    "BASRAH",       "BEIJING",       "BEIRUT",       "BELFAST",
    "BELGRADE",     "BELIZE",        "BELMOPAN",     "BERLIN",
    "BERN",         "BISHKEK",       "BOGOTA",       "BOMBAY",
    "BONN",         "BRASILIA",      "BRATISLAVA",   "BRAZZAVILLE",
    "BRIDGETOWN",   "BRUSSELS",      "BUCHAREST",    "BUDAPEST",
    "BUENOSAIRES",  "BUJUMBURA",     "BUSAN",        "CAIRO",
    "CALCUTTA",     "CALGARY",       "CANBERRA",     "CAPETOWN",
    "CARACAS",      "CASABLANCA",    "CDGENEVA",     "CHENGDU",
    "CHENNAI",      "CHIANGMAI",     "CHISINAU",     "CIUDADJUAREZ",
    "COLOMBO",      "CONAKRY",       "COPENHAGEN",   "COTONOU",
    "CURACAO",      "DAKAR",         "DAMASCUS",     "DARESSALAAM",
    "DHAHRAN",      "DHAKA",         "DILI",         "DJIBOUTI",
    "DOHA",         "DUBAI",         "DUBLIN",       "DURBAN",
    "DUSHANBE",     "DUSSELDORF",    "EDINBURGH",    "FLORENCE",
    "FRANKFURT",    "FREETOWN",      "FUKUOKA",      "GABORONE",
    "GENEVA",       "GEORGETOWN",    "GUADALAJARA",  "GUANGZHOU",
    "GUATEMALA",    "GUAYAQUIL",     "HALIFAX",      "HAMBURG",
    "HAMILTON",     "HANOI",         "HARARE",       "HAVANA",
    "HELSINKI",     "HERMOSILLO",    "HILLAH",       "HOCHIMINHCITY",
    "HONGKONG",     "HYDERABAD",     "ISLAMABAD",    "ISTANBUL",
    "IZMIR",        "JAKARTA",       "JEDDAH",       "JERUSALEM",
    "JOHANNESBURG", "KABUL",         "KADUNA",       "KAMPALA",
    "KARACHI",      "KATHMANDU",     "KHARTOUM",     "KIEV",
    "KIGALI",       "KINGSTON",      "KINSHASA",     "KIRKUK",
    "KOLKATA",      "KOLONIA",       "KOROR",        "KRAKOW",
    "KUALALUMPUR",  "KUWAIT",        "KYIV",         "LAGOS",
    "LAHORE",       "LAPAZ",         "LEIPZIG",      "LENINGRAD",
    "LIBREVILLE",   "LILONGWE",      "LIMA",         "LISBON",
    "LJUBLJANA",    "LOME",          "LONDON",       "LUANDA",
    "LUSAKA",       "LUXEMBOURG",    "MADRAS",       "MADRID",
    "MAJURO",       "MALABO",        "MANAGUA",      "MANAMA",
    "MANILA",       "MAPUTO",        "MARSEILLE",    "MASERU",
    "MATAMOROS",    "MBABANE",       "MELBOURNE",    "MERIDA",
    "MEXICO",       "MILAN",         "MINSK",        "MONROVIA",
    "MONTERREY",    "MONTEVIDEO",    "MONTREAL",     "MOSCOW",
    "MOSUL",        "MUMBAI",        "MUNICH",       "MUSCAT",
    "NAGOYA",       "NAHA",          "NAIROBI",      "NAPLES",
    "NASSAU",       "NDJAMENA",      "NEWDELHI",     "NIAMEY",
    "NICOSIA",      "NOGALES",       "NOUAKCHOTT",   "NUEVOLAREDO",
    "OSAKAKOBE",    "OSLO",          "OTTAWA",       "OUAGADOUGOU",
    "PANAMA",       "PARAMARIBO",    "PARIS",        "PERTH",
    "PESHAWAR",     "PHNOMPENH",     "PODGORICA",    "PONTADELGADA",
    "PORTAUPRINCE", "PORTLOUIS",     "PORTMORESBY",  "PORTOALEGRE",
    "PORTOFSPAIN",  "PRAGUE",        "PRAIA",        "PRETORIA",
    "PRISTINA",     "QUEBEC",        "QUITO",        "RABAT",
    "RANGOON",      "RECIFE",        "REYKJAVIK",    "RIGA",
    "RIODEJANEIRO", "RIYADH",        "ROME",         "RPODUBAI",
    "SAIGON",       "SANAA",         "SANJOSE",      "SANSALVADOR",
    "SANTIAGO",     "SANTODOMINGO",  "SAOPAULO",     "SAPPORO",
    "SARAJEVO",     "SECDEF",        "SEOUL",        "SHANGHAI",
    "SHENYANG",     "SINGAPORE",     "SKOPJE",       "SOFIA",
    "STATE",        "STOCKHOLM",     "STPETERSBURG", "STRASBOURG",
    "SURABAYA",     "SUVA",          "SYDNEY",       "TAIPEI",
    "TALLINN",      "TASHKENT",      "TBILISI",      "TEGUCIGALPA",
    "TEHRAN",       "TELAVIV",       "THEHAGUE",     "THESSALONIKI",
    "TIJUANA",      "TIRANA",        "TOKYO",        "TORONTO",
    "TRIPOLI",      "TUNIS",         "ULAANBAATAR",  "UNVIEVIENNA",
    "USEUBRUSSELS", "USNATO",        "USOSCE",       "USUNNEWYORK",
    "USUNROME",     "VALLETTA",      "VANCOUVER",    "VATICAN",
    "VIENNA",       "VIENTIANE",     "VILNIUS",      "VLADIVOSTOK",
    "WARSAW",       "WELLINGTON",    "WINDHOEK",     "WUHAN",
    "YAOUNDE",      "YEKATERINBURG", "YEREVAN",      "ZAGREB",
};

// Aliases (squeezed) -> canonical station. Spaced forms need no entry of
// their own: "RIO DE JANEIRO" squeezes to the canonical "RIODEJANEIRO".
constexpr std::pair<absl::string_view, absl::string_view> kAliases[] = {
    // The Department.
    {"SECSTATE", "STATE"},
    {"SECSTATEWASHDC", "STATE"},
    {"SECSTATEWASH", "STATE"},
    {"SECSTATEWASHINGTON", "STATE"},
    {"STATEWASHDC", "STATE"},
    {"DEPT", "STATE"},
    {"DEPTEL", "STATE"},
    {"DEPTSTATE", "STATE"},
    // Missions to international organisations.
    {"USUN", "USUNNEWYORK"},
    {"USUNNY", "USUNNEWYORK"},
    {"USUNNYC", "USUNNEWYORK"},
    {"USUNNEWYORKNY", "USUNNEWYORK"},
    {"USMISSIONUSUN", "USUNNEWYORK"},
    {"USMISSIONUSUNNEWYORK", "USUNNEWYORK"},
    {"UNVIE", "UNVIEVIENNA"},
    {"USUNVIE", "UNVIEVIENNA"},
    {"USUNVIEVIENNA", "UNVIEVIENNA"},
    {"USMISSIONUNVIE", "UNVIEVIENNA"},
    {"USMISSIONUNVIEVIENNA", "UNVIEVIENNA"},
    {"USMISSIONGENEVA", "GENEVA"},
    {"USMISSIONUSGENEVA", "GENEVA"},
    {"USMISSIONUNGENEVA", "GENEVA"},
    {"USEU", "USEUBRUSSELS"},
    {"USMISSIONUSEU", "USEUBRUSSELS"},
    {"USMISSIONUSEUBRUSSELS", "USEUBRUSSELS"},
    {"USNATOBRUSSELS", "USNATO"},
    {"USMISSIONUSNATO", "USNATO"},
    {"USOSCEVIENNA", "USOSCE"},
    {"USMISSIONUSOSCE", "USOSCE"},
    {"USMISSIONOSCE", "USOSCE"},
    {"USUNFAOROME", "USUNROME"},
    {"RPO", "RPODUBAI"},
    {"IRPODUBAI", "RPODUBAI"},
    {"DUBAIRPO", "RPODUBAI"},
    {"DUBAIIRPO", "RPODUBAI"},
    {"AIT", "TAIPEI"},
    {"AITTAIPEI", "TAIPEI"},
    // Long names and their short forms.
    {"RIO", "RIODEJANEIRO"},
    {"RIODEJAN", "RIODEJANEIRO"},
    {"RIODEJANIERO", "RIODEJANEIRO"},
    {"RIOJANEIRO", "RIODEJANEIRO"},
    {"SAOPAOLO", "SAOPAULO"},
    {"BUENOS", "BUENOSAIRES"},
    {"BAIRES", "BUENOSAIRES"},
    {"ADDIS", "ADDISABABA"},
    {"DAR", "DARESSALAAM"},
    {"DARESSALAM", "DARESSALAAM"},
    {"DARESALAAM", "DARESSALAAM"},
    {"KUALA", "KUALALUMPUR"},
    {"KUALALAMPUR", "KUALALUMPUR"},
    {"HOCHIMINH", "HOCHIMINHCITY"},
    {"HCMC", "HOCHIMINHCITY"},
    {"PORTOPRINCE", "PORTAUPRINCE"},
    {"SANTODOMINGODR", "SANTODOMINGO"},
    {"ABUDHABIUAE", "ABUDHABI"},
    {"DELHI", "NEWDELHI"},
    {"JUAREZ", "CIUDADJUAREZ"},
    {"CASA", "CASABLANCA"},
    {"TALLIN", "TALLINN"},
    {"HAGUE", "THEHAGUE"},
    {"MEXICOCITY", "MEXICO"},
    {"GUATEMALACITY", "GUATEMALA"},
    {"PANAMACITY", "PANAMA"},
    {"KUWAITCITY", "KUWAIT"},
    {"VATICANCITY", "VATICAN"},
    {"HOLYSEE", "VATICAN"},
    {"SAINTPETERSBURG", "STPETERSBURG"},
    {"OSAKA", "OSAKAKOBE"},
    {"BASRA", "BASRAH"},
    {"REOBASRAH", "BASRAH"},
    {"YANGON", "RANGOON"},
    {"ULANBATOR", "ULAANBAATAR"},
    {"ULAANBATAAR", "ULAANBAATAR"},
    {"BANDARSERI", "BANDARSERIBEGAWAN"},
};

using StationMap = absl::flat_hash_map<absl::string_view, absl::string_view>;

StationMap BuildMap() {
  StationMap map;
  map.reserve(std::size(kStations) + std::size(kAliases));
  for (absl::string_view s : kStations) map.emplace(s, s);
  for (const auto& [alias, canonical] : kAliases) map.emplace(alias, canonical);
  return map;
}

const StationMap& Map() {
  static const StationMap map = BuildMap();
  return map;
}

}  // namespace

absl::string_view LookupStation(absl::string_view squeezed) {
  const StationMap& map = Map();
  auto it = map.find(squeezed);
  if (it == map.end()) return absl::string_view();
  return it->second;
}

bool IsCanonicalStation(absl::string_view squeezed) {
  auto it = Map().find(squeezed);
  return it != Map().end() && it->second == squeezed;
}

std::string SqueezeStation(absl::string_view station) {
  std::string out;
  out.reserve(station.size());
  for (char c : station) {
    if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> CanonicalStations() {
  std::vector<std::string> out;
  out.reserve(std::size(kStations));
  for (absl::string_view s : kStations) out.emplace_back(s);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace cables::parser
