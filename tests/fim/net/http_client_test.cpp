#include "fimlsp/fim/net/http_client.hpp"
#include "support/io_driver.hpp"
#include "support/silent_listener.hpp"
#include "support/test_backend.hpp"
#include <boost/asio/cancellation_signal.hpp>
#include <doctest/doctest.h>

using namespace fimlsp::fim;
using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

const std::string streamed = R"({"model":"test","prompt":"x","stream":true})";

HttpRequest post(std::string body = streamed) {
  return HttpRequest{.method = "POST",
                     .path = "/completions",
                     .headers = {{"Authorization", "Bearer sk-x"}, {"Content-Type", "application/json"}},
                     .body = std::move(body)};
}

// An HttpClient on an io_context the test thread drives; the sink records what it was given.
struct Harness {
  IoDriver d;
  std::vector<std::string> logs;
  HttpClient client{d.io.get_executor(), [this](std::string_view l) { logs.emplace_back(l); }};
  asio::cancellation_signal cancel;
  std::optional<HttpOutcome> outcome;
  std::optional<ResponseHead> head;
  std::string body;

  Harness() = default;
  explicit Harness(const TestBackend& backend, bool with_ca = true) { point_at(backend, with_ca); }

  void point_at(const TestBackend& backend, bool with_ca = true) {
    std::string error;
    auto ep = parse_endpoint(backend.base_url(), error);
    REQUIRE(ep);
    REQUIRE(client.configure(*ep, with_ca ? std::optional(backend.ca_file()) : std::nullopt) == "");
  }

  void start(HttpRequest req = post(), std::chrono::milliseconds timeout = 5s,
             std::function<bool(std::string_view)> on_body = {}) {
    head.reset();
    body.clear();
    ResponseSink sink{.on_head =
                          [this](const ResponseHead& h) {
                            head = h;
                            return true;
                          },
                      .on_body =
                          [this, on_body](std::string_view b) {
                            body += b;
                            return on_body ? on_body(b) : true;
                          }};
    d.start(client.send(std::move(req), std::move(sink), cancel.slot(), Clock::now() + timeout), outcome);
  }

  HttpOutcome request(HttpRequest req = post(), std::chrono::milliseconds timeout = 5s) {
    start(std::move(req), timeout);
    REQUIRE(d.run_until([&] { return outcome.has_value(); }, timeout + 5s));
    return *outcome;
  }
};

bool hung_up(const std::vector<RecordedRequest>& r) {
  return !r.empty() && r.back().client_hung_up.has_value();
}

} // namespace

TEST_CASE("http client: sends the request as given and streams the reply's head and body bytes") {
  TestBackend backend;
  backend.set_reply(Reply{.chunks = {"int ", "main"}});
  Harness h(backend);
  auto o = h.request();
  CHECK(!o.ec);
  CHECK(o.status == 200);
  CHECK_FALSE(o.stopped);
  CHECK(o.handshake_on_path);
  REQUIRE(h.head);
  CHECK(h.head->status == 200);
  CHECK(h.head->reason == "OK");
  CHECK(h.head->field("CONTENT-TYPE") == "text/event-stream");
  CHECK(h.head->field("x-absent").empty());
  CHECK(h.body.starts_with(": test backend\n\ndata: {"));
  CHECK(h.body.find(R"("text":"int ")") != std::string::npos);
  CHECK(h.body.ends_with("data: [DONE]\n\n"));
  auto reqs = backend.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].method == "POST");
  CHECK(reqs[0].target == "/v1/completions");
  CHECK(reqs[0].authorization == "Bearer sk-x");
  CHECK(reqs[0].content_type == "application/json");
  CHECK(reqs[0].body == streamed);
  CHECK(backend.wait_until([](auto& r) { return r.size() == 1 && r[0].completed; }, 2s));
}

TEST_CASE("http client: an error status is a reply like any other, read to its end; the connection is kept") {
  TestBackend backend;
  backend.set_reply(Reply{.fault = Fault::Status429, .retry_after = "7"});
  Harness h(backend);
  auto o = h.request();
  CHECK(!o.ec);
  CHECK(o.status == 429);
  REQUIRE(h.head);
  CHECK(h.head->field("retry-after") == "7");
  CHECK(h.body.find("Requests rate limit exceeded.") != std::string::npos);
  backend.set_reply(Reply{});
  CHECK(!h.request().ec);
  auto reqs = backend.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].connection == reqs[1].connection);
}

