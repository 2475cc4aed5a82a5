#include "fimlsp/fim/backend_stream.hpp"
#include "fimlsp/fim/providers/request_body.hpp"
#include "support/backend_harness.hpp"
#include "support/test_backend.hpp"
#include <boost/asio/cancellation_signal.hpp>
#include <doctest/doctest.h>

using namespace fimlsp::fim;
using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

const std::string key = kBackendKey;
using Harness = BackendHarness;

} // namespace

TEST_CASE("backend stream: the provider's request, the text in pieces, usage and the connection state") {
  TestBackend test_backend;
  test_backend.set_reply(Reply{.chunks = {"int ", "main", "() {"}});
  Harness h(test_backend);
  auto o = h.request();
  CHECK(!o.ec);
  CHECK(o.message.empty());
  CHECK(o.status == 200);
  CHECK(h.text == "int main() {");
  CHECK(o.handshake_on_path);
  CHECK_FALSE(o.stopped_early);
  REQUIRE(o.usage);
  CHECK(o.usage->prompt_tokens == 10);
  CHECK(o.usage->completion_tokens == 3);
  auto reqs = test_backend.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].method == "POST");
  CHECK(reqs[0].target == "/v1/completions");
  CHECK(reqs[0].authorization == "Bearer " + key);
  CHECK(reqs[0].content_type == "application/json");
  CHECK(reqs[0].body == build_request_body(h.settings, h.plan().prompt));

  // The next one reuses the connection (a spare was warmed beside it too).
  auto again = h.request();
  CHECK(!again.ec);
  CHECK_FALSE(again.handshake_on_path);
  CHECK(h.backend.stats().reused == 1);
}

TEST_CASE("backend stream: a non-streamed JSON reply") {
  TestBackend test_backend;
  test_backend.set_reply(Reply{.chunks = {"a", "b\n", "c"}});
  Harness h(test_backend, /*stream=*/false);
  auto o = h.request();
  CHECK(!o.ec);
  CHECK(h.text == "ab\nc");
  CHECK(test_backend.requests().at(0).body.find("\"stream\"") == std::string::npos);
}

TEST_CASE("backend stream: each fault maps to its failure and its message; no message holds the key") {
  struct Case {
    Fault fault;
    error failure;
    int status;
    std::string says; // the whole message, or its start when it ends with "..."
  };
  const std::vector<Case> cases{
      {Fault::Status401, error::http_status, 401,
       "HTTP 401 Unauthorized: Incorrect API key provided. (invalid_api_key)"},
      {Fault::Status401EchoKey, error::http_status, 401,
       "HTTP 401 Unauthorized: Incorrect API key provided: Bearer [redacted] (invalid_api_key)"},
      {Fault::Status429, error::http_status, 429,
       "HTTP 429 Too Many Requests: Requests rate limit exceeded. (Throttling.RateQuota)"},
      {Fault::Status500, error::http_status, 500,
       "HTTP 500 Internal Server Error: Internal error. (internal_error)"},
      {Fault::Status503, error::http_status, 503,
       "HTTP 503 Service Unavailable: The service is temporarily unavailable. (ServiceUnavailable)"},
      {Fault::Drop, error::network, 0, "reading the reply failed: ..."},
      {Fault::DropMidStream, error::network, 200, "the reply broke off: ..."},
      {Fault::MalformedSse, error::malformed, 200, "malformed payload: {\"choices\": [ not json"},
      {Fault::ErrorChunk, error::backend, 200,
       "the backend reported an error: The model is overloaded. (overloaded)"},
  };
  for (const Case& c : cases) {
    CAPTURE(static_cast<int>(c.fault));
    TestBackend test_backend;
    test_backend.set_reply(Reply{.chunks = {"a", "b", "c"}, .fault = c.fault, .retry_after = "2"});
    Harness h(test_backend);
    auto o = h.request();
    CHECK(o.ec == c.failure);
    CHECK(o.status == c.status);
    if (c.says.ends_with("..."))
      CHECK(o.message.starts_with(c.says.substr(0, c.says.size() - 3)));
    else
      CHECK(o.message == c.says);
    CHECK(o.message.find('\n') == std::string::npos);
    const bool may_retry = c.fault == Fault::Status429 || c.fault == Fault::Status503;
    CHECK(o.retry_after == (may_retry ? std::optional(std::chrono::milliseconds(2000)) : std::nullopt));
    for (auto& line : h.logs)
      CHECK(line.find(key) == std::string::npos);
  }
}

