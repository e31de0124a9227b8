#include "storage/testing/test_cables.h"

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cables::storage::testing {

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

void RehashCable(cables::v1::Cable& cable) {
  cable.set_content_sha256(
      Sha256Hex(absl::StrCat(cable.header(), "\n\n", cable.body())));
}

cables::v1::Cable MakeCable(absl::string_view canonical_id,
                            absl::string_view date,
                            absl::string_view body_words,
                            absl::string_view cites) {
  cables::v1::Cable c;
  c.set_reference_id(std::string(canonical_id));
  c.set_canonical_id(std::string(canonical_id));
  if (!date.empty()) {
    absl::Time t;
    std::string err;
    if (absl::ParseTime("%Y-%m-%d", date, &t, &err)) {
      c.mutable_created()->set_seconds(absl::ToUnixSeconds(t) + 3600 * 10);
    }
  }
  c.set_origin("Embassy Almaty");
  c.set_classification("CONFIDENTIAL");
  c.add_caveats("SIPDIS");
  for (const char* tag : {"PGOV", "PREL", "KZ"}) c.add_tags(tag);
  c.add_tag_kinds(cables::v1::SUBJECT);
  c.add_tag_kinds(cables::v1::SUBJECT);
  c.add_tag_kinds(cables::v1::GEOGRAPHIC);
  c.set_subject(absl::StrCat("KAZAKHSTAN: SUBJECT OF ", canonical_id));
  c.set_summary("Summary of the cable.");
  c.add_signers("ORDWAY");
  c.add_classified_by("Ambassador John Ordway");
  c.add_classification_reasons("1.4(b)");
  c.add_classification_reasons("1.4(d)");
  c.set_declassify_on("2015-04-05");
  c.set_transmission_id("VZCZCXRO0539");
  c.set_source_format(cables::v1::CSV);
  auto* to = c.add_recipients();
  to->set_kind(cables::v1::Recipient::TO);
  to->set_route("RUEHC");
  to->set_name("SECSTATE WASHDC");
  to->set_precedence(cables::v1::Recipient::PRIORITY);
  to->set_mcn("5083");
  auto* p1 = c.add_paragraphs();
  p1->set_number(1);
  p1->set_marking("C");
  p1->set_text(
      absl::StrCat("The government of Kazakhstan said ", body_words, "."));
  auto* p2 = c.add_paragraphs();
  p2->set_number(2);
  p2->set_marking("SBU");
  p2->set_heading("COMMENT");
  p2->set_text("Embassy comment: \"quoted\", tab\there, back\\slash.");
  if (!cites.empty()) {
    auto* r = c.add_references();
    r->set_id(std::string(cites));
    r->set_kind(cables::v1::Reference::CABLE);
    r->set_letter("A");
    r->set_text(std::string(cites));
    auto* r2 = c.add_references();
    r2->set_kind(cables::v1::Reference::EMAIL);
    r2->set_letter("B");
    r2->set_text("EMAIL OF 3/4/05");
  }
  c.set_header(
      "VZCZCXRO0539\nPP RUEHAST\nFM AMEMBASSY ALMATY\nTO RUEHC/SECSTATE WASHDC "
      "PRIORITY 5083");
  c.set_body(absl::StrCat(
      "C O N F I D E N T I A L ALMATY 001595\n\nSUBJECT: ", c.subject(),
      "\n\n1. (C) ", p1->text(), "\n\n2. (SBU) ", p2->text(), "\n\nORDWAY"));
  RehashCable(c);
  return c;
}

}  // namespace cables::storage::testing
