#include "services/metadata/cable_events.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/error_details.h"
#include "services/common/status_macros.h"
#include "services/metadata/metadata_catalog.h"

namespace cables::metadata {
namespace {

constexpr absl::string_view kAllCables = "cables/-";
constexpr absl::string_view kTokenPrefix = "ev1:";

// FNV-1a over what a page token is bound to.
uint64_t Fingerprint(absl::string_view parent, absl::string_view filter) {
  uint64_t h = 14695981039346656037ull;
  for (const absl::string_view part :
       {parent, absl::string_view("\n"), filter}) {
    for (const unsigned char c : part) {
      h ^= c;
      h *= 1099511628211ull;
    }
  }
  return h;
}

std::string EncodeToken(int64_t after, uint64_t fingerprint) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kTokenPrefix, after, ":", fingerprint));
}

absl::StatusOr<int64_t> DecodeToken(absl::string_view token,
                                    uint64_t fingerprint) {
  std::string raw;
  int64_t after = 0;
  uint64_t bound = 0;
  if (absl::WebSafeBase64Unescape(token, &raw) &&
      absl::StartsWith(raw, kTokenPrefix)) {
    const std::vector<absl::string_view> parts =
        absl::StrSplit(absl::string_view(raw).substr(kTokenPrefix.size()), ':');
    if (parts.size() == 2 && absl::SimpleAtoi(parts[0], &after) &&
        absl::SimpleAtoi(parts[1], &bound) && after >= 0) {
      if (bound != fingerprint) {
        return InvalidField("page_token",
                            "belongs to another parent or filter");
      }
      return after;
    }
  }
  return InvalidField("page_token", "invalid page token");
}

absl::Status BadFilter(absl::string_view why) {
  return InvalidField("filter", why);
}

// One `field = value` condition.
absl::Status ApplyCondition(absl::string_view field, absl::string_view value,
                            storage::ListEventsRequest* out) {
  if (field == "event_type") {
    cables::v1::CableEvent::EventType type;
    if (cables::v1::CableEvent::EventType_Parse(absl::AsciiStrToUpper(value),
                                                &type) &&
        type != cables::v1::CableEvent::EVENT_TYPE_UNSPECIFIED) {
      out->type = static_cast<storage::EventType>(type);
      return absl::OkStatus();
    }
    if (auto t = storage::EventTypeFromName(absl::AsciiStrToLower(value))) {
      out->type = *t;
      return absl::OkStatus();
    }
    return BadFilter(absl::StrCat("unknown event_type \"", value, "\""));
  }
  if (field == "outcome") {
    if (absl::EqualsIgnoreCase(value, "SUCCESS")) {
      out->success = true;
    } else if (absl::EqualsIgnoreCase(value, "FAILURE")) {
      out->success = false;
    } else {
      return BadFilter(absl::StrCat(
          "outcome must be SUCCESS or FAILURE, not \"", value, "\""));
    }
    return absl::OkStatus();
  }
  if (field == "version") {
    if (!absl::SimpleAtoi(value, &out->version) || out->version < 1) {
      return BadFilter("version must be a positive integer");
    }
    return absl::OkStatus();
  }
  return BadFilter(absl::StrCat("unknown field \"", field,
                                "\" (event_type, outcome, version)"));
}

}  // namespace

absl::Status ParseEventFilter(absl::string_view filter,
                              storage::ListEventsRequest* out) {
  size_t i = 0;
  const auto skip_spaces = [&] {
    while (i < filter.size() && absl::ascii_isspace(filter[i])) ++i;
  };
  const auto word = [&]() -> absl::string_view {
    const size_t start = i;
    while (i < filter.size() &&
           (absl::ascii_isalnum(filter[i]) || filter[i] == '_')) {
      ++i;
    }
    return filter.substr(start, i - start);
  };
  skip_spaces();
  if (i == filter.size()) return absl::OkStatus();
  for (;;) {
    const absl::string_view field = word();
    if (field.empty()) return BadFilter("expected a field name");
    skip_spaces();
    if (i >= filter.size() || filter[i] != '=') {
      return BadFilter(absl::StrCat("expected \"=\" after ", field));
    }
    ++i;
    skip_spaces();
    absl::string_view value;
    if (i < filter.size() && filter[i] == '"') {
      const size_t close = filter.find('"', i + 1);
      if (close == absl::string_view::npos) return BadFilter("unclosed quote");
      value = filter.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      value = word();
    }
    if (value.empty()) return BadFilter(absl::StrCat("no value for ", field));
    CABLES_RETURN_IF_ERROR(ApplyCondition(field, value, out));
    skip_spaces();
    if (i == filter.size()) return absl::OkStatus();
    if (word() != "AND") {
      return BadFilter("conditions must be joined by AND");
    }
    skip_spaces();
  }
}

cables::v1::CableEvent ToProtoEvent(const storage::CableEvent& event) {
  cables::v1::CableEvent out;
  out.set_name(
      absl::StrCat("cables/", event.canonical_id, "/events/", event.event_id));
  out.set_canonical_id(event.canonical_id);
  out.set_version(event.version);
  out.set_event_type(
      static_cast<cables::v1::CableEvent::EventType>(event.type));
  *out.mutable_event_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(event.time));
  out.set_outcome(event.success ? cables::v1::CableEvent::SUCCESS
                                : cables::v1::CableEvent::FAILURE);
  out.set_outcome_detail(event.detail);
  out.set_agent(event.agent);
  out.set_event_id(event.event_id);
  return out;
}

absl::StatusOr<cables::v1::ListCableEventsResponse> ListCableEvents(
    storage::CableRepository& repository,
    const cables::v1::ListCableEventsRequest& request) {
  storage::ListEventsRequest list;
  if (request.parent() != kAllCables) {
    CABLES_ASSIGN_OR_RETURN(list.canonical_id,
                            CanonicalIdFromName(request.parent(), "parent"));
  }
  if (request.page_size() < 0) {
    return InvalidField("page_size", "must not be negative");
  }
  list.limit = request.page_size() == 0
                   ? kDefaultPageSize
                   : std::min(request.page_size(), kMaxPageSize);
  CABLES_RETURN_IF_ERROR(ParseEventFilter(request.filter(), &list));
  const uint64_t fingerprint =
      Fingerprint(list.canonical_id.empty() ? kAllCables : list.canonical_id,
                  request.filter());
  if (!request.page_token().empty()) {
    CABLES_ASSIGN_OR_RETURN(list.after_event_id,
                            DecodeToken(request.page_token(), fingerprint));
  }
  // One more than a page tells whether another page follows.
  ++list.limit;
  CABLES_ASSIGN_OR_RETURN(std::vector<storage::CableEvent> events,
                          repository.ListEvents(list));
  const bool more = static_cast<int>(events.size()) == list.limit;
  if (more) events.pop_back();
  cables::v1::ListCableEventsResponse response;
  for (const storage::CableEvent& e : events) {
    *response.add_events() = ToProtoEvent(e);
  }
  if (more && !events.empty()) {
    response.set_next_page_token(
        EncodeToken(events.back().event_id, fingerprint));
  }
  return response;
}

}  // namespace cables::metadata
