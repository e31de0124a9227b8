#include "services/oai/oai_pmh_handler.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/status_macros.h"
#include "services/ingest/parser/cable_id.h"
#include "services/oai/dublin_core.h"
#include "services/oai/oai_request.h"
#include "services/oai/oai_sets.h"
#include "services/oai/resumption_token.h"
#include "services/oai/xml_writer.h"

namespace cables::oai {
namespace {

constexpr absl::string_view kOaiNamespace =
    "http://www.openarchives.org/OAI/2.0/";
constexpr absl::string_view kOaiSchemaLocation =
    "http://www.openarchives.org/OAI/2.0/ "
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd";
constexpr int kSetPageSize = 500;

// What a verb produced: an error, or the content of its element.
struct VerbResult {
  std::optional<OaiError> error;
  std::string content;  // an XML fragment
};

VerbResult Error(OaiErrorCode code, std::string message) {
  return VerbResult{OaiError{code, std::move(message)}, ""};
}

VerbResult Content(XmlWriter&& fragment) {
  return VerbResult{std::nullopt, std::move(fragment).Finish()};
}

// Seconds granularity: the datestamp's second, fractions cut off.
std::string Floor(absl::Time t) { return FormatOaiDatestamp(t); }

// The request of a list verb, from its arguments or its resumptionToken.
struct ListArguments {
  std::string metadata_prefix, from, until, set;
  std::optional<ResumptionToken> token;
};

class Responder {
 public:
  Responder(storage::RecordStore* store, const OaiPmhOptions& options,
            const OaiPmhHandler& handler)
      : store_(store), options_(options), handler_(handler) {}

  absl::StatusOr<VerbResult> Run(const OaiRequest& request) {
    switch (request.verb) {
      case OaiVerb::kIdentify:
        return Identify();
      case OaiVerb::kListMetadataFormats:
        return ListMetadataFormats(request);
      case OaiVerb::kListSets:
        return ListSets(request);
      case OaiVerb::kGetRecord:
        return GetRecord(request);
      case OaiVerb::kListIdentifiers:
      case OaiVerb::kListRecords:
        return ListRecords(request);
    }
    return Error(OaiErrorCode::kBadVerb, "unknown verb");
  }

 private:
  absl::StatusOr<VerbResult> Identify() {
    CABLES_ASSIGN_OR_RETURN(const std::optional<absl::Time> earliest,
                            store_->EarliestDatestamp());
    XmlWriter xml(false);
    xml.Element("repositoryName", options_.repository_name);
    xml.Element("baseURL", options_.base_url);
    xml.Element("protocolVersion", "2.0");
    xml.Element("adminEmail", options_.admin_email);
    xml.Element("earliestDatestamp", Floor(earliest.value_or(absl::Now())));
    xml.Element("deletedRecord", "persistent");
    xml.Element("granularity", "YYYY-MM-DDThh:mm:ssZ");
    return Content(std::move(xml));
  }

  // The canonical id an OAI identifier names; nullopt when it names none.
  absl::StatusOr<std::optional<storage::RecordHeader>> FindRecord(
      absl::string_view identifier, bool with_metadata) {
    const std::string prefix =
        absl::StrCat("oai:", options_.repository_identifier, ":");
    if (!absl::StartsWith(identifier, prefix)) {
      return std::optional<storage::RecordHeader>();
    }
    const absl::string_view id = identifier.substr(prefix.size());
    if (id.empty()) return std::optional<storage::RecordHeader>();
    CABLES_ASSIGN_OR_RETURN(std::optional<storage::RecordHeader> record,
                            store_->GetRecord(id, with_metadata));
    if (!record.has_value()) {
      // Lenient about the id's form: 05RIO123 -> 05RIODEJANEIRO123.
      const absl::StatusOr<std::string> canonical =
          parser::CanonicalizeCableId(id);
      if (canonical.ok() && *canonical != id) {
        CABLES_ASSIGN_OR_RETURN(record,
                                store_->GetRecord(*canonical, with_metadata));
      }
    }
    return record;
  }