TEST_CASE("backend stream: on_text returning false closes the stream early") {
  TestBackend test_backend;
  test_backend.set_reply(Reply{.chunks = {"enough", "more"}, .chunk_delay = 10s});
  Harness h(test_backend);
  h.start(5s, [](std::string_view) { return false; });
  REQUIRE(h.d.run_until([&] { return h.outcome.has_value(); }, 2s));
  CHECK(!h.outcome->ec);
  CHECK(h.outcome->stopped_early);
  CHECK(h.text == "enough");
  CHECK(test_backend.wait_until([](auto& r) { return !r.empty() && r.back().client_hung_up; }, 2s));
}

TEST_CASE("backend stream: cancellation and the deadline") {
  TestBackend test_backend;
  test_backend.set_reply(Reply{.chunks = {"first", "never"}, .chunk_delay = 10s});
  Harness h(test_backend);
  h.start();
  REQUIRE(h.d.run_until([&] { return h.text == "first"; }));
  h.cancel.emit(asio::cancellation_type::terminal);
  REQUIRE(h.d.run_until([&] { return h.outcome.has_value(); }, 1s));
  CHECK(h.outcome->ec == error::cancelled);
  CHECK_FALSE(h.outcome->stopped_early);
  auto late = h.request(300ms);
  CHECK(late.ec == error::timeout);
  CHECK(late.message == "no complete reply from 127.0.0.1 before the deadline");
}

TEST_CASE("backend stream: a TLS failure") {
  TestBackend test_backend(BackendOptions{.wrong_host_certificate = true});
  Harness h(test_backend);
  auto o = h.request();
  CHECK(o.ec == error::tls);
  CHECK(o.message == "TLS: hostname mismatch: the certificate presented is not valid for 127.0.0.1");
  CHECK(test_backend.requests().empty());
}

TEST_CASE("backend stream: plain HTTP carries the key to loopback only") {
  TestBackend test_backend(BackendOptions{.tls = false});
  Harness h(test_backend);
  auto o = h.request();
  CHECK(!o.ec);
  CHECK(h.text == "hello");
  REQUIRE(test_backend.requests().size() == 1);
  CHECK(test_backend.requests()[0].authorization == "Bearer " + key);

  h.settings.endpoint.baseUrl = "http://example.invalid/v1";
  std::string diagnostics;
  REQUIRE_FALSE(h.backend.configure(h.settings, diagnostics));
  const auto requests = h.backend.stats().requests;
  auto refused = h.request();
  CHECK(refused.ec == error::config);
  CHECK(refused.message == "refusing to send the API key over plain HTTP to example.invalid: use https://");
  CHECK(h.backend.stats().requests == requests);
}

TEST_CASE("backend stream: configuration errors") {
  TestBackend test_backend;
  Harness h(test_backend);
  std::string diagnostics;
  h.settings.endpoint.caFile = "/nonexistent/ca.pem";
  CHECK(h.backend.configure(h.settings, diagnostics) == error::config);
  CHECK(diagnostics.find("caFile") != std::string::npos);
  auto o = h.request();
  CHECK(o.ec == error::config);
  CHECK(o.message == "no endpoint configured");
  CHECK(test_backend.requests().empty());
  h.settings.endpoint.baseUrl = "ftp://host/v1";
  CHECK(h.backend.configure(h.settings, diagnostics) == error::config);
  CHECK(diagnostics.find("https://") != std::string::npos);
}
