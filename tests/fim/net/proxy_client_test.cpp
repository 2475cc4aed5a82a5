// Requests through a loopback HTTP proxy: CONNECT then TLS to the endpoint for https://, the
// absolute form for http://, credentials, and every way a proxy can fail, each answered in time.
// The endpoint is named backend.fim.test, which only the test proxy resolves.
#include "fimlsp/fim/net/http_client.hpp"
#include "support/connect_proxy.hpp"
#include "support/io_driver.hpp"
#include "support/silent_listener.hpp"
#include "support/test_backend.hpp"
#include <boost/asio/cancellation_signal.hpp>
#include <doctest/doctest.h>

using namespace fimlsp::fim;
using namespace fimlsp::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kKey = "sk-proxy-test-key-5f3a9c";
constexpr const char* kPrompt = "def proxied_prompt_marker_7d1e(";

HttpRequest post() {
  return HttpRequest{
      .method = "POST",
      .path = "/completions",
      .headers = {{"Authorization", std::string("Bearer ") + kKey}, {"Content-Type", "application/json"}},
      .body = std::string(R"({"model":"test","stream":true,"prompt":")") + kPrompt + "\"}"};
}

Proxy proxy_at(const std::string& url, const char* source = "HTTPS_PROXY") {
  std::string error;
  auto p = parse_proxy(url, error);
  REQUIRE_MESSAGE(p, error);
  p->source = source;
  return *p;
}

struct Harness {
  IoDriver d;
  std::vector<std::string> logs;
  HttpClient client{d.io.get_executor(), [this](std::string_view l) { logs.emplace_back(l); }};
  std::string body;

  void point_at(const std::string& url, const std::optional<std::string>& ca, std::optional<Proxy> proxy) {
    std::string error;
    auto ep = parse_endpoint(url, error);
    REQUIRE(ep);
    REQUIRE(client.configure(*ep, ca, std::move(proxy)) == "");
  }

  HttpOutcome request(std::chrono::milliseconds timeout = 5s) {
    body.clear();
    boost::asio::cancellation_signal cancel;
    ResponseSink sink{.on_head = [](const ResponseHead&) { return true; },
                      .on_body =
                          [this](std::string_view b) {
                            body += b;
                            return true;
                          }};
    auto o = d.run(client.send(post(), std::move(sink), cancel.slot(), Clock::now() + timeout), timeout + 5s);
    REQUIRE(o);
    return *o;
  }
};

} // namespace

TEST_CASE("proxy: an https:// endpoint goes through CONNECT, and its key and prompt only inside TLS") {
  TestBackend backend;
  backend.set_reply(Reply{.chunks = {"through ", "the tunnel"}});
  ConnectProxy proxy;
  Harness h;
  h.point_at(proxied_url(backend.port()), backend.ca_file(), proxy_at(proxy.url()));
  auto o = h.request();
  CHECK_MESSAGE(!o.ec, o.message);
  CHECK(o.status == 200);
  CHECK(h.body.find(R"("text":"the tunnel")") != std::string::npos);

  const ProxySeen seen = proxy.seen();
  const std::string authority = std::string(kProxiedHost) + ":" + std::to_string(backend.port());
  REQUIRE(seen.request_lines.size() == 1);
  CHECK(seen.request_lines[0] == "CONNECT " + authority + " HTTP/1.1");
  CHECK(seen.client_bytes.starts_with("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n"));
  CHECK(seen.authorizations[0].empty());
  CHECK(seen.tunnels == 1);
  // The tunnel carried TLS: the ClientHello names the endpoint (SNI), the rest is ciphertext.
  const std::string tunnel = seen.client_bytes.substr(seen.client_bytes.find("\r\n\r\n") + 4);
  CHECK(tunnel.size() > 100);
  CHECK(tunnel[0] == '\x16'); // a TLS handshake record
  CHECK(tunnel.find(kProxiedHost) != std::string::npos);
  CHECK(seen.client_bytes.find(kKey) == std::string::npos);
  CHECK(seen.client_bytes.find(kPrompt) == std::string::npos);
  CHECK(seen.client_bytes.find("/completions") == std::string::npos);
  // ... and the endpoint got them.
  auto reqs = backend.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].authorization == std::string("Bearer ") + kKey);
  CHECK(reqs[0].body.find(kPrompt) != std::string::npos);
}

