#include "services/metadata/metadata_catalog.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/common/error_details.h"
#include "services/common/status_macros.h"
#include "services/ingest/parser/cable_id.h"
#include "services/ingest/parser/tag_kinds.h"
#include "services/metadata/cable_events.h"
#include "services/metadata/filter_parser.h"
#include "services/metadata/line_diff.h"

namespace cables::metadata {
namespace {

using cables::v1::Cable;
using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;

// The id part of a name: without "cables/" (any case) and surrounding space.
absl::string_view StripCollection(absl::string_view name) {
  name = absl::StripAsciiWhitespace(name);
  if (name.size() >= 7 &&
      absl::EqualsIgnoreCase(name.substr(0, 7), "cables/")) {
    name.remove_prefix(7);
  }
  return name;
}

std::string NameOf(absl::string_view canonical_id) {
  return absl::StrCat("cables/", canonical_id);
}

absl::Status NotFound(absl::string_view canonical_id) {
  return absl::NotFoundError(
      absl::StrCat("cable ", canonical_id, " is not in the archive"));
}

// Maps the repository's kNotFound to one naming the id.
absl::Status WithId(absl::Status status, absl::string_view canonical_id) {
  if (absl::IsNotFound(status)) return NotFound(canonical_id);
  return status;
}

absl::Status ValidateMask(const FieldMask& mask, absl::string_view field) {
  for (const std::string& path : mask.paths()) {
    if (!FieldMaskUtil::IsValidPath<Cable>(path)) {
      return InvalidField(field,
                          absl::StrCat("unknown Cable field \"", path, "\""));
    }
  }
  return absl::OkStatus();
}

// Clears every field not in the mask (empty: all kept) and sets the name,
// which is always returned.
void Finish(Cable* cable, const FieldMask& mask) {
  std::string name = NameOf(cable->canonical_id());
  if (mask.paths_size() != 0) FieldMaskUtil::TrimMessage(mask, cable);
  cable->set_name(std::move(name));
}

// A repository's kInvalidArgument from a paged call whose other arguments
// were validated here: what it refused is the page token.
absl::Status AsPageTokenError(absl::Status status) {
  if (absl::IsInvalidArgument(status)) {
    return InvalidField("page_token", status.message());
  }
  return status;
}

absl::StatusOr<int> PageSize(int requested, absl::string_view field) {
  if (requested < 0) return InvalidField(field, "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

absl::StatusOr<storage::CableFilter> Filter(absl::string_view filter) {
  auto parsed = ParseCableFilter(filter);
  if (!parsed.ok()) return InvalidField("filter", parsed.status().message());
  return parsed;
}

// AIP-132 order_by: "created", "released" or "id", then "asc" or "desc"
// (default: created desc; a field alone is ascending).
absl::Status Order(absl::string_view order_by,
                   storage::ListCablesRequest* list) {
  const std::string o =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(order_by));
  if (o.empty()) {
    list->sort_key = storage::SortKey::kCreated;
    list->order = storage::SortOrder::kNewestFirst;
    return absl::OkStatus();
  }
  const std::vector<absl::string_view> words =
      absl::StrSplit(o, ' ', absl::SkipEmpty());
  const bool desc = words.size() == 2 && words[1] == "desc";
  const bool valid_direction =
      words.size() == 1 || (words.size() == 2 && (desc || words[1] == "asc"));
  std::optional<storage::SortKey> key;
  if (!words.empty() && words[0] == "created") key = storage::SortKey::kCreated;
  if (!words.empty() && words[0] == "released") {
    key = storage::SortKey::kReleased;
  }
  if (!words.empty() && words[0] == "id") key = storage::SortKey::kId;
  if (!key || !valid_direction) {
    return InvalidField("order_by",
                        absl::StrCat("unknown order \"", o,
                                     "\" (use created, released or id, "
                                     "optionally followed by asc or desc)"));
  }
  list->sort_key = *key;
  list->order = desc ? storage::SortOrder::kNewestFirst
                     : storage::SortOrder::kOldestFirst;
  return absl::OkStatus();
}

// kNotFound with ErrorInfo CABLE_DELETED when the cable `raw` (or its
// canonical form `id`) is deleted; OK when it is not.
absl::Status DeletedError(storage::CableRepository& repository,
                          absl::string_view raw, absl::string_view id) {
  absl::StatusOr<std::optional<storage::Tombstone>> tombstone =
      repository.GetTombstone(raw);
  if (tombstone.ok() && !tombstone->has_value() && raw != id) {
    tombstone = repository.GetTombstone(id);
  }
  if (!tombstone.ok()) return tombstone.status();
  if (!tombstone->has_value()) return absl::OkStatus();
  const storage::Tombstone& t = **tombstone;
  absl::Status status = absl::NotFoundError(absl::StrCat(
      "cable ", t.canonical_id, " was deleted at ",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t.deleted_at, absl::UTCTimeZone()),
      t.reason.empty() ? "" : absl::StrCat(": ", t.reason)));
  SetErrorReason(&status, "CABLE_DELETED");
  return status;
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t s = absl::ToUnixSeconds(t);
  ts.set_seconds(s);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(s))));
  return ts;
}

