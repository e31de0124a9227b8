// OaiPmhHandler: an OAI-PMH 2.0 repository over a RecordStore, as an HTTP
// handler (services/common/http_server.h): GET (query string) and POST
// (application/x-www-form-urlencoded body) requests in, text/xml responses
// out.
//
// All six verbs; metadataPrefix oai_dc (dublin_core.h). Identifiers are
// "oai:<repository_identifier>:<canonical cable id>". Datestamps are the
// records' change times (creation, new version, deletion) with seconds
// granularity (day granularity is accepted in from/until, which are
// inclusive). Deleted cables stay as records with <header
// status="deleted"> (deletedRecord "persistent"). Sets: see oai_sets.h.
// List verbs page with exclusive resumptionTokens (resumption_token.h)
// carrying completeListSize and cursor; a token reissued on an unchanged
// archive returns the same page. The responseDate of a list response is a
// time before which every change is committed (RecordStore::
// CommittedBefore), so harvesting again "from" it misses nothing.
//
// Protocol errors are 200 responses with <error code="...">; a failing
// database is HTTP 503 (Retry-After) or 500.
//
// Thread-safe (the store is); every call blocks on the database, so run it
// on an HTTP worker thread. The store must outlive the handler.
#ifndef CABLES_SERVICES_OAI_OAI_PMH_HANDLER_H_
#define CABLES_SERVICES_OAI_OAI_PMH_HANDLER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/http_server.h"
#include "services/oai/oai_request.h"
#include "storage/metadata/record_store.h"

namespace cables::oai {

struct OaiPmhOptions {
  std::string repository_name = "Cable Archive";
  // The URL harvesters use (the request element and Identify's baseURL).
  std::string base_url = "http://127.0.0.1:8080/oai";
  std::string admin_email = "archive@localhost.localdomain";
  // The namespace-identifier part of OAI identifiers (a domain name).
  std::string repository_identifier = "cables.archive";
  // Records per ListRecords page; ListIdentifiers sends 4 times as many
  // headers and ListSets 500 sets.
  int page_size = 100;
};

class OaiPmhHandler final {
 public:
  OaiPmhHandler(storage::RecordStore* store, OaiPmhOptions options);

  // Serves one HTTP request (any path; register it on "/oai").
  HttpResponse Handle(const HttpRequest& request) const;

  // The response document for decoded arguments; kUnavailable and other
  // store errors when the database fails.
  absl::StatusOr<std::string> Respond(
      const std::vector<std::pair<std::string, std::string>>& arguments) const;

  // "oai:<repository_identifier>:<canonical_id>".
  std::string OaiIdentifier(absl::string_view canonical_id) const;

 private:
  absl::StatusOr<std::string> Render(const ParsedOaiRequest& parsed) const;

  storage::RecordStore* const store_;
  const OaiPmhOptions options_;
};

}  // namespace cables::oai

#endif  // CABLES_SERVICES_OAI_OAI_PMH_HANDLER_H_
