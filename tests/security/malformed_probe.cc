// malformed_probe: sends bad input to EVERY method of every cables.v1
// service -- enumerated from the services' descriptors, so a method (or a
// string field) added later is covered without touching this file -- and
// checks that each gets a specific status, fast, and that the services stay
// up. Point it at services holding a real archive (malformed_e2e_test.sh
// imports the 1,295 real cables); it must not change the database (the
// script compares checksums before and after).
//
// Cases (one output line each: ok/FAIL, method, case, status, expected):
//  raw bytes, every method (grpc::GenericStub, so the bytes reach the
//  server exactly as written):
//   garbage    bytes that are not a protobuf          -> INVALID_ARGUMENT
//   truncated  a valid request cut inside its last field -> INVALID_ARGUMENT
//   bad-utf8   a string field holding invalid UTF-8   -> INVALID_ARGUMENT
//   oversize   a message over --max_message_bytes     -> RESOURCE_EXHAUSTED
//  typed requests:
//   sqli       each SQL-injection string in each string/bytes field (found
//              by reflection, nested messages included) of each method's
//              request, one field at a time -> OK, INVALID_ARGUMENT or
//              NOT_FOUND (the input is just data), within 8 s plus twice
//              the time of an empty request (one string asks for
//              pg_sleep(10));
//   filters    injection inside ListCables filter values and order_by; a
//              filter value that would match everything if spliced into SQL
//              must match nothing; LIKE wildcards must stay literal;
//   limits     a million-term query/filter and 10,000 nested parentheses
//              -> INVALID_ARGUMENT in under 3 s (a few ms unloaded);
//   tokens     real next_page_tokens of ListCables, ListCableEvents and
//              SearchCables (each search address) flipped, truncated,
//              replaced by garbage, reused with another filter/query/order
//              -> INVALID_ARGUMENT; forged tokens with a valid layout but
//              hostile field values -> OK or INVALID_ARGUMENT.
//  Never UNKNOWN, INTERNAL, UNAVAILABLE or UNIMPLEMENTED. Last: every
//  service answers grpc.health.v1 Check with SERVING.
//
//   malformed_probe --ingest A --metadata B --search C[,D...]
//                   --max_message_bytes N
// Exit status 1 when any case fails, 2 on usage errors.
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cables/v1/ingest_service.grpc.pb.h"
#include "cables/v1/metadata_service.grpc.pb.h"
#include "cables/v1/search_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "services/common/grpc_status.h"

ABSL_FLAG(std::string, ingest, "127.0.0.1:50051", "ingest address");
ABSL_FLAG(std::string, metadata, "127.0.0.1:50052", "metadata address");
ABSL_FLAG(std::string, search, "127.0.0.1:50053",
          "search address(es), comma-separated (e.g. one with the index, "
          "one SQL-only); typed search cases run against each");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "the services' --max_message_bytes (the oversize case sends more)");

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;
using Codes = std::set<grpc::StatusCode>;

std::string CodeNames(const Codes& codes) {
  std::vector<std::string> names;
  for (grpc::StatusCode c : codes)
    names.push_back(cables::GrpcCodeConstantName(c));
  return absl::StrJoin(names, "|");
}

// --- Calls -------------------------------------------------------------------

struct CallResult {
  grpc::Status status;
  std::vector<std::string> responses;  // serialized response messages
  absl::Duration elapsed;
};

// Waits for the one outstanding operation on `cq`; its `ok`.
bool Wait(grpc::CompletionQueue& cq) {
  void* tag = nullptr;
  bool ok = false;
  if (!cq.Next(&tag, &ok)) return false;
  return ok;
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

// One call of `path` that sends `request` (any bytes) as its only message,
// half-closes and reads every response until the server ends the call.
// Works for unary and streaming methods alike (a generic call is a stream).
CallResult Call(grpc::GenericStub& stub, const std::string& path,
                const std::string& request, absl::Duration deadline) {
  const absl::Time start = absl::Now();
  CallResult result;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(start + deadline));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&context, path, &cq);
  int tag = 0;
  call->StartCall(&tag);
  if (Wait(cq)) {
    grpc::Slice slice(request);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, &tag);
    if (Wait(cq)) {
      call->WritesDone(&tag);
      Wait(cq);
    }
  }
  grpc::ByteBuffer response;
  for (;;) {
    call->Read(&response, &tag);
    if (!Wait(cq)) break;
    result.responses.push_back(Flatten(response));
  }
  call->Finish(&result.status, &tag);
  Wait(cq);
  cq.Shutdown();
  void* ignored_tag;
  bool ignored_ok;
  while (cq.Next(&ignored_tag, &ignored_ok)) {
  }
  result.elapsed = absl::Now() - start;
  return result;
}

