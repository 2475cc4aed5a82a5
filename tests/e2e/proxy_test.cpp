// The real fim-lsp behind an HTTP proxy, set by HTTPS_PROXY or by endpoint.proxy: the endpoint is
// named backend.fim.test, which only the loopback test proxy resolves, so a suggestion proves the
// request went through it; the proxy never sees the key or the prompt in clear.
#include "support/connect_proxy.hpp"
#include "support/replies.hpp"
#include "support/session.hpp"
#include "support/silent_listener.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* kPrompt = "proxied_prompt_marker_7d1e = ";

void configure(Session& s, json::object endpoint) {
  s.lsp.notify("workspace/didChangeConfiguration", {{"settings", {{"endpoint", std::move(endpoint)}}}});
  s.sync();
}

int shown_count(const Session& s) {
  int shown = 0;
  for (const auto& m : s.lsp.received())
    if (m.as_object().contains("method") && m.at("method") == "window/showMessage") ++shown;
  return shown;
}

const std::uint32_t kEnd = static_cast<std::uint32_t>(std::string_view(kPrompt).size());

// The key, `set`, and none of the proxy variables the tests' own environment may hold.
std::vector<std::string> env_with(std::vector<std::string> set = {}) {
  std::vector<std::string> env{std::string("DASHSCOPE_API_KEY=") + kTestKey};
  for (const char* name : {"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY",
                           "no_proxy", "NO_PROXY"})
    env.push_back(std::string(name) + "=");
  env.insert(env.end(), set.begin(), set.end());
  return env;
}

} // namespace