  absl::StatusOr<VerbResult> ListMetadataFormats(const OaiRequest& request) {
    if (request.Has("identifier")) {
      CABLES_ASSIGN_OR_RETURN(auto record,
                              FindRecord(request.Get("identifier"), false));
      if (!record.has_value()) {
        return Error(OaiErrorCode::kIdDoesNotExist,
                     absl::StrCat("no record has the identifier \"",
                                  request.Get("identifier"), "\""));
      }
    }
    XmlWriter xml(false);
    xml.Open("metadataFormat");
    xml.Element("metadataPrefix", kOaiDcPrefix);
    xml.Element("schema", kOaiDcSchema);
    xml.Element("metadataNamespace", kOaiDcNamespace);
    xml.Close();
    return Content(std::move(xml));
  }

  absl::StatusOr<VerbResult> ListSets(const OaiRequest& request) {
    int64_t offset = 0;
    if (request.Has("resumptionToken")) {
      auto token = DecodeResumptionToken(request.Get("resumptionToken"));
      if (!token.ok() || token->verb != "ListSets" ||
          token->after_position < 0) {
        return Error(OaiErrorCode::kBadResumptionToken,
                     "the resumptionToken is invalid");
      }
      offset = token->after_position;
    }
    CABLES_ASSIGN_OR_RETURN(const storage::RecordSetValues values,
                            store_->ListSetValues());
    const std::vector<OaiSet> sets = ListOaiSets(values);
    const int64_t total = static_cast<int64_t>(sets.size());
    if (offset >= total) {
      return Error(OaiErrorCode::kBadResumptionToken,
                   "the resumptionToken is past the end of the list");
    }
    const int64_t end = std::min<int64_t>(total, offset + kSetPageSize);
    XmlWriter xml(false);
    for (int64_t i = offset; i < end; ++i) {
      xml.Open("set");
      xml.Element("setSpec", sets[i].spec);
      xml.Element("setName", sets[i].name);
      xml.Close();
    }
    if (end < total || offset > 0) {
      ResumptionToken next;
      next.verb = "ListSets";
      next.after_position = end;
      next.complete_list_size = total;
      next.cursor = end;
      WriteToken(end < total ? EncodeResumptionToken(next) : "", total, offset,
                 &xml);
    }
    return Content(std::move(xml));
  }

  absl::StatusOr<VerbResult> GetRecord(const OaiRequest& request) {
    CABLES_ASSIGN_OR_RETURN(auto record,
                            FindRecord(request.Get("identifier"), true));
    if (!record.has_value()) {
      return Error(OaiErrorCode::kIdDoesNotExist,
                   absl::StrCat("no record has the identifier \"",
                                request.Get("identifier"), "\""));
    }
    if (request.Get("metadataPrefix") != kOaiDcPrefix) {
      return Error(
          OaiErrorCode::kCannotDisseminateFormat,
          absl::StrCat("the metadata format \"", request.Get("metadataPrefix"),
                       "\" is not supported (use oai_dc)"));
    }
    XmlWriter xml(false);
    WriteRecord(*record, &xml);
    return Content(std::move(xml));
  }