// --- Reporting
// -----------------------------------------------------------------

int g_cases = 0;
int g_failures = 0;
std::map<std::string, int> g_codes;  // "CODE" -> count, for the summary

// Prints one case; counts a failure when the code is not in `expected`, the
// call took longer than `max_time`, or `extra` (may be empty) says so.
bool Report(const std::string& method, const std::string& what,
            const CallResult& r, const Codes& expected,
            absl::Duration max_time = absl::Seconds(5),
            const std::string& extra_failure = "") {
  ++g_cases;
  const grpc::StatusCode code = r.status.error_code();
  ++g_codes[cables::GrpcCodeConstantName(code)];
  std::string why;
  if (expected.count(code) == 0) {
    why = absl::StrCat("expected ", CodeNames(expected));
  } else if (r.elapsed > max_time) {
    why = absl::StrCat("took ", absl::FormatDuration(r.elapsed), " > ",
                       absl::FormatDuration(max_time));
  } else if (!extra_failure.empty()) {
    why = extra_failure;
  }
  const bool ok = why.empty();
  if (!ok) ++g_failures;
  std::string message = r.status.error_message().substr(0, 100);
  for (char& c : message) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  const std::string quoted =
      message.empty() ? "" : absl::StrCat(" \"", message, "\"");
  const std::string failure = ok ? "" : absl::StrCat("  <-- ", why);
  std::printf(
      "%-4s %-44s %-40s -> %s%s [%s]%s\n", ok ? "ok" : "FAIL", method.c_str(),
      what.c_str(), cables::GrpcCodeConstantName(code), quoted.c_str(),
      absl::FormatDuration(absl::Trunc(r.elapsed, absl::Milliseconds(1)))
          .c_str(),
      failure.c_str());
  std::fflush(stdout);
  return ok;
}

// --- Messages
// ------------------------------------------------------------------

std::unique_ptr<Message> New(const Descriptor* type) {
  return std::unique_ptr<Message>(
      MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// A path to a string or bytes field: the message fields to descend through,
// then the field itself.
using FieldPath = std::vector<const FieldDescriptor*>;

void StringFields(const Descriptor* type, FieldPath prefix,
                  std::vector<FieldPath>* out) {
  if (prefix.size() > 3) return;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    FieldPath path = prefix;
    path.push_back(f);
    if (f->type() == FieldDescriptor::TYPE_STRING ||
        f->type() == FieldDescriptor::TYPE_BYTES) {
      out->push_back(path);
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      StringFields(f->message_type(), path, out);
    }
  }
}

std::string PathName(const FieldPath& path) {
  std::vector<std::string> names;
  for (const FieldDescriptor* f : path) names.push_back(f->name());
  return absl::StrJoin(names, ".");
}

// Sets the field at `path` (adding one element to repeated fields on the
// way) to `value`.
void SetPath(Message* message, const FieldPath& path,
             const std::string& value) {
  Message* m = message;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    const FieldDescriptor* f = path[i];
    m = f->is_repeated() ? m->GetReflection()->AddMessage(m, f)
                         : m->GetReflection()->MutableMessage(m, f);
  }
  const FieldDescriptor* f = path.back();
  if (f->is_repeated()) {
    m->GetReflection()->AddString(m, f, value);
  } else {
    m->GetReflection()->SetString(m, f, value);
  }
}

// --- The services
// ----------------------------------------------------------------

struct Service {
  const ServiceDescriptor* descriptor;
  std::string address;
  std::unique_ptr<grpc::GenericStub> stub;
};