TEST_SUITE("proxy") {

  TEST_CASE(
      "HTTPS_PROXY: loopback goes direct, a remote endpoint through CONNECT, key and prompt inside TLS") {
    ConnectProxy proxy;
    Session s({}, {}, {}, env_with({"HTTPS_PROXY=" + proxy.url()}));
    s.backend.set_reply(ok("42"));
    s.open("file:///p.py", kPrompt);
    CHECK(s.complete_at("file:///p.py", 0, kEnd) == "42"); // 127.0.0.1: never through the proxy
    CHECK(proxy.seen().request_lines.empty());

    configure(s, {{"baseUrl", proxied_url(s.backend.port())}});
    s.backend.set_reply(ok("43"));
    s.change("file:///p.py", 0, kEnd, 0, kEnd, "1");
    CHECK(s.complete_at("file:///p.py", 0, kEnd + 1) == "43");
    const ProxySeen seen = proxy.seen();
    REQUIRE_FALSE(seen.request_lines.empty());
    for (const auto& line : seen.request_lines)
      CHECK(line ==
            std::string("CONNECT ") + kProxiedHost + ":" + std::to_string(s.backend.port()) + " HTTP/1.1");
    CHECK(seen.client_bytes.find(kTestKey) == std::string::npos);
    CHECK(seen.client_bytes.find("proxied_prompt_marker") == std::string::npos);
    const auto reqs = s.backend.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[1].body.find("proxied_prompt_marker") != std::string::npos);
    CHECK(reqs[1].authorization == std::string("Bearer ") + kTestKey);
    CHECK(s.lsp.stderr_text().find("proxy " + proxy.url() + " (from HTTPS_PROXY) for " + kProxiedHost) !=
          std::string::npos);
  }

  TEST_CASE("endpoint.proxy overrides HTTPS_PROXY; its password is never logged") {
    ConnectProxy proxy(ProxyOptions{.credentials = "alice:p@ss w:rd"});
    const std::string nowhere = "http://127.0.0.1:" + std::to_string(closed_port());
    Session s({}, {}, {}, env_with({"HTTPS_PROXY=" + nowhere}));
    s.backend.set_reply(ok("via setting"));
    configure(
        s, {{"baseUrl", proxied_url(s.backend.port())}, {"proxy", proxy.url_with("alice:p%40ss%20w%3Ard")}});
    s.open("file:///q.py", kPrompt);
    CHECK(s.complete_at("file:///q.py", 0, kEnd) == "via setting");
    const ProxySeen seen = proxy.seen();
    REQUIRE_FALSE(seen.authorizations.empty());
    CHECK(seen.authorizations.back() == "Basic YWxpY2U6cEBzcyB3OnJk");
    const std::string log = s.lsp.stderr_text();
    CHECK(log.find("(from endpoint.proxy)") != std::string::npos);
    for (const char* secret : {"p@ss", "p%40ss", "YWxpY2U6cEBzcyB3OnJk", kTestKey})
      CHECK(log.find(secret) == std::string::npos);

    // Back to the environment's proxy, which cannot be reached: told once, with the fix.
    configure(s, {{"proxy", nullptr}});
    s.change("file:///q.py", 0, kEnd, 0, kEnd, "1");
    CHECK(s.complete_at("file:///q.py", 0, kEnd + 1) == "");
    auto m = s.lsp.wait_notification("window/showMessage");
    REQUIRE(m);
    CHECK(std::string(m->at("params").at("message").as_string())
              .starts_with("fim-lsp: cannot connect to the proxy 127.0.0.1:"));
  }

  TEST_CASE("a proxy that fails: one message with the fix, every request answered empty within timeoutMs") {
    SilentListener silent;
    struct Case {
      const char* name;
      ProxyOptions options;
      bool silent = false; // the never-answering listener instead
      const char* says = nullptr;
    };
    const std::vector<Case> cases{
        {"407", {.credentials = "alice:right"}, false, "asks for a user name and password (HTTP 407"},
        {"403", {.refuse_status = 403}, false, "refused the tunnel to backend.fim.test:"},
        {"closes the tunnel", {.close_after_connect = true}, false, "closed the tunnel to backend.fim.test:"},
        {"never answers", {}, true, nullptr},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      ConnectProxy proxy(c.options);
      const std::string url = c.silent ? "http://127.0.0.1:" + std::to_string(silent.port()) : proxy.url();
      Session s({{"endpoint", {{"timeoutMs", 800}}}}, {}, {}, env_with());
      configure(s, {{"baseUrl", proxied_url(s.backend.port())}, {"proxy", url}});
      s.open("file:///f.py", kPrompt);
      for (int i = 0; i < 2; ++i) {
        const auto start = std::chrono::steady_clock::now();
        CHECK(s.inline_text(s.inline_request("file:///f.py", 0, kEnd - i), 3s) == "");
        // Within the timeout (checked loosely: the bound is the contract, not a benchmark).
        CHECK(std::chrono::steady_clock::now() - start < 2s);
      }
      CHECK(s.backend.requests().empty());
      CHECK(shown_count(s) == (c.says ? 1 : 0));
      if (c.says) {
        auto m = s.lsp.wait_notification("window/showMessage");
        REQUIRE(m);
        const std::string message(m->at("params").at("message").as_string());
        CHECK_MESSAGE(message.find(c.says) != std::string::npos, message);
        CHECK(message.starts_with("fim-lsp: the proxy " + url + " (from endpoint.proxy)"));
      }
      CHECK(s.lsp.stderr_text().find(kTestKey) == std::string::npos);
    }
  }

  TEST_CASE("NO_PROXY: a listed endpoint is reached directly") {
    ConnectProxy proxy;
    Session s({{"endpoint", {{"timeoutMs", 800}}}}, {}, {},
              env_with({"HTTPS_PROXY=" + proxy.url(), "NO_PROXY=localhost,.fim.test"}));
    configure(s, {{"baseUrl", proxied_url(s.backend.port())}});
    s.open("file:///n.py", kPrompt);
    CHECK(s.complete_at("file:///n.py", 0, kEnd) == ""); // straight: the name resolves nowhere
    CHECK(proxy.seen().request_lines.empty());
    CHECK(s.lsp.stderr_text().find(std::string("no proxy for ") + kProxiedHost + ": NO_PROXY lists it") !=
          std::string::npos);
  }

  TEST_CASE("an https:// proxy URL in the environment is refused with a message saying so") {
    Session s({}, {}, {}, env_with({"HTTPS_PROXY=https://proxy.example:3128"}));
    configure(s, {{"baseUrl", proxied_url(s.backend.port())}});
    s.open("file:///h.py", kPrompt);
    CHECK(s.complete_at("file:///h.py", 0, kEnd) == "");
    auto m = s.lsp.wait_notification("window/showMessage");
    REQUIRE(m);
    CHECK(std::string(m->at("params").at("message").as_string())
              .starts_with(
                  "fim-lsp: the proxy URL in HTTPS_PROXY is an https:// URL (TLS to the proxy itself), "
                  "which fim-lsp does not support"));
    CHECK(s.backend.requests().empty());
  }
}