// Metadata fields compared between versions: all but the text and the
// bookkeeping.
bool IsMetadataField(const google::protobuf::FieldDescriptor* f) {
  const std::string& n = f->name();
  return n != "header" && n != "body" && n != "paragraphs" &&
         n != "content_sha256" && n != "version" && n != "name";
}

std::string FieldText(const Cable& cable,
                      const google::protobuf::FieldDescriptor* field) {
  // A copy holding just this field.
  Cable only = cable;
  FieldMask mask;
  mask.add_paths(field->name());
  FieldMaskUtil::TrimMessage(mask, &only);
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  std::string out;
  printer.PrintToString(only, &out);
  // Drop "name: " prefixes for readability of singular fields.
  absl::string_view v = absl::StripAsciiWhitespace(out);
  const std::string prefix = absl::StrCat(field->name(), ": ");
  if (!field->is_repeated() && absl::StartsWith(v, prefix)) {
    v.remove_prefix(prefix.size());
  }
  return std::string(v);
}

std::vector<cables::v1::FieldChange> ChangedFields(const Cable& from,
                                                   const Cable& to) {
  std::vector<cables::v1::FieldChange> changes;
  const auto* desc = Cable::descriptor();
  for (int i = 0; i < desc->field_count(); ++i) {
    const auto* field = desc->field(i);
    if (!IsMetadataField(field)) continue;
    std::string a = FieldText(from, field);
    std::string b = FieldText(to, field);
    if (a == b) continue;
    cables::v1::FieldChange change;
    change.set_field(field->name());
    change.set_from_value(std::move(a));
    change.set_to_value(std::move(b));
    changes.push_back(std::move(change));
  }
  return changes;
}

std::string Text(const Cable& cable) {
  if (cable.header().empty()) return cable.body();
  return absl::StrCat(cable.header(), "\n", cable.body());
}

}  // namespace

absl::StatusOr<std::string> CanonicalIdFromName(absl::string_view name,
                                                absl::string_view field) {
  const absl::string_view id = StripCollection(name);
  if (id.empty()) return InvalidField(field, "a cable name is required");
  auto canonical = parser::CanonicalizeCableId(id);
  if (!canonical.ok()) {
    return InvalidField(field,
                        absl::StrCat("\"", name, "\" is not a cable id: ",
                                     canonical.status().message()));
  }
  return canonical;
}

std::optional<std::string> MetadataCatalog::CachedId(
    const cables::v1::GetCableRequest& request) const {
  if (cache_ == nullptr || request.version() != 0) return std::nullopt;
  const absl::string_view raw = StripCollection(request.name());
  absl::StatusOr<std::string> id = CanonicalIdFromName(request.name(), "name");
  if (!id.ok() || raw != *id) return std::nullopt;
  if (!ValidateMask(request.read_mask(), "read_mask").ok()) return std::nullopt;
  return *std::move(id);
}

std::optional<std::string> MetadataCatalog::GetCachedCableBytes(
    const cables::v1::GetCableRequest& request) const {
  const std::optional<std::string> id = CachedId(request);
  if (!id.has_value()) return std::nullopt;
  if (request.read_mask().paths_size() == 0) {
    // Cached cables are stored as answered without a mask (name set).
    return cache_->LookupBytes(*id);
  }
  std::optional<Cable> cable = cache_->Lookup(*id);
  if (!cable.has_value()) return std::nullopt;
  Finish(&*cable, request.read_mask());
  return cable->SerializeAsString();
}