TEST_CASE("proxy: credentials in the URL become Proxy-Authorization, never a log line") {
  TestBackend backend;
  ConnectProxy proxy(ProxyOptions{.credentials = "alice:p@ss w:rd"});
  Harness h;
  h.point_at(proxied_url(backend.port()), backend.ca_file(),
             proxy_at(proxy.url_with("alice:p%40ss%20w%3Ard")));
  auto o = h.request();
  CHECK_MESSAGE(!o.ec, o.message);
  const ProxySeen seen = proxy.seen();
  REQUIRE(seen.authorizations.size() == 1);
  CHECK(seen.authorizations[0] == "Basic YWxpY2U6cEBzcyB3OnJk");
  for (const auto& line : h.logs) {
    CHECK(line.find("p@ss") == std::string::npos);
    CHECK(line.find("YWxpY2U6cEBzcyB3OnJk") == std::string::npos);
  }
}

TEST_CASE("proxy: an http:// endpoint is asked for in absolute form") {
  TestBackend backend(BackendOptions{.tls = false});
  backend.set_reply(Reply{.chunks = {"plain"}});
  ConnectProxy proxy(ProxyOptions{.credentials = "alice:p@ss w:rd"});
  Harness h;
  h.point_at(proxied_url(backend.port(), false), std::nullopt,
             proxy_at(proxy.url_with("alice:p%40ss%20w%3Ard")));
  auto o = h.request();
  CHECK_MESSAGE(!o.ec, o.message);
  CHECK(h.body.find(R"("text":"plain")") != std::string::npos);
  const ProxySeen seen = proxy.seen();
  const std::string authority = std::string(kProxiedHost) + ":" + std::to_string(backend.port());
  REQUIRE(seen.request_lines.size() == 1);
  CHECK(seen.request_lines[0] == "POST http://" + authority + "/v1/completions HTTP/1.1");
  CHECK(seen.client_bytes.find("\r\nHost: " + authority + "\r\n") != std::string::npos);
  CHECK(seen.authorizations[0] == "Basic YWxpY2U6cEBzcyB3OnJk");
  CHECK(seen.tunnels == 0);
  auto reqs = backend.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].target == "/v1/completions");
  CHECK(reqs[0].body.find(kPrompt) != std::string::npos);
}

TEST_CASE("proxy: a 407 to an absolute-form request is the proxy's, with the fix") {
  TestBackend backend(BackendOptions{.tls = false});
  ConnectProxy proxy(ProxyOptions{.credentials = "alice:right"});
  Harness h;
  h.point_at(proxied_url(backend.port(), false), std::nullopt, proxy_at(proxy.url()));
  auto o = h.request();
  CHECK(o.ec == error::proxy);
  CHECK(o.status == 407);
  CHECK(o.message ==
        "the proxy " + proxy.url() +
            " (from HTTPS_PROXY) asks for a user name and password (HTTP 407 Proxy Authentication "
            "Required): put them in HTTPS_PROXY as http://user:password@127.0.0.1:" +
            std::to_string(proxy.port()) + " (percent-encode special characters)");
  CHECK(backend.requests().empty());
}

TEST_CASE("proxy: the certificate is checked against the endpoint's name, never the proxy's") {
  TestBackend backend(BackendOptions{.wrong_host_certificate = true});
  ConnectProxy proxy;
  Harness h;
  h.point_at(proxied_url(backend.port()), backend.ca_file(), proxy_at(proxy.url()));
  auto o = h.request();
  CHECK(o.ec == error::tls);
  CHECK(o.message ==
        std::string("TLS: hostname mismatch: the certificate presented is not valid for ") + kProxiedHost);
  CHECK(backend.requests().empty());
}

TEST_CASE("proxy: the warm spare goes through the proxy too") {
  TestBackend backend;
  ConnectProxy proxy;
  Harness h;
  h.point_at(proxied_url(backend.port()), backend.ca_file(), proxy_at(proxy.url()));
  h.client.prewarm();
  REQUIRE(h.d.run_until([&] { return h.client.stats().handshakes == 1; }));
  CHECK(proxy.seen().tunnels == 1);
  auto o = h.request();
  CHECK_MESSAGE(!o.ec, o.message);
  CHECK_FALSE(o.handshake_on_path);
  // Taking the spare starts the next one, through the proxy as well.
  CHECK(h.d.run_until([&] { return h.client.stats().handshakes == 2; }));
  CHECK(proxy.wait_until([](const ProxySeen& s) { return s.tunnels == 2; }, 2s));
  CHECK(h.d.run_until([&] { return backend.handshakes() == 2; })); // the server side may finish last
}