std::string PathOf(const MethodDescriptor* m) {
  return absl::StrCat("/", m->service()->full_name(), "/", m->name());
}

// Deadline for a method's typed calls: WatchCables streams until the
// deadline by design (DEADLINE_EXCEEDED is its normal end).
absl::Duration DeadlineFor(const MethodDescriptor* m) {
  return m->name() == "WatchCables" ? absl::Seconds(1) : absl::Seconds(30);
}

const Codes kInvalid = {grpc::INVALID_ARGUMENT};
const Codes kDataOk = {grpc::OK, grpc::INVALID_ARGUMENT, grpc::NOT_FOUND};

// (a)-(d): raw bytes to every method.
void RawCases(Service& s, int max_message_bytes) {
  for (int i = 0; i < s.descriptor->method_count(); ++i) {
    const MethodDescriptor* m = s.descriptor->method(i);
    const std::string path = PathOf(m);
    const std::string name = m->full_name();
    const Descriptor* input = m->input_type();

    // (a) Not a protobuf: an over-long varint where a tag should be.
    Report(name, "raw: garbage bytes",
           Call(*s.stub, path, std::string(16, '\xff'), absl::Seconds(10)),
           kInvalid);

    // (b) A valid request cut inside its last field: a string field set to
    // 40 bytes (or an int64 to a 6-byte varint), minus its last 3 bytes.
    std::vector<FieldPath> strings;
    StringFields(input, {}, &strings);
    std::unique_ptr<Message> request = New(input);
    std::string what;
    if (!strings.empty()) {
      SetPath(request.get(), strings.front(), std::string(40, 'x'));
      what = PathName(strings.front());
    } else {
      for (int f = 0; f < input->field_count(); ++f) {
        const FieldDescriptor* field = input->field(f);
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_INT64 &&
            !field->is_repeated()) {
          request->GetReflection()->SetInt64(request.get(), field,
                                             int64_t{1} << 40);
          what = field->name();
          break;
        }
      }
    }
    if (!what.empty()) {
      std::string bytes = request->SerializeAsString();
      bytes.resize(bytes.size() - 3);
      Report(name, absl::StrCat("raw: truncated in ", what),
             Call(*s.stub, path, bytes, absl::Seconds(10)), kInvalid);
    } else {
      std::printf("n/a  %-44s raw: truncated (no string or int64 field)\n",
                  name.c_str());
    }

    // (c) Invalid UTF-8 in the first proto3 `string` field (bytes fields
    // may hold anything).
    const FieldPath* text = nullptr;
    for (const FieldPath& p : strings) {
      if (p.back()->type() == FieldDescriptor::TYPE_STRING) {
        text = &p;
        break;
      }
    }
    if (text != nullptr) {
      const std::string marker = "\x01MARKER\x01";
      std::unique_ptr<Message> utf8 = New(input);
      SetPath(utf8.get(), *text, marker);
      std::string bytes = utf8->SerializeAsString();
      const size_t at = bytes.find(marker);
      bytes.replace(at, marker.size(), "\xff\xfe\xc3\x28\xa0\xa1\xe2\x28\xa1");
      Report(name, absl::StrCat("raw: invalid UTF-8 in ", PathName(*text)),
             Call(*s.stub, path, bytes, absl::Seconds(10)), kInvalid);
    } else {
      std::printf("n/a  %-44s raw: invalid UTF-8 (no string field)\n",
                  name.c_str());
    }

    // (d) Over the size limit: a valid message (unknown field 1000, bytes)
    // 64 KiB over it.
    std::string big;
    const size_t payload = static_cast<size_t>(max_message_bytes) + (64 << 10);
    big.push_back(static_cast<char>(0xC2));  // tag: field 1000, type 2
    big.push_back(static_cast<char>(0x3E));
    size_t n = payload;
    while (n >= 0x80) {
      big.push_back(static_cast<char>((n & 0x7F) | 0x80));
      n >>= 7;
    }
    big.push_back(static_cast<char>(n));
    big.append(payload, 'z');
    Report(name, "raw: over max_message_bytes",
           Call(*s.stub, path, big, absl::Seconds(20)),
           {grpc::RESOURCE_EXHAUSTED});
  }
}

