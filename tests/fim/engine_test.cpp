// The engine driven step by step: a fake stream whose pieces and endings the test chooses, and
// a clock that moves only when the test moves it. No sockets, no sleeps.
#include "support/engine_harness.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

using namespace std::chrono_literals;
using fim::Reason;

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

  TEST_CASE("no key for a remote endpoint: answered no_key, the user told once; loopback needs none") {
    Harness h(remote(), "");
    h.engine->prewarm(); // a document opened: no key, so nothing to warm
    CHECK(h.stream.prewarms == 0);
    auto a = h.ask("abc");
    auto b = h.ask("abcd");
    CHECK(a.reason() == Reason::no_key);
    CHECK(b.reason() == Reason::no_key);
    CHECK(h.stream.size() == 0);
    REQUIRE(h.told.size() == 1);
    CHECK(h.told[0].find("DASHSCOPE_API_KEY") != std::string::npos);

    Harness local(with([](fim::Settings& s) { s.endpoint.baseUrl = "http://127.0.0.1:8080/v1"; }), "");
    CHECK(local.stream.prewarms == 0); // nothing open yet
    local.engine->prewarm();
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
