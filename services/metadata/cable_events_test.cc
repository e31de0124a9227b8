#include "services/metadata/cable_events.h"

#include "gtest/gtest.h"
#include "services/common/error_details.h"

namespace cables::metadata {
namespace {

TEST(ParseEventFilterTest, EmptyFilterKeepsEverything) {
  storage::ListEventsRequest r;
  ASSERT_TRUE(ParseEventFilter("  ", &r).ok());
  EXPECT_FALSE(r.type.has_value());
  EXPECT_FALSE(r.success.has_value());
  EXPECT_EQ(r.version, 0);
}

TEST(ParseEventFilterTest, EnumNamesPremisNamesAndConjunctions) {
  storage::ListEventsRequest r;
  ASSERT_TRUE(
      ParseEventFilter(
          "event_type = FIXITY_CHECK AND outcome=failure AND version = 2", &r)
          .ok());
  EXPECT_EQ(r.type, storage::EventType::kFixityCheck);
  EXPECT_EQ(r.success, false);
  EXPECT_EQ(r.version, 2);

  storage::ListEventsRequest q;
  ASSERT_TRUE(
      ParseEventFilter("event_type = \"message digest calculation\"", &q).ok());
  EXPECT_EQ(q.type, storage::EventType::kMessageDigestCalculation);
}

TEST(ParseEventFilterTest, RejectsWhatItDoesNotUnderstand) {
  for (const char* bad :
       {"event_type = SHREDDING", "outcome = MAYBE", "version = 0", "agent = x",
        "event_type FIXITY_CHECK", "outcome = SUCCESS OR x = y",
        "event_type = \"unclosed", "version =", "= 3"}) {
    storage::ListEventsRequest r;
    const absl::Status s = ParseEventFilter(bad, &r);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    cables::v1::BadRequest details;
    ASSERT_TRUE(GetBadRequest(s, &details)) << bad;
    EXPECT_EQ(details.field_violations(0).field(), "filter");
  }
}

TEST(ToProtoEventTest, CarriesEveryField) {
  storage::CableEvent e;
  e.event_id = 42;
  e.canonical_id = "05ALMATY1595";
  e.version = 3;
  e.type = storage::EventType::kValidation;
  e.time = absl::FromUnixSeconds(1700000000);
  e.success = false;
  e.detail = "bag invalid";
  e.agent = "cables-ingest 0.1.0";
  const cables::v1::CableEvent p = ToProtoEvent(e);
  EXPECT_EQ(p.name(), "cables/05ALMATY1595/events/42");
  EXPECT_EQ(p.event_type(), cables::v1::CableEvent::VALIDATION);
  EXPECT_EQ(p.outcome(), cables::v1::CableEvent::FAILURE);
  EXPECT_EQ(p.event_time().seconds(), 1700000000);
  EXPECT_EQ(p.version(), 3);
  EXPECT_EQ(p.event_id(), 42);
  EXPECT_EQ(p.agent(), "cables-ingest 0.1.0");
  EXPECT_EQ(p.outcome_detail(), "bag invalid");
}

TEST(EventTypeNameTest, RoundTripsEveryPremisType) {
  for (int t = 1; t <= 6; ++t) {
    const auto type = static_cast<storage::EventType>(t);
    EXPECT_EQ(storage::EventTypeFromName(storage::EventTypeName(type)), type);
    // The proto enum uses the same numbers.
    EXPECT_TRUE(cables::v1::CableEvent::EventType_IsValid(t));
  }
  EXPECT_FALSE(storage::EventTypeFromName("shredding").has_value());
}

}  // namespace
}  // namespace cables::metadata