// SQL injection strings; one sleeps 10 s if it ever reaches SQL text.
const std::vector<std::pair<std::string, std::string>>& Injections() {
  static const auto* values =
      new std::vector<std::pair<std::string, std::string>>{
          {"drop", "'; DROP TABLE cables; --"},
          {"or-true", "\" OR 1=1 --"},
          {"quote-or", "x') OR ('1'='1"},
          {"backslash-x00", "\\x00"},
          {"nul", std::string("05ALMATY1595\0' OR '1'='1", 25)},
          {"dollar-quote", "$$; DELETE FROM cable_versions; $$"},
          {"like-comment", "%' --"},
          {"sleep", "1'); SELECT pg_sleep(10); --"},
      };
  return *values;
}

// Injection strings in every string/bytes field of every method's request.
void InjectionCases(Service& s) {
  for (int i = 0; i < s.descriptor->method_count(); ++i) {
    const MethodDescriptor* m = s.descriptor->method(i);
    std::vector<FieldPath> fields;
    StringFields(m->input_type(), {}, &fields);
    if (fields.empty()) {
      std::printf("n/a  %-44s sqli (no string field)\n",
                  m->full_name().c_str());
      continue;
    }
    // The time an empty request takes (VerifyFixity scans the archive):
    // an injected pg_sleep(10) would add 10 s to it.
    const absl::Duration baseline =
        Call(*s.stub, PathOf(m), "", DeadlineFor(m)).elapsed;
    const absl::Duration max_time = absl::Seconds(8) + 2 * baseline;
    for (const FieldPath& field : fields) {
      for (const auto& [label, value] : Injections()) {
        std::unique_ptr<Message> request = New(m->input_type());
        SetPath(request.get(), field, value);
        const CallResult r = Call(*s.stub, PathOf(m),
                                  request->SerializeAsString(), DeadlineFor(m));
        Report(m->full_name(),
               absl::StrCat("sqli ", PathName(field), " ", label), r, kDataOk,
               max_time);
      }
    }
  }
}

// --- Typed helpers
// -----------------------------------------------------------------

template <typename Response>
bool ParseFirst(const CallResult& r, Response* out) {
  return !r.responses.empty() && out->ParseFromString(r.responses.front());
}

// A token changed in the ways a client could: each must be refused.
std::vector<std::pair<std::string, std::string>> Tampered(
    const std::string& token) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string flipped = token;
  flipped[0] = flipped[0] == 'A' ? 'B' : 'A';  // changes the first byte
  out.push_back({"first byte flipped", flipped});
  out.push_back({"truncated to half", token.substr(0, token.size() / 2)});
  out.push_back({"not base64", "!!not*base64~~"});
  out.push_back(
      {"base64 of garbage", absl::WebSafeBase64Escape("hello|world")});
  out.push_back({"base64 of 64 KiB",
                 absl::WebSafeBase64Escape(std::string(64 << 10, '|'))});
  return out;
}

// The token's fields ('|' or ':' separated after base64) replaced one at a
// time by hostile values, re-encoded: a valid layout with bad contents.
std::vector<std::pair<std::string, std::string>> Forged(
    const std::string& token) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return out;
  const char separator = raw.find('|') != std::string::npos ? '|' : ':';
  const std::vector<std::string> parts = absl::StrSplit(raw, separator);
  const std::vector<std::pair<std::string, std::string>> values = {
      {"sqli", "'; DROP TABLE cables; --"},
      {"int64-max", "9223372036854775807"},
      {"int64-min", "-9223372036854775808"},
      {"not-a-number", "1e999x"},
      {"nan", "NaN"},
  };
  for (size_t i = 1; i < parts.size(); ++i) {
    for (const auto& [label, value] : values) {
      std::vector<std::string> changed = parts;
      changed[i] = value;
      out.push_back({absl::StrCat("field ", i, "=", label),
                     absl::WebSafeBase64Escape(
                         absl::StrJoin(changed, std::string(1, separator)))});
    }
  }
  return out;
}

