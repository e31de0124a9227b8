#include "services/ingest/parser/tag_kinds.h"

#include <initializer_list>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "services/ingest/parser/body_lines.h"

namespace cables::parser {
namespace {

using cables::v1::TagKind;

constexpr std::initializer_list<absl::string_view> kOrganizations = {
    // United Nations and its bodies.
    "UN",
    "UNO",
    "UNSC",
    "UNGA",
    "UNHRC",
    "UNHCR",
    "UNESCO",
    "UNEP",
    "UNDP",
    "UNICEF",
    "UNIFIL",
    "UNMIK",
    "UNAMA",
    "UNAMI",
    "UNMIS",
    "UNAMID",
    "UNMIL",
    "UNOCI",
    "UNFICYP",
    "UNRWA",
    "UNODC",
    "UNCTAD",
    "UNIDO",
    "UNFPA",
    "UNMOVIC",
    "UNTSO",
    "UNDOF",
    "MINUSTAH",
    "MONUC",
    "MONUSCO",
    "UNCHR",
    "UNCND",
    "UNCSD",
    "ECOSOC",
    "WHO",
    "WMO",
    "IMO",
    "ICAO",
    "ITU",
    "ILO",
    "FAO",
    "WFP",
    "IFAD",
    "WIPO",
    "UPU",
    "IOM",
    // Treaty and security organisations.
    "NATO",
    "ISAF",
    "KFOR",
    "SFOR",
    "IAEA",
    "OPCW",
    "CTBTO",
    "NPT",
    "MTCR",
    "NSG",
    "OSCE",
    "EU",
    "EUN",
    "EUC",
    "EUFOR",
    "EULEX",
    "ESDP",
    "EUMS",
    "COE",
    // Regional organisations.
    "ASEAN",
    "ARF",
    "APEC",
    // "AU" is Austria (a country code); the African Union is "AU-1".
    "AU-1",
    "OAS",
    "SICA",
    "CARICOM",
    "MERCOSUR",
    "MERCOSUL",
    "UNASUR",
    "UNASUL",
    "ALBA",
    "ECOWAS",
    "SADC",
    "IGAD",
    "COMESA",
    "ECCAS",
    "GCC",
    "OIC",
    "CIS",
    "SCO",
    "CSTO",
    "GUAM",
    "SAARC",
    "BIMSTEC",
    "NAM",
    "OECD",
    "OPEC",
    "IEA",
    "G8",
    "G-8",
    "G20",
    "G-20",
    "G77",
    "G-77",
    "G7",
    "G-7",
    "ARABL",
    "LAS",
    // Financial and trade institutions.
    "WTO",
    "WTRO",
    "IMF",
    "IBRD",
    "IFC",
    "IDB",
    "IADB",
    "ADB",
    "AFDB",
    "EBRD",
    "EIB",
    "MCC",
    "OPIC",
    "EXIM",
    // Courts and police bodies.
    "ICC",
    "ICJ",
    "ICTY",
    "ICTR",
    "INTERPOL",
    "EUROPOL",
    "FATF",
    // Broad "international organisations" tag and US bodies.
    "IO",
    "USEU",
    "USUN",
    "USNATO",
    "USOSCE",
    "UNVIE",
    "FBI",
    "CIA",
    "DOD",
    "DHS",
    "DOJ",
    "USAID",
    "USTR",
    "NSC",
    "DEA",
    "OVP",
    // Political parties and armed groups used as tags.
    "PSOE",
    "FARC",
    "ELN",
    "AUC",
    "FMLN",
    "PKK",
    "HAMAS",
    "HIZBALLAH",
    "LTTE",
    "PLO",
    "ETA",
    "MEK",
};

constexpr std::initializer_list<absl::string_view> kSubjects = {
    // A: administration.
    "AADP",
    "AAGS",
    "ABLD",
    "ABUD",
    "ACOA",
    "ADCO",
    "ADPM",
    "AEMR",
    "AFIN",
    "AFSI",
    "AFSN",
    "AGAO",
    "AGMT",
    "AINF",
    "AINR",
    "AINT",
    "AJAM",
    "ALOW",
    "AMED",
    "AMGT",
    "AMTC",
    "AODE",
    "AORC",
    "APCS",
    "APER",
    "ASCC",
    "ASCH",
    "ASEC",
    "ASIG",
    "ATRN",
    "AUSC",
    // B: business.
    "BBSR",
    "BEXP",
    "BMGT",
    "BTIO",
    // C: consular.
    "CASC",
    "CFED",
    "CJAN",
    "CLOK",
    "CMGT",
    "CPAS",
    "CVIS",
    "CACM",
    // E: economic.
    "EAGR",
    "EAID",
    "EAIR",
    "ECIN",
    "ECON",
    "ECPS",
    "EFIN",
    "EFIS",
    "EIND",
    "EINT",
    "EINV",
    "ELAB",
    "ELTN",
    "EMIN",
    "ENRG",
    "EPET",
    "ETRD",
    "ETTC",
    "EWWT",
    "ETRA",
    "ECUN",
    "ENVR",
    "EREL",
    "EPEC",
    "ESTH",
    "EAIDS",
    // I: intelligence and research.
    "INRB",
    "INRA",
    "INRO",
    // M: military.
    "MARR",
    "MASS",
    "MCAP",
    "MNUC",
    "MOPS",
    "MTCRE",
    "MASC",
    "MPOS",
    // O: operations.
    "OCII",
    "ODIP",
    "OEXC",
    "OFDP",
    "OIIP",
    "OPDC",
    "OPRC",
    "OREP",
    "OSCI",
    "OTRA",
    "OVIP",
    "OIIA",
    // P: political.
    "PARM",
    "PBIO",
    "PBTS",
    "PDEM",
    "PEPR",
    "PGOV",
    "PHSA",
    "PHUM",
    "PINR",
    "PINS",
    "PINT",
    "PINL",
    "PMIL",
    "PNAT",
    "PREF",
    "PREL",
    "PROP",
    "PTER",
    "PUNE",
    "PPEL",
    "PSEC",
    // S: social and science.
    "SCUL",
    "SENV",
    "SMIG",
    "SNAR",
    "SOCI",
    "SHUM",
    "SCRS",
    "SWCI",
    "SPCE",
    // T: technology.
    "TBIO",
    "TINT",
    "TNAR",
    "TPHY",
    "TRGY",
    "TSPA",
    "TSPL",
    "TCOM",
    "TFIN",
};

constexpr std::initializer_list<absl::string_view> kPrograms = {
    "KAWC",
    "KBCT",
    "KCIP",
    "KCOR",
    "KCRM",
    "KCRS",
    "KDEM",
    "KDRG",
    "KESS",
    "KFLO",
    "KFLU",
    "KFRD",
    "KGHG",
    "KGIC",
    "KHIV",
    "KHLS",
    "KICA",
    "KIDE",
    "KIPR",
    "KIRF",
    "KISL",
    "KJUS",
    "KLIG",
    "KMCA",
    "KMDR",
    "KMPI",
    "KNAR",
    "KNNP",
    "KOLY",
    "KPAL",
    "KPAO",
    "KPKO",
    "KPLS",
    "KPOW",
    "KPRP",
    "KRAD",
    "KRVC",
    "KSAF",
    "KSCA",
    "KSEP",
    "KSPR",
    "KSTC",
    "KSTH",
    "KSUM",
    "KTDB",
    "KTEX",
    "KTFN",
    "KTIA",
    "KTIP",
    "KUNR",
    "KVPR",
    "KWAC",
    "KWBG",
    "KWMN",
    "KWMM",
    "KZLS",
    "KACT",
    "KAWK",
    "KBIO",
    "KCFE",
    "KCOM",
    "KDEV",
    "KFIN",
    "KGCC",
    "KNPP",
    "KNUC",
    "KPIN",
    "KPWR",
    "KSEC",
    "KTER",
    "KMOC",
    "KGIT",
    "KHDP",
    "KREC",
    "KPOA",
    "KMRS",
    "KPIR",
    "KIRC",
    "KNEI",
    "KSCI",
    // Initiatives written without the K.
    "PSI",
    "TIP",
};

// Countries and regions written with more than two letters.
constexpr std::initializer_list<absl::string_view> kGeographic = {
    "UAE", "USA", "PRC", "ROK", "DPRK", "KSA", "SYR", "PAK",  "RUS",
    "GBR", "TWN", "HK",  "PAL", "IRQ",  "IRN", "AFG", "GTMO",
};

absl::flat_hash_map<absl::string_view, TagKind> BuildTable() {
  absl::flat_hash_map<absl::string_view, TagKind> t;
  for (absl::string_view s : kSubjects) t[s] = cables::v1::SUBJECT;
  for (absl::string_view s : kPrograms) t[s] = cables::v1::PROGRAM;
  for (absl::string_view s : kGeographic) t[s] = cables::v1::GEOGRAPHIC;
  for (absl::string_view s : kOrganizations) t[s] = cables::v1::ORGANIZATION;
  return t;
}

// Built once (thread-safe static initialisation), never modified.
const absl::flat_hash_map<absl::string_view, TagKind>& Table() {
  static const absl::flat_hash_map<absl::string_view, TagKind> table =
      BuildTable();
  return table;
}

bool AllUpperLetters(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiUpper(c)) return false;
  }
  return true;
}

