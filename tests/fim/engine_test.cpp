// The engine driven step by step: a fake stream whose pieces and endings the test chooses, and
// a clock that moves only when the test moves it. No sockets, no sleeps.
#include "fimlsp/fim/engine.hpp"
#include "support/fake_stream.hpp"
#include "support/manual_clock.hpp"
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using fim::Reason;

namespace {

fim::Settings remote() {
  return fim::Settings{}; // the default endpoint: remote, needs a key
}

fim::Settings with(std::function<void(fim::Settings&)> change) {
  fim::Settings s = remote();
  change(s);
  return s;
}

// The answers one request got (exactly one, if any).
struct Asked {
  fim::Engine::Ticket ticket = 0;
  std::shared_ptr<std::vector<fim::Completion>> answers = std::make_shared<std::vector<fim::Completion>>();
  bool answered() const { return !answers->empty(); }
  Reason reason() const { return answers->at(0).reason; }
  std::string text() const { return answers->at(0).text; }
};

struct Harness {
  explicit Harness(const fim::Settings& settings = remote(), std::string key = "sk-test") {
    engine = std::make_unique<fim::Engine>(
        io.get_executor(),
        fim::Reporter{[this](fim::Severity, std::string_view line) { logs.emplace_back(line); },
                      [this](std::string_view message) { told.emplace_back(message); }},
        stream, clock);
    engine->configure(settings, std::move(key));
    settle();
  }

  // Runs what is ready to run (coroutines resumed by a push, an end or a cancellation).
  void settle() {
    io.restart();
    io.poll();
  }

  // Moves the clock, letting the executor run after each alarm as it would between timers.
  void advance(std::chrono::milliseconds d) {
    const auto until = clock.now() + d;
    while (auto next = clock.next_alarm()) {
      if (*next > until) break;
      clock.advance_to(*next);
      settle();
    }
    clock.advance_to(until);
    settle();
  }

  Asked ask(std::string prefix, std::string document = "file:///a.py", std::string suffix = "") {
    Asked a;
    auto answers = a.answers;
    a.ticket = engine->complete({std::move(document), std::move(prefix), std::move(suffix), ""},
                                [answers](fim::Completion c) { answers->push_back(std::move(c)); });
    settle();
    return a;
  }

  void push(std::size_t i, std::string piece) {
    stream.push(i, std::move(piece));
    settle();
  }
  void end(std::size_t i, fim::StreamOutcome outcome = {}) {
    stream.end(i, std::move(outcome));
    settle();
  }

  asio::io_context io;
  ManualClock clock;
  FakeStream stream{io.get_executor()};
  std::vector<std::string> logs, told;
  std::unique_ptr<fim::Engine> engine;
};

} // namespace