  absl::StatusOr<VerbResult> ListRecords(const OaiRequest& request) {
    const bool records = request.verb == OaiVerb::kListRecords;
    const std::string verb(OaiVerbName(request.verb));
    ListArguments args;
    if (request.Has("resumptionToken")) {
      auto token = DecodeResumptionToken(request.Get("resumptionToken"));
      if (!token.ok() || token->verb != verb) {
        return Error(OaiErrorCode::kBadResumptionToken,
                     "the resumptionToken is invalid");
      }
      args.metadata_prefix = token->metadata_prefix;
      args.from = token->from;
      args.until = token->until;
      args.set = token->set;
      args.token = *std::move(token);
    } else {
      args.metadata_prefix = request.Get("metadataPrefix");
      args.from = request.Get("from");
      args.until = request.Get("until");
      args.set = request.Get("set");
    }
    storage::RecordQuery query;
    std::optional<OaiDatestamp> from, until;
    if (request.Has("from") || !args.from.empty()) {
      from = ParseOaiDatestamp(args.from);
      if (!from) return BadDate("from", args.from);
      query.from = from->time;
    }
    if (request.Has("until") || !args.until.empty()) {
      until = ParseOaiDatestamp(args.until);
      if (!until) return BadDate("until", args.until);
      // Inclusive to the granularity given.
      query.until =
          until->time + (until->day ? absl::Hours(24) : absl::Seconds(1));
    }
    if (from && until) {
      if (from->day != until->day) {
        return Error(OaiErrorCode::kBadArgument,
                     "from and until must have the same granularity");
      }
      if (from->time > until->time) {
        return Error(OaiErrorCode::kBadArgument, "from is later than until");
      }
    }
    if ((request.Has("set") || !args.set.empty()) &&
        !IsValidSetSpec(args.set)) {
      return Error(OaiErrorCode::kBadArgument,
                   absl::StrCat("\"", args.set, "\" is not a setSpec"));
    }
    if (args.metadata_prefix != kOaiDcPrefix) {
      return Error(OaiErrorCode::kCannotDisseminateFormat,
                   absl::StrCat("the metadata format \"", args.metadata_prefix,
                                "\" is not supported (use oai_dc)"));
    }
    if (!args.set.empty()) {
      CABLES_ASSIGN_OR_RETURN(const storage::RecordSetValues values,
                              store_->ListSetValues());
      std::optional<storage::RecordSet> set = ResolveSetSpec(args.set, values);
      if (!set.has_value()) {
        return Error(OaiErrorCode::kNoRecordsMatch,
                     absl::StrCat("the set \"", args.set, "\" has no records"));
      }
      query.set = *std::move(set);
    }
    const int page = records ? options_.page_size : 4 * options_.page_size;
    query.limit = std::clamp(page, 1, 999) + 1;
    query.with_metadata = records;
    int64_t complete_size = 0, cursor = 0;
    if (args.token.has_value()) {
      query.has_cursor = true;
      query.after_datestamp = absl::FromUnixMicros(args.token->after_micros);
      query.after_position = args.token->after_position;
      complete_size = args.token->complete_list_size;
      cursor = args.token->cursor;
    } else {
      CABLES_ASSIGN_OR_RETURN(complete_size, store_->CountRecords(query));
    }
    CABLES_ASSIGN_OR_RETURN(std::vector<storage::RecordHeader> found,
                            store_->ListRecords(query));
    if (found.empty()) {
      return Error(OaiErrorCode::kNoRecordsMatch,
                   "no records match the arguments");
    }
    const bool more = static_cast<int>(found.size()) == query.limit;
    if (more) found.pop_back();
    XmlWriter xml(false);
    for (const storage::RecordHeader& record : found) {
      if (records) {
        WriteRecord(record, &xml);
      } else {
        WriteHeader(record, &xml);
      }
    }
    const int64_t sent = cursor + static_cast<int64_t>(found.size());
    complete_size = std::max(complete_size, sent);
    if (more) {
      ResumptionToken next;
      next.verb = verb;
      next.metadata_prefix = args.metadata_prefix;
      next.from = args.from;
      next.until = args.until;
      next.set = args.set;
      next.after_micros = absl::ToUnixMicros(found.back().datestamp);
      next.after_position = found.back().position;
      next.complete_list_size = complete_size;
      next.cursor = sent;
      WriteToken(EncodeResumptionToken(next), complete_size, cursor, &xml);
    } else if (args.token.has_value()) {
      WriteToken("", complete_size, cursor, &xml);
    }
    return Content(std::move(xml));
  }

  static VerbResult BadDate(absl::string_view name, absl::string_view value) {
    return Error(OaiErrorCode::kBadArgument,
                 absl::StrCat(name, " \"", value,
                              "\" is not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"));
  }

  static void WriteToken(const std::string& token, int64_t complete_size,
                         int64_t cursor, XmlWriter* xml) {
    xml->Element("resumptionToken", token,
                 {{"completeListSize", absl::StrCat(complete_size)},
                  {"cursor", absl::StrCat(cursor)}});
  }

  void WriteHeader(const storage::RecordHeader& record, XmlWriter* xml) const {
    XmlWriter::Attributes attributes;
    if (record.deleted) attributes.emplace_back("status", "deleted");
    xml->Open("header", attributes);
    xml->Element("identifier", handler_.OaiIdentifier(record.canonical_id));
    xml->Element("datestamp", Floor(record.datestamp));
    for (const std::string& spec : RecordSetSpecs(record)) {
      xml->Element("setSpec", spec);
    }
    xml->Close();
  }