std::string Upper(absl::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToAsciiUpper(c);
  return out;
}

// "ROOD, JOHN", "STEINBERG, JAMES B.".
bool IsPersonTag(absl::string_view tag) {
  const size_t comma = tag.find(',');
  if (comma == absl::string_view::npos || comma == 0) return false;
  const absl::string_view surname = tag.substr(0, comma);
  const absl::string_view given = TrimView(tag.substr(comma + 1));
  if (given.empty() || !IsAsciiAlpha(surname[0]) || !IsAsciiAlpha(given[0])) {
    return false;
  }
  for (char c : tag) {
    if (!IsAsciiAlpha(c) && c != ' ' && c != ',' && c != '.' && c != '-' &&
        c != '\'') {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsKnownTagCode(absl::string_view tag) {
  const std::string upper = Upper(tag);
  if (upper.size() == 2 && AllUpperLetters(upper)) return true;
  return Table().contains(upper);
}

cables::v1::TagKind ClassifyTag(absl::string_view tag) {
  const std::string upper = Upper(TrimView(tag));
  if (upper.empty()) return cables::v1::TAG_KIND_UNSPECIFIED;
  const auto& table = Table();
  if (auto it = table.find(upper); it != table.end()) return it->second;
  if (IsPersonTag(upper)) return cables::v1::PERSON;
  if (upper.size() == 2 && AllUpperLetters(upper)) {
    return cables::v1::GEOGRAPHIC;
  }
  if (!AllUpperLetters(upper)) return cables::v1::TAG_KIND_UNSPECIFIED;
  const char first = upper[0];
  if (first == 'K' && upper.size() >= 4 && upper.size() <= 6) {
    return cables::v1::PROGRAM;
  }
  if (upper.size() >= 4 && upper.size() <= 5) {
    switch (first) {
      case 'A':
      case 'B':
      case 'C':
      case 'E':
      case 'I':
      case 'M':
      case 'O':
      case 'P':
      case 'S':
      case 'T':
        return cables::v1::SUBJECT;
      default:
        break;
    }
  }
  return cables::v1::TAG_KIND_UNSPECIFIED;
}

}  // namespace cables::parser