absl::StatusOr<Cable> MetadataCatalog::GetCable(
    const cables::v1::GetCableRequest& request) const {
  if (const std::optional<std::string> id = CachedId(request)) {
    if (std::optional<Cable> hit = cache_->Lookup(*id); hit.has_value()) {
      Finish(&*hit, request.read_mask());
      return *std::move(hit);
    }
  }
  return ReadCable(request);
}

absl::StatusOr<Cable> MetadataCatalog::ReadCable(
    const cables::v1::GetCableRequest& request) const {
  CABLES_ASSIGN_OR_RETURN(std::string id,
                          CanonicalIdFromName(request.name(), "name"));
  CABLES_RETURN_IF_ERROR(ValidateMask(request.read_mask(), "read_mask"));
  if (request.version() < 0) {
    return InvalidField("version", "must not be negative");
  }
  const std::string raw(StripCollection(request.name()));
  // Only current versions named by their canonical id are cached: that
  // lookup never goes through an alias.
  CableCache* const cache =
      request.version() == 0 && raw == id ? cache_ : nullptr;
  const uint64_t ticket = cache != nullptr ? cache->ReadTicket() : 0;
  absl::StatusOr<Cable> cable =
      request.version() == 0 ? repository_->GetCable(raw)
                             : repository_->GetVersion(raw, request.version());
  if (cable.ok() && cache != nullptr && cable->canonical_id() == id) {
    Finish(&*cable, FieldMask());  // stored as answered without a mask
    cache->Insert(*cable, ticket);
  }
  if (!cable.ok() && absl::IsNotFound(cable.status()) && raw != id) {
    cable = request.version() == 0
                ? repository_->GetCable(id)
                : repository_->GetVersion(id, request.version());
  }
  if (!cable.ok()) {
    if (absl::IsNotFound(cable.status()) && request.version() != 0) {
      return absl::NotFoundError(
          absl::StrCat("cable ", id, " has no version ", request.version()));
    }
    if (absl::IsNotFound(cable.status())) {
      CABLES_RETURN_IF_ERROR(DeletedError(*repository_, raw, id));
    }
    return WithId(cable.status(), id);
  }
  Finish(&*cable, request.read_mask());
  return cable;
}

absl::StatusOr<cables::v1::BatchGetCablesResponse>
MetadataCatalog::BatchGetCables(
    const cables::v1::BatchGetCablesRequest& request) const {
  if (request.names_size() > kMaxBatchGet) {
    return InvalidField(
        "names", absl::StrCat("at most ", kMaxBatchGet, " names per call"));
  }
  CABLES_RETURN_IF_ERROR(ValidateMask(request.read_mask(), "read_mask"));
  std::vector<std::string> ids;
  std::vector<std::string> canonical;
  for (int i = 0; i < request.names_size(); ++i) {
    CABLES_ASSIGN_OR_RETURN(
        std::string id,
        CanonicalIdFromName(request.names(i), absl::StrCat("names[", i, "]")));
    ids.emplace_back(StripCollection(request.names(i)));
    canonical.push_back(std::move(id));
  }
  cables::v1::BatchGetCablesResponse response;
  if (ids.empty()) return response;
  // Cached cables (named by their canonical id) first; the rest in one read.
  std::vector<std::optional<Cable>> found(ids.size());
  std::vector<std::string> missing;
  std::vector<size_t> missing_at;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (cache_ != nullptr && ids[i] == canonical[i]) {
      found[i] = cache_->Lookup(canonical[i]);
    }
    if (!found[i].has_value()) {
      missing.push_back(ids[i]);
      missing_at.push_back(i);
    }
  }
  if (!missing.empty()) {
    const uint64_t ticket = cache_ != nullptr ? cache_->ReadTicket() : 0;
    CABLES_ASSIGN_OR_RETURN(auto read, repository_->BatchGetCables(missing));
    for (size_t j = 0; j < read.size() && j < missing_at.size(); ++j) {
      const size_t i = missing_at[j];
      if (read[j].has_value() && cache_ != nullptr && ids[i] == canonical[i] &&
          read[j]->canonical_id() == canonical[i]) {
        Finish(&*read[j], FieldMask());  // stored as answered without a mask
        cache_->Insert(*read[j], ticket);
      }
      found[i] = std::move(read[j]);
    }
  }
  for (size_t i = 0; i < found.size(); ++i) {
    if (!found[i].has_value()) return NotFound(canonical[i]);
    Cable* cable = response.add_cables();
    *cable = *std::move(found[i]);
    Finish(cable, request.read_mask());
  }
  return response;
}