// --- Metadata
// ------------------------------------------------------------------

void MetadataCases(Service& s) {
  const ServiceDescriptor* d = s.descriptor;
  const MethodDescriptor* list = d->FindMethodByName("ListCables");
  const MethodDescriptor* events = d->FindMethodByName("ListCableEvents");
  const MethodDescriptor* browse = d->FindMethodByName("BrowseCables");
  const MethodDescriptor* exporter = d->FindMethodByName("ExportCables");
  const auto list_call = [&](const cables::v1::ListCablesRequest& request) {
    return Call(*s.stub, PathOf(list), request.SerializeAsString(),
                absl::Seconds(30));
  };

  // Filter values that match everything if spliced into SQL, and LIKE
  // wildcards: OK with nothing found (or INVALID_ARGUMENT), never more.
  const std::vector<std::string> value_filters = {
      "origin = \"'; DROP TABLE cables; --\"",
      "origin = \"x' OR '1'='1\"",
      "origin:\"x' OR '1'='1' --\"",
      "origin:\"%\"",
      "origin:\"_\"",
      "origin:\"\\\\\"",
      "id = \"05ALMATY1595' OR '1'='1\"",
      "id:\"%\"",
      "tags:\"PGOV' OR '1'='1\"",
      "tags:\"PGOV\\\", \\\"PREL\"",
      "caveats:\"NOFORN'} OR true --\"",
      "classification:\"%\"",
      "NOT origin = \"$$\" AND origin = \"$$' OR 1=1 --\"",
  };
  for (const std::string& filter : value_filters) {
    cables::v1::ListCablesRequest request;
    request.set_filter(filter);
    const CallResult r = list_call(request);
    cables::v1::ListCablesResponse response;
    std::string extra;
    if (r.status.ok() && ParseFirst(r, &response) &&
        (response.cables_size() > 0 || response.total_size() > 0)) {
      extra = absl::StrCat("matched ", response.total_size(),
                           " cables: the value widened the query");
    }
    Report(list->full_name(), absl::StrCat("filter value: ", filter), r,
           {grpc::OK, grpc::INVALID_ARGUMENT}, absl::Seconds(5), extra);
  }
  // Filters and orders that are not the grammar.
  const std::vector<std::string> bad_filters = {
      "origin = \"x\" OR 1=1 --",
      "'; DROP TABLE cables; --",
      "origin = \"x\"); DELETE FROM cables; --",
      "created >= \"2005-01-01'; DROP TABLE cables; --\"",
      "created >= \"2005-01-01\" AND",
      "origin = ",
      "((((origin = \"x\"",
      "origin = \"unterminated",
      "subject = \"x\"",
      "origin <=> \"x\"",
  };
  for (const std::string& filter : bad_filters) {
    cables::v1::ListCablesRequest request;
    request.set_filter(filter);
    Report(list->full_name(), absl::StrCat("bad filter: ", filter),
           list_call(request), kInvalid);
  }
  for (const std::string order :
       {"created; DROP TABLE cables", "created desc, (SELECT 1)", "id' --",
        "created desc desc", "pg_sleep(10)", "1", "created asc, created"}) {
    cables::v1::ListCablesRequest request;
    request.set_order_by(order);
    Report(list->full_name(), absl::StrCat("bad order_by: ", order),
           list_call(request), kInvalid);
  }

  // Limits: a million terms, 10,000 nested parentheses.
  {
    std::string million;
    million.reserve(2'000'000);
    for (int i = 0; i < 1'000'000; ++i) million.append("x ");
    std::string nested =
        std::string(10'000, '(') + "origin = \"x\"" + std::string(10'000, ')');
    for (const auto& [label, filter] :
         std::vector<std::pair<std::string, std::string>>{
             {"filter of a million terms", million},
             {"filter nested 10,000 deep", nested}}) {
      cables::v1::ListCablesRequest request;
      request.set_filter(filter);
      Report(list->full_name(), label, list_call(request), kInvalid,
             absl::Seconds(3));
      cables::v1::BrowseCablesRequest browse_request;
      browse_request.set_filter(filter);
      Report(browse->full_name(), label,
             Call(*s.stub, PathOf(browse), browse_request.SerializeAsString(),
                  absl::Seconds(30)),
             kInvalid, absl::Seconds(3));
      cables::v1::ExportCablesRequest export_request;
      export_request.set_filter(filter);
      Report(exporter->full_name(), label,
             Call(*s.stub, PathOf(exporter), export_request.SerializeAsString(),
                  absl::Seconds(30)),
             kInvalid, absl::Seconds(3));
    }
  }

  // Page tokens of ListCables.
  cables::v1::ListCablesRequest first;
  first.set_page_size(2);
  first.set_filter("created >= \"2000-01-01\"");
  const CallResult page = list_call(first);
  cables::v1::ListCablesResponse page_response;
  if (!page.status.ok() || !ParseFirst(page, &page_response) ||
      page_response.next_page_token().empty()) {
    ++g_failures;
    std::printf("FAIL %-44s no next_page_token to tamper with (%s)\n",
                list->full_name().c_str(),
                cables::GrpcCodeConstantName(page.status.error_code()));
  } else {
    const std::string token = page_response.next_page_token();
    {
      cables::v1::ListCablesRequest request = first;
      request.set_page_token(token);
      Report(list->full_name(), "token: genuine (control)", list_call(request),
             {grpc::OK});
    }
    for (const auto& [label, bad] : Tampered(token)) {
      cables::v1::ListCablesRequest request = first;
      request.set_page_token(bad);
      Report(list->full_name(), absl::StrCat("token: ", label),
             list_call(request), kInvalid);
    }
    {
      cables::v1::ListCablesRequest request = first;
      request.set_page_token(token);
      request.set_filter("classification:\"SECRET\"");
      Report(list->full_name(), "token: reused with another filter",
             list_call(request), kInvalid);
      request = first;
      request.set_page_token(token);
      request.set_order_by("id");
      Report(list->full_name(), "token: reused with another order_by",
             list_call(request), kInvalid);
    }
    for (const auto& [label, forged] : Forged(token)) {
      cables::v1::ListCablesRequest request = first;
      request.set_page_token(forged);
      Report(list->full_name(), absl::StrCat("token forged: ", label),
             list_call(request), {grpc::OK, grpc::INVALID_ARGUMENT});
    }
  }
  {
    cables::v1::ListCablesRequest request;
    request.set_page_size(-1);
    Report(list->full_name(), "page_size -1", list_call(request), kInvalid);
  }

  // Page tokens of ListCableEvents.
  cables::v1::ListCableEventsRequest events_first;
  events_first.set_parent("cables/-");
  events_first.set_page_size(2);
  const auto events_call = [&](const cables::v1::ListCableEventsRequest& r) {
    return Call(*s.stub, PathOf(events), r.SerializeAsString(),
                absl::Seconds(30));
  };
  const CallResult events_page = events_call(events_first);
  cables::v1::ListCableEventsResponse events_response;
  if (!events_page.status.ok() || !ParseFirst(events_page, &events_response) ||
      events_response.next_page_token().empty()) {
    ++g_failures;
    std::printf("FAIL %-44s no next_page_token to tamper with (%s)\n",
                events->full_name().c_str(),
                cables::GrpcCodeConstantName(events_page.status.error_code()));
  } else {
    const std::string token = events_response.next_page_token();
    for (const auto& [label, bad] : Tampered(token)) {
      cables::v1::ListCableEventsRequest request = events_first;
      request.set_page_token(bad);
      Report(events->full_name(), absl::StrCat("token: ", label),
             events_call(request), kInvalid);
    }
    cables::v1::ListCableEventsRequest request = events_first;
    request.set_page_token(token);
    request.set_filter("outcome = FAILURE");
    Report(events->full_name(), "token: reused with another filter",
           events_call(request), kInvalid);
    for (const auto& [label, forged] : Forged(token)) {
      request = events_first;
      request.set_page_token(forged);
      Report(events->full_name(), absl::StrCat("token forged: ", label),
             events_call(request), {grpc::OK, grpc::INVALID_ARGUMENT});
    }
  }
}

// --- Search
// ------------------------------------------------------------------------

void SearchCases(Service& s) {
  const MethodDescriptor* search =
      s.descriptor->FindMethodByName("SearchCables");
  const std::string method = absl::StrCat(search->full_name(), "@", s.address);
  const auto search_call = [&](const cables::v1::SearchCablesRequest& r) {
    return Call(*s.stub, PathOf(search), r.SerializeAsString(),
                absl::Seconds(30));
  };
  std::string million;
  million.reserve(2'000'000);
  for (int i = 0; i < 1'000'000; ++i) million.append("a ");
  const std::vector<std::pair<std::string, std::string>> limits = {
      {"query of a million terms", million},
      {"query nested 10,000 deep",
       std::string(10'000, '(') + "embassy" + std::string(10'000, ')')},
      {"query nested 2,000 deep (< 4096 bytes)",
       std::string(2'000, '(') + "x" + std::string(2'000, ')')},
      {"query of 65 terms",
       [] {
         std::string q;
         for (int i = 0; i < 65; ++i) absl::StrAppend(&q, "w", i, " ");
         return q;
       }()},
      {"query with 4,000 unbalanced '('", std::string(4'000, '(')},
      {"query with 4,001 '\"' (one unterminated)", std::string(4'001, '"')},
  };
  for (const auto& [label, query] : limits) {
    cables::v1::SearchCablesRequest request;
    request.set_query(query);
    Report(method, label, search_call(request), kInvalid, absl::Seconds(3));
  }
  // Injection in the query language's values: nothing may match more
  // than a plain word would.
  for (const std::string query :
       {"tag:\"PGOV' OR '1'='1\"", "origin:\"x' OR '1'='1\"",
        "id:\"05ALMATY1595' OR '1'='1\"", "classification:\"%\"",
        "signer:\"x'); DROP TABLE cables; --\"", "id:\xc2\xbf*",
        "id:\xf4\x8f\xbf\xbf*", "created:2005-01..2005-13", "created>=99999",
        "subject:(\"'; DROP TABLE cables; --\")"}) {
    cables::v1::SearchCablesRequest request;
    request.set_query(query);
    const CallResult r = search_call(request);
    cables::v1::SearchCablesResponse response;
    std::string extra;
    if (r.status.ok() && ParseFirst(r, &response) &&
        response.total_size() > 0) {
      extra = absl::StrCat("matched ", response.total_size(), " cables");
    }
    Report(method, absl::StrCat("query value: ", query), r,
           {grpc::OK, grpc::INVALID_ARGUMENT}, absl::Seconds(5), extra);
  }
  for (const std::string order : {"created; DROP TABLE cables", "relevance'",
                                  "score desc", "created desc desc"}) {
    cables::v1::SearchCablesRequest request;
    request.set_query("embassy");
    request.set_order_by(order);
    Report(method, absl::StrCat("bad order_by: ", order), search_call(request),
           kInvalid);
  }

  // Page tokens.
  for (const std::string order : {"", "created"}) {
    cables::v1::SearchCablesRequest first;
    first.set_query("embassy");
    first.set_page_size(2);
    first.set_order_by(order);
    const std::string suffix = order.empty() ? "" : " (order created)";
    const CallResult page = search_call(first);
    cables::v1::SearchCablesResponse page_response;
    if (!page.status.ok() || !ParseFirst(page, &page_response) ||
        page_response.next_page_token().empty()) {
      ++g_failures;
      std::printf("FAIL %-44s no next_page_token to tamper with (%s)\n",
                  method.c_str(),
                  cables::GrpcCodeConstantName(page.status.error_code()));
      continue;
    }
    const std::string token = page_response.next_page_token();
    {
      cables::v1::SearchCablesRequest request = first;
      request.set_page_token(token);
      Report(method, absl::StrCat("token: genuine (control)", suffix),
             search_call(request), {grpc::OK});
    }
    for (const auto& [label, bad] : Tampered(token)) {
      cables::v1::SearchCablesRequest request = first;
      request.set_page_token(bad);
      Report(method, absl::StrCat("token: ", label, suffix),
             search_call(request), kInvalid);
    }
    cables::v1::SearchCablesRequest request = first;
    request.set_page_token(token);
    request.set_query("embassy OR consulate");
    Report(method, absl::StrCat("token: reused with another query", suffix),
           search_call(request), kInvalid);
    request = first;
    request.set_page_token(token);
    request.set_order_by(order.empty() ? "created" : "created desc");
    Report(method, absl::StrCat("token: reused with another order", suffix),
           search_call(request), kInvalid);
    for (const auto& [label, forged] : Forged(token)) {
      request = first;
      request.set_page_token(forged);
      Report(method, absl::StrCat("token forged: ", label, suffix),
             search_call(request), {grpc::OK, grpc::INVALID_ARGUMENT});
    }
  }
}

// grpc.health.v1 Check("") -> SERVING.
bool Healthy(const std::string& address) {
  grpc::GenericStub stub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  const CallResult r =
      Call(stub, "/grpc.health.v1.Health/Check", "", absl::Seconds(5));
  // HealthCheckResponse{status: SERVING} is field 1 = 1: "\x08\x01".
  const bool ok = r.status.ok() && r.responses.size() == 1 &&
                  r.responses[0] == std::string("\x08\x01", 2);
  std::printf(
      "%-4s %-44s health check -> %s\n", ok ? "ok" : "FAIL", address.c_str(),
      ok ? "SERVING" : cables::GrpcCodeConstantName(r.status.error_code()));
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  const std::vector<std::string> search_addresses =
      absl::StrSplit(absl::GetFlag(FLAGS_search), ',', absl::SkipEmpty());
  if (max_message_bytes <= 0 || search_addresses.empty()) {
    std::fprintf(stderr, "malformed_probe: see the header for the flags\n");
    return 2;
  }
  const absl::Time start = absl::Now();
  // Each service from the file of one of its messages (which also links the
  // generated descriptors in).
  const auto make = [](const ServiceDescriptor* d, const std::string& address) {
    Service s;
    s.descriptor = d;
    s.address = address;
    s.stub = std::make_unique<grpc::GenericStub>(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    return s;
  };
  std::vector<Service> services;
  services.push_back(make(
      cables::v1::IngestCableRequest::descriptor()->file()->FindServiceByName(
          "IngestService"),
      absl::GetFlag(FLAGS_ingest)));
  services.push_back(
      make(cables::v1::GetCableRequest::descriptor()->file()->FindServiceByName(
               "MetadataService"),
           absl::GetFlag(FLAGS_metadata)));
  std::vector<Service> searches;
  for (const std::string& address : search_addresses) {
    searches.push_back(make(cables::v1::SearchCablesRequest::descriptor()
                                ->file()
                                ->FindServiceByName("SearchService"),
                            address));
  }
  for (const Service& s : services) {
    if (s.descriptor == nullptr) {
      std::fprintf(stderr,
                   "malformed_probe: a service descriptor is missing\n");
      return 2;
    }
  }
  if (searches[0].descriptor == nullptr) return 2;

  int methods = 0;
  for (Service& s : services) {
    methods += s.descriptor->method_count();
    RawCases(s, max_message_bytes);
    InjectionCases(s);
  }
  methods += searches[0].descriptor->method_count();
  RawCases(searches[0], max_message_bytes);
  for (Service& s : searches) InjectionCases(s);
  MetadataCases(services[1]);
  for (Service& s : searches) SearchCases(s);

  bool healthy = true;
  for (const Service& s : services) healthy &= Healthy(s.address);
  for (const Service& s : searches) healthy &= Healthy(s.address);
  if (!healthy) ++g_failures;

  std::vector<std::string> codes;
  for (const auto& [code, n] : g_codes)
    codes.push_back(absl::StrCat(code, " ", n));
  std::printf(
      "%d methods, %d cases, %d failures, services %s; codes: %s; %s\n",
      methods, g_cases, g_failures, healthy ? "alive" : "NOT ALL ALIVE",
      absl::StrJoin(codes, ", ").c_str(),
      absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Seconds(1)))
          .c_str());
  return g_failures == 0 && methods > 0 ? 0 : 1;
}