TEST_CASE("proxy: a new proxy is used like a new endpoint, from the next connection on") {
  TestBackend backend;
  std::optional<ConnectProxy> first(std::in_place);
  ConnectProxy second;
  Harness h;
  h.point_at(proxied_url(backend.port()), backend.ca_file(), proxy_at(first->url()));
  CHECK(!h.request().ec);
  CHECK(first->seen().tunnels >= 1);
  h.point_at(proxied_url(backend.port()), backend.ca_file(), proxy_at(second.url()));
  first.reset(); // nothing may need it any more
  auto o = h.request();
  CHECK_MESSAGE(!o.ec, o.message);
  CHECK(second.seen().tunnels >= 1);
  CHECK(backend.requests().size() == 2);
  h.point_at(proxied_url(backend.port()), backend.ca_file(),
             std::nullopt); // straight: the name resolves nowhere
  o = h.request();
  CHECK(o.ec == error::connect);
  CHECK(o.message.starts_with(std::string("cannot resolve ") + kProxiedHost));
}

TEST_CASE("proxy: every failure is a proxy error with the fix, answered before the deadline") {
  TestBackend backend;
  struct Case {
    const char* name;
    ProxyOptions options;
    std::string userinfo;
    const char* says;
  };
  const std::vector<Case> cases{
      {"407 without credentials",
       {.credentials = "alice:right"},
       "",
       "asks for a user name and password (HTTP 407 Proxy Authentication Required): put them in HTTPS_PROXY "
       "as "
       "http://user:password@127.0.0.1:"},
      {"407 with wrong credentials",
       {.credentials = "alice:right"},
       "alice:wrong",
       "refused the user name and password in its URL (HTTP 407 Proxy Authentication Required): correct them "
       "in "
       "HTTPS_PROXY"},
      {"403", {.refuse_status = 403}, "", "refused the tunnel to backend.fim.test:"},
      {"closes the tunnel", {.close_after_connect = true}, "", "closed the tunnel to backend.fim.test:"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    ConnectProxy proxy(c.options);
    Harness h;
    h.point_at(proxied_url(backend.port()), backend.ca_file(),
               proxy_at(c.userinfo.empty() ? proxy.url() : proxy.url_with(c.userinfo)));
    const auto start = Clock::now();
    auto o = h.request(3s);
    CHECK(Clock::now() - start < 3s);
    CHECK(o.ec == error::proxy);
    CHECK_MESSAGE(o.message.find(c.says) != std::string::npos, o.message);
    CHECK(o.message.starts_with("the proxy " + proxy.url() + " (from HTTPS_PROXY)"));
    CHECK(o.message.find("wrong") == std::string::npos);
  }
  CHECK(backend.requests().empty());
}

TEST_CASE("proxy: one that cannot be reached, or never answers") {
  TestBackend backend;
  SUBCASE("nothing listens") {
    Harness h;
    const std::string port = std::to_string(closed_port());
    h.point_at(proxied_url(backend.port()), backend.ca_file(),
               proxy_at("http://127.0.0.1:" + port, "endpoint.proxy"));
    auto o = h.request(3s);
    CHECK(o.ec == error::proxy);
    CHECK(
        o.message.starts_with("cannot connect to the proxy 127.0.0.1:" + port + " (from endpoint.proxy): "));
    CHECK(o.message.ends_with(": check the proxy's address in endpoint.proxy, or set endpoint.proxy to \"\" "
                              "to connect without it"));
  }
  SUBCASE("accepts and never answers CONNECT: the deadline ends it") {
    SilentListener silent;
    Harness h;
    h.point_at(proxied_url(backend.port()), backend.ca_file(),
               proxy_at("http://127.0.0.1:" + std::to_string(silent.port())));
    const auto start = Clock::now();
    auto o = h.request(300ms);
    CHECK(Clock::now() - start < 2s);
    CHECK(o.ec == error::timeout);
    CHECK(o.message == std::string("no complete reply from ") + kProxiedHost +
                           " through the proxy http://127.0.0.1:" + std::to_string(silent.port()) +
                           " before the deadline");
  }
}

TEST_CASE("proxy: a tunnel closed mid-reply ends the request at once") {
  TestBackend backend;
  backend.set_reply(Reply{.chunks = {"never"}, .hold_before = {0}});
  ConnectProxy proxy;
  Harness h;
  h.point_at(proxied_url(backend.port()), backend.ca_file(), proxy_at(proxy.url()));
  std::optional<HttpOutcome> outcome;
  boost::asio::cancellation_signal cancel;
  h.d.start(h.client.send(post(), ResponseSink{}, cancel.slot(), Clock::now() + 10s), outcome);
  REQUIRE(h.d.run_until([&] { return !backend.requests().empty(); }));
  proxy.cut();
  const auto cut = Clock::now();
  REQUIRE(h.d.run_until([&] { return outcome.has_value(); }, 5s));
  CHECK(Clock::now() - cut < 2s);
  CHECK(outcome->ec == error::network);
  CHECK(backend.wait_until([](auto& r) { return !r.empty() && r[0].client_hung_up; }, 2s));
}