absl::StatusOr<cables::v1::ListCablesResponse> MetadataCatalog::ListCables(
    const cables::v1::ListCablesRequest& request) const {
  storage::ListCablesRequest list;
  CABLES_ASSIGN_OR_RETURN(list.page_size,
                          PageSize(request.page_size(), "page_size"));
  CABLES_ASSIGN_OR_RETURN(list.filter, Filter(request.filter()));
  CABLES_RETURN_IF_ERROR(Order(request.order_by(), &list));
  CABLES_RETURN_IF_ERROR(ValidateMask(request.read_mask(), "read_mask"));
  list.page_token = request.page_token();
  auto page = repository_->ListCables(list);
  if (!page.ok()) return AsPageTokenError(page.status());
  CABLES_ASSIGN_OR_RETURN(const int64_t total,
                          CountMatching(request.filter(), list.filter));
  cables::v1::ListCablesResponse response;
  for (Cable& cable : page->cables) {
    Cable* out = response.add_cables();
    *out = std::move(cable);
    Finish(out, request.read_mask());
  }
  response.set_next_page_token(page->next_page_token);
  response.set_total_size(total);
  return response;
}

absl::StatusOr<int64_t> MetadataCatalog::CountMatching(
    absl::string_view filter_text, const storage::CableFilter& filter) const {
  const std::optional<std::string> key =
      cache_ == nullptr
          ? std::nullopt
          : cache_->SnapshotKey(absl::StrCat("count/", filter_text));
  int64_t total = 0;
  if (key.has_value()) {
    if (std::optional<std::string> hit = cache_->GetSnapshot(*key);
        hit.has_value() && absl::SimpleAtoi(*hit, &total)) {
      return total;
    }
  }
  CABLES_ASSIGN_OR_RETURN(const storage::FacetCounts counts,
                          repository_->GetFacetCounts(filter, 1));
  if (key.has_value()) cache_->PutSnapshot(*key, absl::StrCat(counts.total));
  return counts.total;
}

absl::StatusOr<cables::v1::BrowseCablesResponse> MetadataCatalog::BrowseCables(
    const cables::v1::BrowseCablesRequest& request) const {
  if (request.limit() < 0) return InvalidField("limit", "must not be negative");
  const int limit = request.limit() == 0 ? 100 : request.limit();
  CABLES_ASSIGN_OR_RETURN(const storage::CableFilter filter,
                          Filter(request.filter()));
  // Counts over the whole archive: cached until the next change.
  const std::optional<std::string> key =
      cache_ == nullptr ? std::nullopt
                        : cache_->SnapshotKey(absl::StrCat(
                              "browse/", request.SerializeAsString()));
  cables::v1::BrowseCablesResponse response;
  if (key.has_value()) {
    if (std::optional<std::string> hit = cache_->GetSnapshot(*key);
        hit.has_value() && response.ParseFromString(*hit)) {
      return response;
    }
    response.Clear();
  }
  CABLES_ASSIGN_OR_RETURN(const storage::FacetCounts counts,
                          repository_->GetFacetCounts(filter, limit));
  response.set_total_size(counts.total);
  auto copy =
      [](const std::vector<storage::FacetValue>& from,
         google::protobuf::RepeatedPtrField<cables::v1::FacetCount>* to) {
        for (const auto& v : from) {
          auto* out = to->Add();
          out->set_value(v.value);
          out->set_count(v.count);
        }
      };
  copy(counts.tags, response.mutable_tags());
  for (cables::v1::FacetCount& tag : *response.mutable_tags()) {
    tag.set_tag_kind(parser::ClassifyTag(tag.value()));
  }
  copy(counts.origins, response.mutable_origins());
  copy(counts.classifications, response.mutable_classifications());
  copy(counts.caveats, response.mutable_caveats());
  copy(counts.years, response.mutable_years());
  if (months_ != nullptr) {
    CABLES_ASSIGN_OR_RETURN(const auto months, months_->CountByMonth(filter));
    copy(months, response.mutable_months());
  }
  if (key.has_value()) cache_->PutSnapshot(*key, response.SerializeAsString());
  return response;
}

