// cables-migrate: applies the embedded schema migrations to DATABASE_URL
// (or --database URL). Exit status 0 when the schema is up to date.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "storage/migrator.h"

int main(int argc, char** argv) {
  const char* env = std::getenv("DATABASE_URL");
  std::string url = env != nullptr ? env : "";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--database") == 0 && i + 1 < argc) {
      url = argv[++i];
    } else if (std::strncmp(argv[i], "--database=", 11) == 0) {
      url = argv[i] + 11;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--database URL]  (default: $DATABASE_URL)\n",
                   argv[0]);
      return 2;
    }
  }
  if (url.empty()) {
    std::fprintf(stderr,
                 "cables-migrate: set DATABASE_URL or pass --database URL\n");
    return 2;
  }
  const auto report = cables::storage::Migrator().Migrate(url);
  if (!report.ok()) {
    std::fprintf(stderr, "cables-migrate: %s\n",
                 report.status().ToString().c_str());
    return 1;
  }
  for (const int v : report->applied)
    std::fprintf(stderr, "cables-migrate: applied %04d\n", v);
  std::fprintf(stderr, "cables-migrate: schema at version %04d\n",
               report->current_version);
  return 0;
}