  void WriteRecord(const storage::RecordHeader& record, XmlWriter* xml) const {
    xml->Open("record");
    WriteHeader(record, xml);
    if (!record.deleted && record.cable.has_value()) {
      xml->Open("metadata");
      WriteOaiDc(*record.cable, handler_.OaiIdentifier(record.canonical_id),
                 options_.repository_name, xml);
      xml->Close();
    }
    xml->Close();
  }

  storage::RecordStore* const store_;
  const OaiPmhOptions& options_;
  const OaiPmhHandler& handler_;
};

}  // namespace

OaiPmhHandler::OaiPmhHandler(storage::RecordStore* store, OaiPmhOptions options)
    : store_(store), options_(std::move(options)) {}

std::string OaiPmhHandler::OaiIdentifier(absl::string_view canonical_id) const {
  return absl::StrCat("oai:", options_.repository_identifier, ":",
                      canonical_id);
}

absl::StatusOr<std::string> OaiPmhHandler::Render(
    const ParsedOaiRequest& parsed) const {
  const bool lists = !parsed.error.has_value() &&
                     (parsed.request.verb == OaiVerb::kListRecords ||
                      parsed.request.verb == OaiVerb::kListIdentifiers);
  // Taken before reading, so that harvesting again from it misses nothing.
  absl::Time response_date = absl::Now();
  if (lists) {
    CABLES_ASSIGN_OR_RETURN(response_date, store_->CommittedBefore());
  }
  VerbResult result;
  if (parsed.error.has_value()) {
    result.error = parsed.error;
  } else {
    Responder responder(store_, options_, *this);
    CABLES_ASSIGN_OR_RETURN(result, responder.Run(parsed.request));
  }

  XmlWriter xml;
  xml.Open("OAI-PMH",
           {{"xmlns", std::string(kOaiNamespace)},
            {"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"},
            {"xsi:schemaLocation", std::string(kOaiSchemaLocation)}});
  xml.Element("responseDate", Floor(response_date));
  // After badVerb or badArgument only the base URL (OAI-PMH 3.2).
  XmlWriter::Attributes echoed;
  const bool bad_request = result.error.has_value() &&
                           (result.error->code == OaiErrorCode::kBadArgument ||
                            result.error->code == OaiErrorCode::kBadVerb);
  if (!bad_request) {
    echoed.emplace_back("verb", std::string(OaiVerbName(parsed.request.verb)));
    for (const auto& [name, value] : parsed.request.arguments) {
      echoed.emplace_back(name, value);
    }
  }
  xml.Element("request", options_.base_url, echoed);
  if (result.error.has_value()) {
    xml.Element("error", result.error->message,
                {{"code", std::string(OaiErrorCodeName(result.error->code))}});
  } else {
    xml.Open(OaiVerbName(parsed.request.verb));
    xml.Raw(result.content);
    xml.Close();
  }
  return std::move(xml).Finish();
}

absl::StatusOr<std::string> OaiPmhHandler::Respond(
    const std::vector<std::pair<std::string, std::string>>& arguments) const {
  return Render(ParseOaiRequest(arguments));
}

HttpResponse OaiPmhHandler::Handle(const HttpRequest& request) const {
  HttpResponse response;
  const absl::string_view encoded = request.method == "POST"
                                        ? absl::string_view(request.body)
                                        : absl::string_view(request.query);
  auto arguments = ParseFormEncoded(encoded);
  absl::StatusOr<std::string> body;
  if (arguments.ok()) {
    body = Respond(*arguments);
  } else {
    // A malformed escape: no argument can be trusted.
    ParsedOaiRequest parsed;
    parsed.error = OaiError{OaiErrorCode::kBadArgument,
                            "the arguments are not form-encoded"};
    body = Render(parsed);
  }
  if (!body.ok()) {
    const bool retry = absl::IsUnavailable(body.status()) ||
                       absl::IsResourceExhausted(body.status()) ||
                       absl::IsDeadlineExceeded(body.status());
    response.status = retry ? 503 : 500;
    if (retry) response.headers.emplace_back("Retry-After", "5");
    response.body = absl::StrCat("OAI-PMH: ", body.status().message(), "\n");
    return response;
  }
  response.content_type = "text/xml; charset=utf-8";
  response.body = *std::move(body);
  return response;
}

}  // namespace cables::oai