absl::StatusOr<cables::v1::ListCableReferencesResponse>
MetadataCatalog::ListCableReferences(
    const cables::v1::ListCableReferencesRequest& request) const {
  CABLES_ASSIGN_OR_RETURN(std::string id,
                          CanonicalIdFromName(request.name(), "name"));
  auto refs = repository_->GetReferences(id);
  if (!refs.ok()) return WithId(refs.status(), id);
  cables::v1::ListCableReferencesResponse response;
  for (const storage::ReferenceInfo& info : *refs) {
    auto* out = response.add_references();
    *out->mutable_reference() = info.reference;
    if (info.reference.kind() == cables::v1::Reference::CABLE &&
        !info.reference.id().empty()) {
      out->set_name(NameOf(info.reference.id()));
    }
    out->set_in_archive(info.in_archive);
    if (info.in_archive) {
      out->set_subject(info.cited_subject);
      if (info.cited_created) {
        *out->mutable_created() = ToTimestamp(*info.cited_created);
      }
    }
  }
  return response;
}

absl::StatusOr<cables::v1::ListCitingCablesResponse>
MetadataCatalog::ListCitingCables(
    const cables::v1::ListCitingCablesRequest& request) const {
  CABLES_ASSIGN_OR_RETURN(std::string id,
                          CanonicalIdFromName(request.name(), "name"));
  CABLES_ASSIGN_OR_RETURN(const int limit,
                          PageSize(request.page_size(), "page_size"));
  auto citing = repository_->GetCitedBy(id, limit, request.page_token());
  if (!citing.ok()) return AsPageTokenError(citing.status());
  cables::v1::ListCitingCablesResponse response;
  response.set_next_page_token(citing->next_page_token);
  response.set_total_size(citing->total);
  for (const storage::CitingCable& c : citing->cables) {
    auto* out = response.add_cables();
    out->set_name(NameOf(c.canonical_id));
    out->set_subject(c.subject);
    if (c.created) *out->mutable_created() = ToTimestamp(*c.created);
    out->set_letter(c.letter);
  }
  return response;
}

absl::StatusOr<cables::v1::ListCableVersionsResponse>
MetadataCatalog::ListCableVersions(
    const cables::v1::ListCableVersionsRequest& request) const {
  CABLES_ASSIGN_OR_RETURN(std::string id,
                          CanonicalIdFromName(request.name(), "name"));
  auto versions = repository_->ListVersions(id);
  if (!versions.ok()) return WithId(versions.status(), id);
  cables::v1::ListCableVersionsResponse response;
  std::optional<Cable> previous;
  for (const storage::VersionInfo& v : *versions) {
    auto* out = response.add_versions();
    out->set_version(v.version);
    out->set_content_sha256(v.content_sha256);
    out->set_source(v.source);
    *out->mutable_ingest_time() = ToTimestamp(v.ingested_at);
    out->set_current(v.current);
    if (versions->size() > 1) {
      auto cable = repository_->GetVersion(id, v.version);
      if (!cable.ok()) return WithId(cable.status(), id);
      if (previous) {
        for (auto& change : ChangedFields(*previous, *cable)) {
          out->add_changed_fields(change.field());
        }
      }
      previous = *std::move(cable);
    }
  }
  return response;
}

