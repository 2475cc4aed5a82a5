#include "fimlsp/fim/net/http_client.hpp"
#include "support/test_backend.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>

using namespace fimlsp::fim;
using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

const std::string key = "sk-test-0123456789secret";
const std::string streamed =
    R"({"model":"test","prompt":"x","stream":true,"stream_options":{"include_usage":true}})";

// A client on an io_context that the test thread drives, with bounded waits.
struct Harness {
  asio::io_context io;
  std::vector<std::string> logs;
  CompletionClient client{io.get_executor(), [this](std::string_view l) { logs.emplace_back(l); }};
  asio::cancellation_signal cancel;
  std::optional<HttpOutcome> outcome;
  std::string text;

  explicit Harness(const TestBackend& backend, bool with_ca = true) {
    std::string error;
    auto ep = parse_endpoint(backend.base_url(), error);
    REQUIRE(ep);
    REQUIRE(client.configure(*ep, with_ca ? std::optional(backend.ca_file()) : std::nullopt) == "");
  }

  bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 5s) {
    const auto end = Clock::now() + timeout;
    while (!pred() && Clock::now() < end)
      io.run_one_for(10ms);
    return pred();
  }

  void start(std::string body = streamed, std::chrono::milliseconds timeout = 5s,
             std::function<bool(std::string_view)> on_text = {}) {
    outcome.reset();
    text.clear();
    auto sink = [this, on_text](std::string_view t) {
      text += t;
      return on_text ? on_text(t) : true;
    };
    asio::co_spawn(io, client.stream(std::move(body), key, sink, cancel.slot(), Clock::now() + timeout),
                   [this](std::exception_ptr e, HttpOutcome o) {
                     REQUIRE_FALSE(e);
                     outcome = std::move(o);
                   });
  }

  HttpOutcome request(std::string body = streamed, std::chrono::milliseconds timeout = 5s) {
    start(std::move(body), timeout);
    REQUIRE(run_until([&] { return outcome.has_value(); }, timeout + 5s));
    CHECK(outcome->message.find(key) == std::string::npos);
    return *outcome;
  }
};

bool hung_up(const std::vector<RecordedRequest>& r) {
  return !r.empty() && r.back().client_hung_up.has_value();
}

} // namespace

TEST_CASE("http client: streams the text and sends the request the API expects") {
  TestBackend backend;
  backend.set_reply(Reply{.chunks = {"int ", "main", "() {"}});
  Harness h(backend);
  auto o = h.request();
  CHECK(!o.ec);
  CHECK(o.status == 200);
  CHECK(h.text == "int main() {");
  CHECK(o.handshake_on_path);
  auto reqs = backend.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].method == "POST");
  CHECK(reqs[0].target == "/v1/completions");
  CHECK(reqs[0].authorization == "Bearer " + key);
  CHECK(reqs[0].content_type == "application/json");
  CHECK(reqs[0].body == streamed);
  CHECK(backend.wait_until([](auto& r) { return r.size() == 1 && r[0].completed; }, 2s));
}

TEST_CASE("http client: a non-streamed JSON reply") {
  TestBackend backend;
  backend.set_reply(Reply{.chunks = {"a", "b\n", "c"}});
  Harness h(backend);
  auto o = h.request(R"({"model":"test","prompt":"x","stream":false})");
  CHECK(!o.ec);
  CHECK(h.text == "ab\nc");
}

TEST_CASE("http client: prewarm, keep-alive and one spare: no handshake on the path of sequential requests") {
  TestBackend backend;
  Harness h(backend);
  h.client.prewarm();
  REQUIRE(h.run_until([&] { return h.client.stats().handshakes == 1; }));
  for (int i = 0; i < 4; ++i) {
    auto o = h.request();
    CHECK(!o.ec);
    CHECK_FALSE(o.handshake_on_path);
    CHECK(h.text == "hello");
  }
  // The first request took the warm connection and a spare was made beside it; after that the
  // two are reused and no further handshake happens (the spare's handshake may still be running).
  CHECK(h.run_until([&] { return h.client.stats().handshakes == 2; }));
  CHECK(backend.handshakes() == 2);
  CHECK(h.client.stats().handshakes == 2);
  CHECK(h.client.stats().requests == 4);
  CHECK(h.client.stats().reused == 4);
}

TEST_CASE("http client: a connection the server dropped is retried once on a fresh one") {
  TestBackend backend;
  std::atomic<int> seen{0};
  backend.set_handler([&](const RecordedRequest&) {
    return Reply{.fault =
                     ++seen == 2 ? Fault::Drop : Fault::None}; // the second request, on the reused connection
  });
  Harness h(backend);
  CHECK(!h.request().ec);
  auto o = h.request();
  CHECK(!o.ec);
  CHECK(h.text == "hello");
  CHECK(o.handshake_on_path);
  auto reqs = backend.requests();
  REQUIRE(reqs.size() == 3);
  CHECK(reqs[1].connection == reqs[0].connection);
  CHECK(reqs[2].connection != reqs[1].connection);
}

