// UnifiedLineDiff: a line-based unified diff ("--- a", "+++ b", "@@ -l,n
// +l,n @@" hunks with `context` lines around each change), computed with a
// longest-common-subsequence table after trimming the common prefix and
// suffix. When the differing middle is too large for the table (more than
// 16M cells) it is reported as wholly replaced -- still a correct diff,
// just not a minimal one. Identical texts give "".
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_METADATA_LINE_DIFF_H_
#define CABLES_SERVICES_METADATA_LINE_DIFF_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cables::metadata {

std::string UnifiedLineDiff(absl::string_view from, absl::string_view to,
                            absl::string_view from_label,
                            absl::string_view to_label, int context = 3);

}  // namespace cables::metadata

#endif  // CABLES_SERVICES_METADATA_LINE_DIFF_H_
