// Small builders of parsed cables for storage tests (independent of the
// parser, so storage can be tested on its own).
#ifndef CABLES_STORAGE_TESTING_TEST_CABLES_H_
#define CABLES_STORAGE_TESTING_TEST_CABLES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "cables/v1/cable.pb.h"

namespace cables::storage::testing {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

// A plausible cable: id "05ALMATY1595"-like `canonical_id`, created on
// `date` ("2005-04-05"; "" leaves it unset), origin/classification/tags, two
// paragraphs whose text includes `body_words`, one CABLE reference to
// `cites` (when not empty) and content_sha256 over header and body.
cables::v1::Cable MakeCable(absl::string_view canonical_id,
                            absl::string_view date = "2005-04-05",
                            absl::string_view body_words = "initial text",
                            absl::string_view cites = "");

// Recomputes content_sha256 after a test edited header or body.
void RehashCable(cables::v1::Cable& cable);

}  // namespace cables::storage::testing

#endif  // CABLES_STORAGE_TESTING_TEST_CABLES_H_
