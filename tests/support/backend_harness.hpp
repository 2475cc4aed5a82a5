#pragma once
// A BackendStream pointed at a test backend, on an io_context the test thread drives.
#include "fimlsp/fim/backend_stream.hpp"
#include "support/io_driver.hpp"
#include "support/test_backend.hpp"
#include <boost/asio/cancellation_signal.hpp>
#include <doctest/doctest.h>
#include <optional>
#include <string>
#include <vector>

namespace fimlsp::test {

inline const std::string kBackendKey = "sk-test-0123456789secret";

struct BackendHarness {
  IoDriver d;
  std::vector<std::string> logs;
  fim::BackendStream backend{
      d.io.get_executor(),
      fim::Reporter{.log = [this](fim::Severity, std::string_view l) { logs.emplace_back(l); }}};
  boost::asio::cancellation_signal cancel;
  fim::Settings settings;
  std::optional<fim::StreamOutcome> outcome;
  std::string text;

  // `api`: the request shape (endpoint.api).
  explicit BackendHarness(const TestBackend& test_backend, bool stream = true,
                          std::string api = "completions") {
    settings.endpoint.baseUrl = test_backend.base_url();
    settings.endpoint.caFile = test_backend.ca_file();
    settings.endpoint.api = std::move(api);
    settings.request.stream = stream;
    std::string diagnostics;
    REQUIRE_FALSE(backend.configure(settings, diagnostics));
  }

  fim::CompletionPlan plan() const {
    return fim::make_plan(settings, fim::CompletionInput{.prefix = "x = ", .suffix = "\n"});
  }

  void start(std::chrono::milliseconds timeout = std::chrono::seconds(5),
             fim::CompletionStream::OnText on_text = {}) {
    text.clear();
    auto sink = [this, on_text](std::string_view t) {
      text += t;
      return on_text ? on_text(t) : true;
    };
    d.start(backend.stream(plan(), kBackendKey, sink, cancel.slot(), fim::Clock::now() + timeout), outcome);
  }

  fim::StreamOutcome request(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    start(timeout);
    REQUIRE(d.run_until([&] { return outcome.has_value(); }, timeout + std::chrono::seconds(5)));
    CHECK(outcome->message.find(kBackendKey) == std::string::npos);
    return *outcome;
  }
};

} // namespace fimlsp::test