TEST_SUITE("engine") {

  TEST_CASE("a request streams its plan with the key and is answered with the cleaned text") {
    Harness h;
    auto a = h.ask("x = ");
    REQUIRE(h.stream.size() == 1);
    CHECK(h.stream[0].plan.prefix == "x = ");
    CHECK(h.stream[0].api_key == "sk-test");
    h.push(0, "42");
    CHECK_FALSE(a.answered());
    h.end(0);
    REQUIRE(a.answers->size() == 1);
    CHECK(a.reason() == Reason::suggested);
    CHECK(a.text() == "42");
    // White space only is nothing to show.
    h.advance(200ms);
    auto b = h.ask("y = ");
    h.push(1, "  \n");
    h.end(1);
    CHECK(b.reason() == Reason::nothing);
    CHECK(b.text() == "");
  }

  TEST_CASE("supersede: the older request is answered at once, its stream aborted after the grace") {
    Harness h;
    auto older = h.ask("first");
    auto other_doc = h.ask("elsewhere", "file:///b.py");
    REQUIRE(h.stream.size() == 2);
    auto newer = h.ask("second");
    REQUIRE(older.answers->size() == 1);
    CHECK(older.reason() == Reason::superseded);
    CHECK_FALSE(other_doc.answered()); // another document is not superseded
    h.advance(1ms);
    CHECK_FALSE(h.stream[0].cancelled);
    h.advance(1ms);
    CHECK(h.stream[0].cancelled);
    CHECK(h.stream[0].ended);
    CHECK_FALSE(h.stream[1].cancelled);
    REQUIRE(h.stream.size() == 3); // the newer request's own (after its 1 ms debounce)
    CHECK(h.stream[2].plan.prefix == "second");
    h.push(2, "!");
    h.end(2);
    CHECK(newer.text() == "!");
    CHECK(older.answers->size() == 1);
  }

  TEST_CASE("cancel(ticket): never answered; the stream aborted after the grace unless another rides it") {
    Harness h;
    auto a = h.ask("abc");
    h.engine->cancel(a.ticket);
    h.advance(1ms);
    CHECK_FALSE(h.stream[0].cancelled);
    h.advance(1ms);
    CHECK(h.stream[0].cancelled);
    CHECK_FALSE(a.answered());

    auto b = h.ask("def", "file:///b.py");
    h.advance(200ms);
    auto c = h.ask("defg", "file:///b.py"); // typing into b's stream: b superseded, c rides
    CHECK(b.reason() == Reason::superseded);
    h.engine->cancel(b.ticket); // already answered: nothing happens
    h.advance(10ms);
    CHECK_FALSE(h.stream[1].cancelled);
    h.push(1, "ghi");
    h.end(1);
    CHECK(c.text() == "hi");
    CHECK(h.stream.size() == 2);
    CHECK(b.answers->size() == 1);
  }

  TEST_CASE("document_changed and document_closed answer cancelled at once and abort the stream") {
    Harness h;
    auto a = h.ask("abc");
    auto b = h.ask("xyz", "file:///b.py");
    h.engine->document_changed("file:///a.py");
    REQUIRE(a.answered());
    CHECK(a.reason() == Reason::cancelled);
    CHECK_FALSE(b.answered());
    h.engine->document_closed("file:///b.py");
    CHECK(b.reason() == Reason::cancelled);
    h.advance(2ms);
    CHECK(h.stream[0].cancelled);
    CHECK(h.stream[1].cancelled);
    CHECK(h.stream.running() == 0);
  }

  TEST_CASE("typed-ahead: typing the start of a suggestion is answered from the cache, no new stream") {
    Harness h;
    auto a = h.ask("def f():\n    ");
    h.push(0, "return 42");
    h.end(0);
    CHECK(a.text() == "return 42");
    h.advance(10ms);
    auto b = h.ask("def f():\n    ret");
    REQUIRE(b.answered());
    CHECK(b.reason() == Reason::suggested);
    CHECK(b.text() == "urn 42");
    auto c = h.ask("def f():\n    return 42"); // nothing left of it: a stream of its own
    h.advance(50ms);
    CHECK_FALSE(c.answered());
    CHECK(h.stream.size() == 2);
  }

  TEST_CASE("in-flight reuse: typing what the stream is producing is served by it") {
    Harness h;
    auto a = h.ask("ab");
    h.push(0, "cd");
    auto b = h.ask("abc");
    CHECK(a.reason() == Reason::superseded);
    h.advance(50ms);
    CHECK(h.stream.size() == 1);
    CHECK_FALSE(h.stream[0].cancelled);
    h.push(0, "ef");
    h.end(0);
    REQUIRE(b.answered());
    CHECK(b.text() == "def");
    // Typing ahead of what has streamed so far also waits for it.
    auto c = h.ask("xy", "file:///b.py");
    h.push(1, "z");
    auto d = h.ask("xyz12", "file:///b.py");
    h.push(1, "12");
    h.push(1, "34");
    h.end(1);
    CHECK(d.text() == "34");
    CHECK(h.stream.size() == 2);
  }

  TEST_CASE("divergence: a new stream for the request, the old one aborted after the grace") {
    Harness h;
    auto a = h.ask("ab");
    h.advance(10ms);
    auto b = h.ask("abc"); // rides stream 0, which has no text yet; 10 ms gap → 16 ms debounce
    CHECK(h.stream.size() == 1);
    h.push(0, "xy");
    CHECK(h.stream.size() == 1);
    h.advance(1ms);
    CHECK_FALSE(h.stream[0].cancelled);
    h.advance(1ms);
    CHECK(h.stream[0].cancelled);
    h.advance(13ms);
    CHECK(h.stream.size() == 1);
    h.advance(1ms); // 16 ms after b arrived
    REQUIRE(h.stream.size() == 2);
    CHECK(h.stream[1].plan.prefix == "abc");
    h.push(1, "d");
    h.end(1);
    CHECK(b.text() == "d");
  }

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

  TEST_CASE("no key for a remote endpoint: answered no_key, the user told once; loopback needs none") {
    Harness h(remote(), "");
    CHECK(h.stream.prewarms == 0);
    auto a = h.ask("abc");
    auto b = h.ask("abcd");
    CHECK(a.reason() == Reason::no_key);
    CHECK(b.reason() == Reason::no_key);
    CHECK(h.stream.size() == 0);
    REQUIRE(h.told.size() == 1);
    CHECK(h.told[0].find("DASHSCOPE_API_KEY") != std::string::npos);

    Harness local(with([](fim::Settings& s) { s.endpoint.baseUrl = "http://127.0.0.1:8080/v1"; }), "");
    CHECK(local.stream.prewarms == 1);
    local.ask("abc");
    REQUIRE(local.stream.size() == 1);
    CHECK(local.stream[0].api_key == "");
  }

  TEST_CASE("an endpoint the stream refuses: answered config, the user told once") {
    Harness h;
    h.stream.configure_error = fim::error::config;
    h.stream.configure_diagnostics = "caFile /nowhere.pem: cannot be read";
    h.engine->configure(remote(), "sk-test");
    auto a = h.ask("abc");
    CHECK(a.reason() == Reason::config);
    h.ask("abcd");
    REQUIRE(h.told.size() == 1);
    CHECK(h.told[0].find("/nowhere.pem") != std::string::npos);
    CHECK(h.stream.size() == 0);
  }

  TEST_CASE("destroying the engine: streams aborted, alarms dropped, nothing called back afterwards") {
    Harness h;
    auto streaming = h.ask("abc");
    h.push(0, "d");
    h.ask("xyz", "file:///b.py");
    auto debounced = h.ask("xy", "file:///b.py"); // superseded the one before: an orphan check is due
    CHECK(h.clock.alarms() == 2);                 // the debounce and the orphan check
    // A stream started but not yet running when the engine goes.
    auto unstarted = std::make_shared<std::vector<fim::Completion>>();
    h.engine->complete({"file:///c.py", "q", "", ""},
                       [unstarted](fim::Completion c) { unstarted->push_back(c); });
    REQUIRE(h.stream.size() == 2);

    h.engine.reset();
    CHECK(h.clock.alarms() == 0);
    CHECK(h.stream[0].cancelled);
    CHECK(h.stream[1].cancelled);
    h.push(0, "e");
    h.end(0);
    h.advance(1s);
    CHECK(h.stream.size() == 2);
    CHECK(h.stream.running() == 0);
    CHECK_FALSE(streaming.answered());
    CHECK_FALSE(debounced.answered());
    CHECK(unstarted->empty());
  }

  TEST_CASE("a stream aborted before its coroutine first ran is never started") {
    Harness h;
    auto ignore = [](fim::Completion) {};
    h.engine->complete({"file:///a.py", "abc", "", ""}, ignore);
    h.engine->complete({"file:///a.py", "x", "", ""}, ignore); // supersedes; its own stream after 1 ms
    h.clock.advance_to(h.clock.now() + 2ms);                   // the orphan check, before the executor ran
    h.settle();
    REQUIRE(h.stream.size() == 1);
    CHECK(h.stream[0].plan.prefix == "x");
  }

  // As Boost.MySQL's check_network_errors: one scenario, run once per step with the stream
  // failing at that step. Every request is answered exactly once and the next one streams anew.
  TEST_CASE("a stream failing at each step of typing into it") {
    const std::vector<std::pair<fim::StreamOutcome, Reason>> faults{
        {failed(fim::error::network), Reason::failure},
        {failed(fim::error::malformed), Reason::failure},
        {failed(fim::error::timeout), Reason::timeout},
        {failed(fim::error::cancelled), Reason::cancelled},
        {http_status(500), Reason::failure},
    };
    constexpr int kSteps = 5; // the last run has no fault
    for (const auto& [fault, reason] : faults) {
      for (int step = 0; step <= kSteps; ++step) {
        CAPTURE(fault.message);
        CAPTURE(step);
        Harness h;
        std::vector<Asked> asked;
        auto fault_at = [&](int s) {
          if (s == step) h.end(0, fault);
          return s == step;
        };
        const bool faulted = [&] {
          asked.push_back(h.ask("ab"));
          if (fault_at(0)) return true;
          h.push(0, "c");
          if (fault_at(1)) return true;
          h.advance(10ms);
          asked.push_back(h.ask("abc"));
          if (fault_at(2)) return true;
          h.push(0, "de");
          if (fault_at(3)) return true;
          h.push(0, "f");
          if (fault_at(4)) return true;
          h.end(0);
          return false;
        }();
        CHECK(h.stream.size() == 1);
        CHECK(h.stream.running() == 0);
        for (std::size_t i = 0; i + 1 < asked.size(); ++i)
          CHECK(asked[i].reason() == Reason::superseded);
        for (auto& a : asked)
          CHECK(a.answers->size() == 1);
        CHECK(asked.back().reason() == (faulted ? reason : Reason::suggested));
        CHECK(asked.back().text() == (faulted ? "" : "def"));
        auto next = h.ask("x", "file:///b.py");
        REQUIRE(h.stream.size() == 2);
        h.push(1, "yz");
        h.end(1);
        CHECK(next.text() == "yz");
        h.advance(1s);
        CHECK(h.clock.alarms() == 0);
      }
    }
  }
}

} // namespace fimlsp::test