absl::StatusOr<cables::v1::DiffCableVersionsResponse>
MetadataCatalog::DiffCableVersions(
    const cables::v1::DiffCableVersionsRequest& request) const {
  CABLES_ASSIGN_OR_RETURN(std::string id,
                          CanonicalIdFromName(request.name(), "name"));
  if (request.from_version() < 0) {
    return InvalidField("from_version", "must not be negative");
  }
  if (request.to_version() < 0) {
    return InvalidField("to_version", "must not be negative");
  }
  auto versions = repository_->ListVersions(id);
  if (!versions.ok()) return WithId(versions.status(), id);
  int current = 0;
  for (const auto& v : *versions) {
    if (v.current) current = v.version;
  }
  // to 0: the current version; from 0: the one before `to`.
  const int to = request.to_version() == 0 ? current : request.to_version();
  const int from =
      request.from_version() == 0 ? to - 1 : request.from_version();
  if (from < 1) {
    return InvalidField(
        "from_version",
        absl::StrCat("cable ", id, " has no version before ", to));
  }
  auto load = [&](int version) -> absl::StatusOr<Cable> {
    auto cable = repository_->GetVersion(id, version);
    if (absl::IsNotFound(cable.status())) {
      return absl::NotFoundError(
          absl::StrCat("cable ", id, " has no version ", version));
    }
    return cable;
  };
  CABLES_ASSIGN_OR_RETURN(const Cable a, load(from));
  CABLES_ASSIGN_OR_RETURN(const Cable b, load(to));
  cables::v1::DiffCableVersionsResponse response;
  response.set_unified_diff(UnifiedLineDiff(Text(a), Text(b),
                                            absl::StrCat(NameOf(id), "@", from),
                                            absl::StrCat(NameOf(id), "@", to)));
  for (auto& change : ChangedFields(a, b)) {
    *response.add_changed_fields() = std::move(change);
  }
  return response;
}

absl::StatusOr<cables::v1::CableParagraph> MetadataCatalog::GetParagraph(
    const cables::v1::GetParagraphRequest& request) const {
  absl::string_view name = request.name();
  const size_t at = absl::AsciiStrToLower(name).rfind("/paragraphs/");
  if (at == std::string::npos) {
    return InvalidField("name", "expected \"cables/{id}/paragraphs/{n}\"");
  }
  int number = 0;
  if (!absl::SimpleAtoi(name.substr(at + 12), &number) || number < 1) {
    return InvalidField("name",
                        "the paragraph number must be a positive integer");
  }
  CABLES_ASSIGN_OR_RETURN(std::string id,
                          CanonicalIdFromName(name.substr(0, at), "name"));
  const std::string raw(StripCollection(name.substr(0, at)));
  auto cable = repository_->GetCable(raw);
  if (!cable.ok() && absl::IsNotFound(cable.status()) && raw != id) {
    cable = repository_->GetCable(id);
  }
  if (!cable.ok()) return WithId(cable.status(), id);
  for (const auto& p : cable->paragraphs()) {
    if (p.number() == number) {
      cables::v1::CableParagraph out;
      out.set_name(
          absl::StrCat(NameOf(cable->canonical_id()), "/paragraphs/", number));
      *out.mutable_paragraph() = p;
      return out;
    }
  }
  return absl::NotFoundError(absl::StrCat("cable ", cable->canonical_id(),
                                          " has no paragraph ", number));
}

absl::StatusOr<ExportPage> MetadataCatalog::Export(
    const cables::v1::ExportCablesRequest& request,
    const std::string& page_token) const {
  // The list omits header, body and paragraphs: fetch complete cables when
  // the mask asks for any of them.
  bool need_text = request.read_mask().paths_size() == 0;
  for (const std::string& path : request.read_mask().paths()) {
    if (path == "header" || path == "body" ||
        absl::StartsWith(path, "paragraphs")) {
      need_text = true;
    }
  }
  storage::ListCablesRequest list;
  // A page is held until the client has read it: complete cables (~17 KB
  // each) in smaller pages, so a stalled stream holds a few MB at most.
  list.page_size = need_text ? kExportTextPageSize : kMaxPageSize;
  list.order = storage::SortOrder::kOldestFirst;
  CABLES_ASSIGN_OR_RETURN(list.filter, Filter(request.filter()));
  CABLES_RETURN_IF_ERROR(ValidateMask(request.read_mask(), "read_mask"));
  list.page_token = page_token;
  CABLES_ASSIGN_OR_RETURN(storage::ListCablesResponse page,
                          repository_->ListCables(list));
  ExportPage out;
  out.next_page_token = std::move(page.next_page_token);
  if (need_text && !page.cables.empty()) {
    std::vector<std::string> ids;
    for (const Cable& c : page.cables) ids.push_back(c.canonical_id());
    CABLES_ASSIGN_OR_RETURN(auto full, repository_->BatchGetCables(ids));
    for (size_t i = 0; i < full.size(); ++i) {
      // A cable removed meanwhile keeps its listed metadata.
      out.cables.push_back(full[i] ? *std::move(full[i])
                                   : std::move(page.cables[i]));
    }
  } else {
    out.cables = std::move(page.cables);
  }
  for (Cable& c : out.cables) Finish(&c, request.read_mask());
  return out;
}