TEST_CASE("http client: prewarm, keep-alive and one spare: no handshake on the path of sequential requests") {
  TestBackend backend;
  Harness h(backend);
  h.client.prewarm();
  REQUIRE(h.d.run_until([&] { return h.client.stats().handshakes == 1; }));
  for (int i = 0; i < 4; ++i) {
    auto o = h.request();
    CHECK(!o.ec);
    CHECK_FALSE(o.handshake_on_path);
    CHECK(h.body.find(R"("text":"hello")") != std::string::npos);
  }
  // The first request took the warm connection and a spare was made beside it; after that the
  // two are reused and no further handshake happens (the spare's handshake may still be running).
  CHECK(h.d.run_until([&] { return h.client.stats().handshakes == 2; }));
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
  CHECK(o.status == 200);
  CHECK(o.handshake_on_path);
  REQUIRE(h.logs.size() == 1);
  CHECK(h.logs[0] == "idle connection was closed by the server; retrying on a new one");
  auto reqs = backend.requests();
  REQUIRE(reqs.size() == 3);
  CHECK(reqs[1].connection == reqs[0].connection);
  CHECK(reqs[2].connection != reqs[1].connection);
}

TEST_CASE("http client: a connection lost on the way is a network failure, with where it broke") {
  struct Case {
    Fault fault;
    int status;
    const char* says;
  };
  for (const Case& c : {Case{Fault::Drop, 0, "reading the reply failed: "},
                        Case{Fault::DropMidStream, 200, "the reply broke off: "}}) {
    CAPTURE(static_cast<int>(c.fault));
    TestBackend backend;
    backend.set_reply(Reply{.chunks = {"a", "b"}, .fault = c.fault});
    Harness h(backend); // a fresh connection: nothing to retry
    auto o = h.request();
    CHECK(o.ec == error::network);
    CHECK(o.status == c.status);
    CHECK(o.message.starts_with(c.says));
    CHECK(backend.requests().size() == 1);
  }
}

TEST_CASE(
    "http client: cancellation aborts at once, the backend sees the hang-up, the connection is not reused") {
  TestBackend backend;
  backend.set_reply(Reply{.chunks = {"first", "never"}, .chunk_delay = 10s});
  Harness h(backend);
  h.start();
  REQUIRE(h.d.run_until([&] { return h.body.find("first") != std::string::npos; }));
  const auto emitted = Clock::now();
  h.cancel.emit(asio::cancellation_type::terminal);
  REQUIRE(h.d.run_until([&] { return h.outcome.has_value(); }, 1s));
  CHECK(Clock::now() - emitted < 200ms);
  CHECK(h.outcome->ec == error::cancelled);
  CHECK(h.outcome->message == "request cancelled");
  CHECK(backend.wait_until(hung_up, 2s));

  backend.set_reply(Reply{});
  CHECK(!h.request().ec);
  auto reqs = backend.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].connection != reqs[1].connection);
  CHECK_FALSE(reqs[0].completed);
}

TEST_CASE("http client: a sink returning false closes the connection at once") {
  TestBackend backend;
  backend.set_reply(Reply{.chunks = {"enough", "more"}, .chunk_delay = 10s});
  Harness h(backend);
  h.start(post(), 5s, [](std::string_view b) { return b.find("enough") == std::string_view::npos; });
  REQUIRE(h.d.run_until([&] { return h.outcome.has_value(); }, 2s));
  CHECK(!h.outcome->ec);
  CHECK(h.outcome->stopped);
  CHECK(h.body.find("more") == std::string::npos);
  CHECK(backend.wait_until(hung_up, 2s));
  backend.set_reply(Reply{});
  CHECK(!h.request().ec);
  CHECK(backend.requests().back().connection != backend.requests().front().connection);
}

TEST_CASE("http client: the deadline ends stalled replies") {
  for (Fault fault : {Fault::StallHeaders, Fault::StallMidStream}) {
    CAPTURE(static_cast<int>(fault));
    TestBackend backend;
    backend.set_reply(Reply{.chunks = {"a", "b"}, .fault = fault});
    Harness h(backend);
    const auto start = Clock::now();
    auto o = h.request(post(), 300ms);
    CHECK(o.ec == error::timeout);
    CHECK(o.message == "no complete reply from 127.0.0.1 before the deadline");
    CHECK(Clock::now() - start < 2s);
    CHECK(backend.wait_until(hung_up, 2s));
  }
}

TEST_CASE("http client: a request right after a configuration change does not wait for the stalled warm-up") {
  SilentListener silent;
  TestBackend backend;
  Harness h;
  std::string error;
  auto ep = parse_endpoint(silent.base_url(), error);
  REQUIRE(h.client.configure(*ep, std::nullopt) == "");
  h.client.prewarm();
  h.point_at(backend);
  const auto start = Clock::now();
  auto o = h.request(post(), 3s);
  CHECK(!o.ec);
  CHECK(Clock::now() - start < 2s);
  CHECK(backend.requests().size() == 1);
}

TEST_CASE("http client: configuration errors") {
  Harness h;
  auto o = h.request();
  CHECK(o.ec == error::config);
  CHECK(o.message == "no endpoint configured");

  std::string error;
  auto ep = parse_endpoint("https://127.0.0.1:1/v1", error);
  REQUIRE(ep);
  CHECK(h.client.configure(*ep, std::string("/nonexistent/ca.pem")).find("caFile") != std::string::npos);
  CHECK_FALSE(h.client.endpoint());
}
