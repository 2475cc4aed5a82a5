#include "fimlsp/fim/providers/retry_after.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::fim;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

TEST_CASE("Retry-After: delta-seconds, HTTP-dates, retry-after-ms; garbage ignored, the wait bounded") {
  // 1994-11-06 08:49:37 UTC, the RFC's example date.
  const auto now = std::chrono::system_clock::from_time_t(784111777);
  struct Case {
    const char* ms;
    const char* value;
    std::optional<milliseconds> wait;
  };
  for (const Case& c : {
           Case{"", "", std::nullopt},
           Case{"", "0", 0ms},
           Case{"", "2", 2000ms},
           Case{"", " 7 ", 7000ms},
           Case{"", "1.5", 1500ms},
           Case{"", "59", 59000ms},
           Case{"", "61", kMaxRetryAfter},
           Case{"", "99999999999", kMaxRetryAfter},
           Case{"", "184467440737095516160000", kMaxRetryAfter},
           Case{"", "1e300", std::nullopt},
           Case{"", "inf", std::nullopt},
           Case{"", "nan", std::nullopt},
           Case{"", "-5", std::nullopt},
           Case{"", "+5", std::nullopt},
           Case{"", "soon", std::nullopt},
           Case{"", "5s", std::nullopt},
           Case{"", "Sun, 06 Nov 1994 08:49:47 GMT", 10000ms},
           Case{"", "Sunday, 06-Nov-94 08:49:57 GMT", 20000ms},
           Case{"", "Sun Nov  6 08:50:07 1994", 30000ms},
           Case{"", "Sun, 06 Nov 1994 08:49:00 GMT", 0ms},
           Case{"", "Sat, 01 Jan 1000 00:00:00 GMT", 0ms},
           Case{"", "Fri, 31 Dec 9999 23:59:59 GMT", kMaxRetryAfter},
           Case{"", "Sun, 06 Nov 1994 08:49:47 PST", std::nullopt},
           Case{"250", "30", 250ms},
           Case{"1e9", "3", 3000ms},
           Case{"999999999999999", "", kMaxRetryAfter},
           Case{"-1", "", std::nullopt},
       }) {
    CAPTURE(c.ms);
    CAPTURE(c.value);
    CHECK(parse_retry_after(c.ms, c.value, now) == c.wait);
  }
}