absl::StatusOr<cables::v1::CableTombstone> MetadataCatalog::DeleteCable(
    const cables::v1::DeleteCableRequest& request) const {
  CABLES_ASSIGN_OR_RETURN(std::string id,
                          CanonicalIdFromName(request.name(), "name"));
  const std::string raw(StripCollection(request.name()));
  absl::StatusOr<storage::Tombstone> deleted =
      writer_->DeleteCable(raw, request.reason());
  if (!deleted.ok() && absl::IsNotFound(deleted.status()) && raw != id) {
    deleted = writer_->DeleteCable(id, request.reason());
  }
  if (!deleted.ok()) {
    if (absl::IsNotFound(deleted.status())) {
      CABLES_RETURN_IF_ERROR(DeletedError(*repository_, raw, id));
    }
    return WithId(deleted.status(), id);
  }
  cables::v1::CableTombstone out;
  out.set_name(NameOf(deleted->canonical_id));
  out.set_version(deleted->version);
  out.set_content_sha256(deleted->content_sha256);
  out.set_reason(deleted->reason);
  *out.mutable_delete_time() = ToTimestamp(deleted->deleted_at);
  out.set_change_position(deleted->position);
  return out;
}

absl::StatusOr<int64_t> MetadataCatalog::WatchStart(
    const cables::v1::WatchCablesRequest& request) const {
  if (request.after_position() < 0) {
    return InvalidField("after_position", "must not be negative");
  }
  if (request.start_from_now() && request.after_position() != 0) {
    return InvalidField("start_from_now",
                        "cannot be combined with after_position");
  }
  for (int i = 0; i < request.kinds_size(); ++i) {
    const int kind = request.kinds(i);
    if (kind < cables::v1::CHANGE_KIND_CREATED ||
        kind > cables::v1::CHANGE_KIND_DELETED) {
      return InvalidField(absl::StrCat("kinds[", i, "]"),
                          absl::StrCat("unknown change kind ", kind));
    }
  }
  if (!request.start_from_now()) return request.after_position();
  return repository_->LastChangePosition();
}

absl::StatusOr<ChangePage> MetadataCatalog::WatchPage(
    const cables::v1::WatchCablesRequest& request, int64_t after,
    int limit) const {
  CABLES_ASSIGN_OR_RETURN(const std::vector<storage::ChangeRecord> changes,
                          repository_->ListChanges(after, limit));
  ChangePage page;
  page.next_after = after;
  page.more = static_cast<int>(changes.size()) == limit;
  for (const storage::ChangeRecord& c : changes) {
    page.next_after = c.position;
    const auto kind = static_cast<cables::v1::ChangeKind>(c.kind);
    if (request.kinds_size() > 0 &&
        std::find(request.kinds().begin(), request.kinds().end(), kind) ==
            request.kinds().end()) {
      continue;
    }
    cables::v1::ChangeEvent& event = page.events.emplace_back();
    event.set_position(c.position);
    event.set_name(NameOf(c.canonical_id));
    event.set_version(c.version);
    event.set_kind(kind);
    event.set_content_sha256(c.content_sha256);
    *event.mutable_change_time() = ToTimestamp(c.changed_at);
  }
  return page;
}

absl::StatusOr<cables::v1::ListCableEventsResponse>
MetadataCatalog::ListCableEvents(
    const cables::v1::ListCableEventsRequest& request) const {
  return metadata::ListCableEvents(*repository_, request);
}

}  // namespace cables::metadata