TEST_CASE(
    "http client: cancellation aborts at once, the backend sees the hang-up, the connection is not reused") {
  TestBackend backend;
  backend.set_reply(Reply{.chunks = {"first", "never"}, .chunk_delay = 10s});
  Harness h(backend);
  h.start();
  REQUIRE(h.run_until([&] { return h.text == "first"; }));
  const auto emitted = Clock::now();
  h.cancel.emit(asio::cancellation_type::terminal);
  REQUIRE(h.run_until([&] { return h.outcome.has_value(); }, 1s));
  CHECK(Clock::now() - emitted < 200ms);
  CHECK(h.outcome->ec == error::cancelled);
  CHECK(backend.wait_until(hung_up, 2s));

  backend.set_reply(Reply{});
  auto o = h.request();
  CHECK(!o.ec);
  auto reqs = backend.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].connection != reqs[1].connection);
  CHECK_FALSE(reqs[0].completed);
}

TEST_CASE("http client: on_text returning false closes the stream early") {
  TestBackend backend;
  backend.set_reply(Reply{.chunks = {"enough", "more"}, .chunk_delay = 10s});
  Harness h(backend);
  h.start(streamed, 5s, [](std::string_view) { return false; });
  REQUIRE(h.run_until([&] { return h.outcome.has_value(); }, 2s));
  CHECK(!h.outcome->ec);
  CHECK(h.outcome->stopped_early);
  CHECK(h.text == "enough");
  CHECK(backend.wait_until(hung_up, 2s));
}

TEST_CASE("http client: the deadline ends stalled replies") {
  for (Fault fault : {Fault::StallHeaders, Fault::StallMidStream}) {
    CAPTURE(static_cast<int>(fault));
    TestBackend backend;
    backend.set_reply(Reply{.chunks = {"a", "b"}, .fault = fault});
    Harness h(backend);
    const auto start = Clock::now();
    auto o = h.request(streamed, 300ms);
    CHECK(o.ec == error::timeout);
    CHECK(Clock::now() - start < 2s);
    CHECK(backend.wait_until(hung_up, 2s));
  }
}

TEST_CASE("http client: each fault maps to its failure, and no message holds the key") {
  struct Case {
    Fault fault;
    error failure;
    int status;
    const char* says;
  };
  for (const Case& c :
       {Case{Fault::Status401, error::http_status, 401, "invalid_api_key"},
        Case{Fault::Status429, error::http_status, 429, "rate limit"},
        Case{Fault::Status500, error::http_status, 500, "Internal error"},
        Case{Fault::Drop, error::network, 0, ""}, Case{Fault::DropMidStream, error::network, 200, ""},
        Case{Fault::MalformedSse, error::malformed, 200, "malformed"},
        Case{Fault::ErrorChunk, error::backend, 200, "overloaded"}}) {
    CAPTURE(static_cast<int>(c.fault));
    TestBackend backend;
    backend.set_reply(Reply{.chunks = {"a", "b", "c"}, .fault = c.fault, .retry_after = "2"});
    Harness h(backend);
    auto o = h.request();
    CHECK(o.ec == c.failure);
    CHECK(o.status == c.status);
    CHECK(o.message.find(c.says) != std::string::npos);
    CHECK(o.message.find('\n') == std::string::npos);
    if (c.fault == Fault::Status429) CHECK(o.retry_after == std::optional(std::chrono::milliseconds(2000)));
    for (auto& line : h.logs)
      CHECK(line.find(key) == std::string::npos);
  }
}

TEST_CASE("http client: a certificate for another host is a TLS failure") {
  TestBackend backend(BackendOptions{.wrong_host_certificate = true});
  Harness h(backend);
  auto o = h.request();
  CHECK(o.ec == error::tls);
  CHECK(o.message.find("hostname mismatch") != std::string::npos);
  CHECK(backend.requests().empty());
}

TEST_CASE("http client: a CA the client does not trust is a TLS failure") {
  TestBackend backend;
  Harness h(backend, /*with_ca=*/false);
  auto o = h.request();
  CHECK(o.ec == error::tls);
  CHECK(o.message.find("certificate verify failed") != std::string::npos);
  CHECK(backend.requests().empty());
}

TEST_CASE("http client: an unreadable CA file is a configuration error") {
  asio::io_context io;
  CompletionClient client(io.get_executor());
  std::string error;
  auto ep = parse_endpoint("https://127.0.0.1:1/v1", error);
  REQUIRE(ep);
  CHECK(client.configure(*ep, std::string("/nonexistent/ca.pem")).find("caFile") != std::string::npos);
}

TEST_CASE("http client: plain HTTP carries the key to loopback only") {
  TestBackend backend(BackendOptions{.tls = false});
  SUBCASE("loopback works") {
    Harness h(backend);
    auto o = h.request();
    CHECK(!o.ec);
    CHECK(h.text == "hello");
    REQUIRE(backend.requests().size() == 1);
    CHECK(backend.requests()[0].authorization == "Bearer " + key);
  }
  SUBCASE("a non-loopback host is refused before anything is sent") {
    Harness h(backend);
    Endpoint remote{.tls = false,
                    .host = "127.0.0.1",
                    .port = std::to_string(backend.port()),
                    .target = "/v1/completions",
                    .loopback = false}; // pretend: the real host is us
    REQUIRE(h.client.configure(remote, std::nullopt) == "");
    auto o = h.request();
    CHECK(o.ec == error::config);
    CHECK(o.message.find("plain HTTP") != std::string::npos);
    CHECK(h.client.stats().requests == 0);
    CHECK(backend.handshakes() == 0);
    CHECK(backend.requests().empty());
  }
}
