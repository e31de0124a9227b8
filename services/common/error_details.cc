#include "services/common/error_details.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace cables {
namespace {

template <typename Message>
bool ReadPayload(const absl::Status& status, absl::string_view type_url,
                 Message* out) {
  const auto payload = status.GetPayload(type_url);
  if (!payload.has_value()) return false;
  return out->ParseFromString(std::string(*payload));
}

template <typename Message>
void WritePayload(absl::Status* status, absl::string_view type_url,
                  const Message& message) {
  status->SetPayload(type_url, absl::Cord(message.SerializeAsString()));
}

}  // namespace

absl::Status InvalidField(absl::string_view field,
                          absl::string_view description) {
  absl::Status status =
      absl::InvalidArgumentError(absl::StrCat(field, ": ", description));
  AddFieldViolation(&status, field, description);
  return status;
}

void AddFieldViolation(absl::Status* status, absl::string_view field,
                       absl::string_view description) {
  cables::v1::BadRequest bad_request;
  ReadPayload(*status, kBadRequestTypeUrl, &bad_request);
  auto* violation = bad_request.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
  WritePayload(status, kBadRequestTypeUrl, bad_request);
}

void SetErrorReason(absl::Status* status, absl::string_view reason) {
  cables::v1::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  WritePayload(status, kErrorInfoTypeUrl, info);
}

void SetRetryDelay(absl::Status* status, absl::Duration delay) {
  cables::v1::RetryInfo info;
  const int64_t nanos = absl::ToInt64Nanoseconds(delay);
  info.mutable_retry_delay()->set_seconds(nanos / 1000000000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
  WritePayload(status, kRetryInfoTypeUrl, info);
}

bool GetBadRequest(const absl::Status& status, cables::v1::BadRequest* out) {
  return ReadPayload(status, kBadRequestTypeUrl, out);
}
bool GetErrorInfo(const absl::Status& status, cables::v1::ErrorInfo* out) {
  return ReadPayload(status, kErrorInfoTypeUrl, out);
}
bool GetRetryInfo(const absl::Status& status, cables::v1::RetryInfo* out) {
  return ReadPayload(status, kRetryInfoTypeUrl, out);
}

}  // namespace cables
