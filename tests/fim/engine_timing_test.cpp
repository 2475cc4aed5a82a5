// The engine's timing on the manual clock: debounce, backoff after 429/503, deadlines.
#include "support/engine_harness.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

using namespace std::chrono_literals;
using fim::Reason;

TEST_SUITE("engine") {

  TEST_CASE("debounce auto: none after a pause; in a burst 1.5 x the average gap + 1 ms, at most 45 ms") {
    Harness h;
    // Backspacing: no request can ride an earlier stream.
    h.ask("abcdef");
    CHECK(h.stream.size() == 1); // the first request: at once
    h.advance(20ms);
    h.ask("abcde"); // gap 20 → 31 ms
    h.advance(30ms);
    CHECK(h.stream.size() == 1);
    h.advance(1ms);
    CHECK(h.stream.size() == 2);
    h.advance(9ms);
    h.ask("abcd"); // gap 40, average 30 → 46 → 45 ms
    h.advance(44ms);
    CHECK(h.stream.size() == 2);
    h.advance(1ms);
    CHECK(h.stream.size() == 3);
    h.advance(150ms);
    h.ask("abc"); // a pause: at once
    CHECK(h.stream.size() == 4);
    h.advance(200ms);
    h.ask("ab", "file:///b.py"); // another document has its own rhythm
    h.advance(5ms);
    h.ask("a");
    CHECK(h.stream.size() == 6);
  }

  TEST_CASE("debounce fixed: every request waits debounceMs") {
    Harness h(with([](fim::Settings& s) { s.debounceMs = 80; }));
    auto a = h.ask("abc");
    h.advance(79ms);
    CHECK(h.stream.size() == 0);
    h.advance(1ms);
    CHECK(h.stream.size() == 1);
    h.advance(500ms);
    h.ask("ab");
    h.advance(79ms);
    CHECK(h.stream.size() == 1);
    h.advance(1ms);
    CHECK(h.stream.size() == 2);
    CHECK(a.reason() == Reason::superseded);
  }

  TEST_CASE("backoff: 429 waits Retry-After, else 1 s; 503 waits only when told") {
    struct Case {
      fim::StreamOutcome outcome;
      std::chrono::milliseconds wait;
    };
    for (const auto& [outcome, wait] :
         {Case{http_status(429), 1000ms}, Case{http_status(429, 3000ms), 3000ms},
          Case{http_status(503, 2000ms), 2000ms}, Case{http_status(503), 0ms}}) {
      CAPTURE(outcome.status);
      CAPTURE(wait.count());
      Harness h;
      auto a = h.ask("abc");
      h.end(0, outcome);
      CHECK(a.reason() == Reason::failure);
      if (wait > 0ms) {
        h.advance(wait - 1ms);
        auto b = h.ask("abcd");
        CHECK(b.reason() == Reason::backoff);
        CHECK(h.stream.size() == 1);
        h.advance(1ms);
      }
      auto c = h.ask("xyz", "file:///b.py");
      CHECK_FALSE(c.answered());
      CHECK(h.stream.size() == 2);
    }
  }

  TEST_CASE("deadline: arrival + timeoutMs - min(50 ms, 10 %), also for a debounced request") {
    for (auto [timeout, margin] : {std::pair{5000, 50ms}, std::pair{300, 30ms}}) {
      CAPTURE(timeout);
      Harness h(with([timeout = timeout](fim::Settings& s) { s.endpoint.timeoutMs = timeout; }));
      const auto arrived = h.clock.now();
      h.ask("abc");
      REQUIRE(h.stream.size() == 1);
      CHECK(h.stream[0].deadline == arrived + std::chrono::milliseconds(timeout) - margin);
      h.advance(10ms);
      const auto second = h.clock.now();
      h.ask("ab"); // debounced 16 ms
      h.advance(16ms);
      REQUIRE(h.stream.size() == 2);
      CHECK(h.stream[1].deadline == second + std::chrono::milliseconds(timeout) - margin);
    }
  }

  // The editor's request is answered within timeoutMs of its arrival: a stream of its own is never
  // started past the request's deadline.
  TEST_CASE("deadline: a request debounced past its deadline is answered timeout then, with no stream") {
    Harness h(with([](fim::Settings& s) {
      s.debounceMs = 100;
      s.endpoint.timeoutMs = 50; // deadline 45 ms after arrival
    }));
    auto a = h.ask("abc");
    h.advance(44ms);
    CHECK_FALSE(a.answered());
    h.advance(1ms);
    REQUIRE(a.answered());
    CHECK(a.reason() == Reason::timeout);
    h.advance(100ms);
    CHECK(h.stream.size() == 0);
  }

  TEST_CASE("deadline: a request whose typing diverged after its deadline is answered timeout, no stream") {
    Harness h;
    h.ask("ab"); // a stream with 4950 ms to go
    h.engine->configure(with([](fim::Settings& s) { s.endpoint.timeoutMs = 300; }), "sk-test");
    h.advance(10ms);
    auto b = h.ask("abc"); // rides it; its own deadline: 270 ms from now
    h.advance(200ms);
    h.push(0, "xy"); // diverged in time: a stream of its own, with b's deadline
    h.advance(1ms);
    REQUIRE(h.stream.size() == 2);
    CHECK(h.stream[1].plan.prefix == "abc");
    CHECK(h.stream[1].deadline == h.clock.now() - 201ms + 270ms);
    CHECK_FALSE(b.answered());

    auto d = h.ask("pq", "file:///d.py"); // a stream with 270 ms to go
    h.advance(10ms);
    auto e = h.ask("pqr", "file:///d.py"); // rides it
    h.advance(300ms);                      // past e's deadline; the stream has not noticed its own
    REQUIRE(h.stream.size() == 3);
    h.push(2, "zz");
    REQUIRE(e.answered());
    CHECK(e.reason() == Reason::timeout);
    h.advance(100ms);
    CHECK(h.stream.size() == 3);
  }
}

} // namespace fimlsp::test
