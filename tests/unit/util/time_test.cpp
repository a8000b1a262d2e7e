#include "sp/util/time.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using sp::util::format_duration;
using sp::util::parse_duration;

TEST_CASE("durations are read in the units people type", "[util][time]") {
  CHECK(parse_duration("90").value() == 90s);
  CHECK(parse_duration("90s").value() == 90s);
  CHECK(parse_duration("2m").value() == 2min);
  CHECK(parse_duration("1h30m").value() == 90min);
  CHECK(parse_duration("500ms").value() == 500ms);
  CHECK(parse_duration("1d").value() == 24h);
  CHECK(parse_duration("1m30s250ms").value() == 90250ms);
  CHECK(parse_duration("0s").value() == 0ms);
}

TEST_CASE("malformed durations are usage errors", "[util][time]") {
  for (const char* text : {"", "s", "-5s", "5x", "1h30", "1.5h", "m5", "99999999999999999999s", " 5s"}) {
    INFO(text);
    auto parsed = parse_duration(text);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().kind() == sp::ErrorKind::usage);
  }
}

TEST_CASE("durations are printed so they read back the same", "[util][time]") {
  CHECK(format_duration(0ms) == "0s");
  CHECK(format_duration(850ms) == "850ms");
  CHECK(format_duration(90s) == "1m30s");
  CHECK(format_duration(30min) == "30m");
  CHECK(format_duration(25h) == "1d1h");
  for (std::chrono::milliseconds d : {1ms, 61000ms, 3601001ms, 86400000ms})
    CHECK(parse_duration(format_duration(d)).value() == d);
}

TEST_CASE("timestamps are ISO 8601 in UTC", "[util][time]") {
  CHECK(sp::util::format_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(sp::util::format_utc(1714564800123) == "2024-05-01T12:00:00Z");
}
