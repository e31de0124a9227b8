#include "services/oai/testing/xml_schema_check.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace cables::oai::testing {
namespace {

namespace fs = std::filesystem;

fs::path SchemaDir() {
  return fs::path(CABLES_SOURCE_DIR) / "services" / "oai" / "schemas";
}

}  // namespace

bool HaveXmllint() {
  return std::system("command -v xmllint >/dev/null 2>&1") == 0;
}

absl::Status ValidateXml(absl::string_view xml, absl::string_view schema) {
  if (!HaveXmllint()) {
    return absl::FailedPreconditionError(
        "xmllint is not installed (apt-get install libxml2-utils)");
  }
  static int counter = 0;
  const fs::path dir = fs::temp_directory_path();
  const std::string stem = absl::StrCat("oai_check_", getpid(), "_", counter++);
  const fs::path doc = dir / (stem + ".xml");
  const fs::path log = dir / (stem + ".log");
  {
    std::ofstream out(doc, std::ios::binary);
    out.write(xml.data(), static_cast<std::streamsize>(xml.size()));
  }
  const std::string command = absl::StrCat(
      "XML_CATALOG_FILES='", (SchemaDir() / "catalog.xml").string(),
      "' xmllint --nonet --noout --schema '",
      (SchemaDir() / std::string(schema)).string(), "' '", doc.string(), "' >'",
      log.string(), "' 2>&1");
  const int rc = std::system(command.c_str());
  std::ifstream in(log);
  std::stringstream messages;
  messages << in.rdbuf();
  fs::remove(doc);
  fs::remove(log);
  if (rc != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("xmllint: ", messages.str().substr(0, 4000)));
  }
  return absl::OkStatus();
}

}  // namespace cables::oai::testing
