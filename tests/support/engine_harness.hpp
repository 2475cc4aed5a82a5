#pragma once
// The engine under test with its fakes: a FakeStream, a ManualClock and an io_context that runs
// only when the test lets it. Requests record their answers.
#include "fimlsp/fim/engine.hpp"
#include "support/fake_stream.hpp"
#include "support/manual_clock.hpp"
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fimlsp::test {

inline fim::Settings remote() {
  return fim::Settings{}; // the default endpoint: remote, needs a key
}

inline fim::Settings with(std::function<void(fim::Settings&)> change) {
  fim::Settings s = remote();
  change(s);
  return s;
}

// The answers one request got (exactly one, if any).
struct Asked {
  fim::Engine::Ticket ticket = 0;
  std::shared_ptr<std::vector<fim::Completion>> answers = std::make_shared<std::vector<fim::Completion>>();
  bool answered() const { return !answers->empty(); }
  fim::Reason reason() const { return answers->at(0).reason; }
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

  boost::asio::io_context io;
  ManualClock clock;
  FakeStream stream{io.get_executor()};
  std::vector<std::string> logs, told;
  std::unique_ptr<fim::Engine> engine;
};

} // namespace fimlsp::test
