// OaiSets: the OAI-PMH set hierarchy of the archive and its setSpecs.
//
//   origin             cables with an originating post
//   origin:<slug>      of one post: "Embassy Almaty" -> origin:embassy-almaty
//                      (lower case, runs of other characters become "-")
//   year               cables with a known date
//   year:<YYYY>        created in that year (UTC)
//   tag                cables with TAGS
//   tag:<spec>         with one tag: the tag itself ("tag:PGOV") when every
//                      character is allowed in a setSpec, else runs of other
//                      characters become "_" ("ROOD, JOHN" -> tag:ROOD_JOHN)
//
// Several values may share a slug; a set then holds all of them.
// Pure functions; thread-safe.
#ifndef CABLES_SERVICES_OAI_OAI_SETS_H_
#define CABLES_SERVICES_OAI_OAI_SETS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "storage/metadata/record_store.h"

namespace cables::oai {

std::string OriginSetSpec(absl::string_view origin);
std::string YearSetSpec(int year);
std::string TagSetSpec(absl::string_view tag);

// True when `spec` matches the OAI-PMH setSpec syntax.
bool IsValidSetSpec(absl::string_view spec);

// One entry of ListSets.
struct OaiSet {
  std::string spec;
  std::string name;
};

// Every set of the archive (parents first, then each kind's members sorted
// by spec, one entry per distinct spec).
std::vector<OaiSet> ListOaiSets(const storage::RecordSetValues& values);

// The record filter of set `spec`; nullopt when no such set exists.
std::optional<storage::RecordSet> ResolveSetSpec(
    absl::string_view spec, const storage::RecordSetValues& values);

// The setSpecs a record belongs to (leaf sets only).
std::vector<std::string> RecordSetSpecs(const storage::RecordHeader& record);

}  // namespace cables::oai

#endif  // CABLES_SERVICES_OAI_OAI_SETS_H_
