// Settings that change while connections are being opened or used: the server never dies,
// answers every request once, and a request after the change talks to the new endpoint.
#include "support/session.hpp"
#include "support/silent_listener.hpp"
#include "support/temp_dir.hpp"
#include <boost/json.hpp>
#include <doctest/doctest.h>

using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::string framed(const json::value& message) {
  return fimlsp::test::framed(json::serialize(message));
}

std::string initialize_frame(const std::string& base_url) {
  return framed({{"jsonrpc", "2.0"},
                 {"id", 1},
                 {"method", "initialize"},
                 {"params",
                  {{"processId", nullptr},
                   {"capabilities", json::object{}},
                   {"initializationOptions", {{"endpoint", {{"baseUrl", base_url}}}}}}}});
}

std::string open_frame() {
  return framed(
      {{"jsonrpc", "2.0"},
       {"method", "textDocument/didOpen"},
       {"params",
        {{"textDocument",
          {{"uri", "file:///w.txt"}, {"languageId", "plaintext"}, {"version", 1}, {"text", "x"}}}}}});
}

std::string endpoint_change_frame(json::object endpoint) {
  return framed({{"jsonrpc", "2.0"},
                 {"method", "workspace/didChangeConfiguration"},
                 {"params", {{"settings", {{"endpoint", std::move(endpoint)}}}}}});
}

// The server still answers, and ends as `exit` after `shutdown` says.
void expect_alive_then_exit(LspProcess& p) {
  const auto id = p.request("shutdown", nullptr);
  auto reply = p.wait_response(id);
  REQUIRE_MESSAGE(reply, p.stderr_text());
  CHECK(reply->at("result").is_null());
  p.notify("exit", nullptr);
  CHECK(p.wait_exit() == std::optional(0));
}

} // namespace

TEST_SUITE("reconfiguration") {

  TEST_CASE("the endpoint changes while the warm-up connection is being opened, in one write") {
    SilentListener silent; // accepts TCP, never answers TLS
    const std::string nothing = "https://127.0.0.1:" + std::to_string(closed_port()) + "/v1";
    struct Case {
      const char* name;
      std::string first_url;
      std::vector<json::object> changes;
    };
    const std::vector<Case> cases{
        {"https -> http",
         nothing,
         {{{"baseUrl", "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1"}}}},
        {"https -> a CA file that cannot be read", nothing, {{{"caFile", "/nonexistent/ca.pem"}}}},
        {"https -> https of another host", nothing, {{{"baseUrl", "https://localhost:1/v1"}}}},
        {"stalled handshake -> http", silent.base_url(), {{{"baseUrl", "http://127.0.0.1:1/v1"}}}},
        {"several changes",
         nothing,
         {{{"baseUrl", "http://127.0.0.1:1/v1"}},
          {{"baseUrl", silent.base_url()}},
          {{"caFile", "/nonexistent/ca.pem"}},
          {{"caFile", nullptr}, {"baseUrl", "https://localhost:1/v1"}},
          {{"baseUrl", "http://localhost:1/v1"}}}},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      LspProcess p({"--stdio"}, {std::string("DASHSCOPE_API_KEY=") + kTestKey});
      // A document opened: the warm-up starts, and the changes arrive while it is under way.
      std::string bytes = initialize_frame(c.first_url) + open_frame();
      for (const auto& change : c.changes)
        bytes += endpoint_change_frame(change);
      p.send_raw(bytes);
      REQUIRE(p.wait_response(1));
      expect_alive_then_exit(p);
    }
  }

  TEST_CASE("a request right after the change goes to the new endpoint, not the stalled warm-up") {
    SilentListener silent;
    TestBackend backend;
    backend.set_reply(Reply{.chunks = {"fresh"}});
    LspProcess p({"--stdio", "--log-level", "debug"}, {std::string("DASHSCOPE_API_KEY=") + kTestKey});
    p.initialize({}, {{"endpoint", {{"baseUrl", silent.base_url()}, {"timeoutMs", 4000}}}});
    // Opened first: the warm-up to the silent endpoint starts, and stalls.
    p.notify("textDocument/didOpen",
             {{"textDocument",
               {{"uri", "file:///a.txt"}, {"languageId", "plaintext"}, {"version", 1}, {"text", "x = "}}}});
    p.notify(
        "workspace/didChangeConfiguration",
        {{"settings", {{"endpoint", {{"baseUrl", backend.base_url()}, {"caFile", backend.ca_file()}}}}}});
    const auto id = p.request("textDocument/inlineCompletion", {{"textDocument", {{"uri", "file:///a.txt"}}},
                                                                {"position", {{"line", 0}, {"character", 4}}},
                                                                {"context", {{"triggerKind", 2}}}});
    auto reply = p.wait_response(id, 10s);
    REQUIRE_MESSAGE(reply, p.stderr_text());
    const auto& items = reply->at("result").at("items").as_array();
    REQUIRE_MESSAGE(items.size() == 1, p.stderr_text());
    CHECK(items[0].at("insertText") == "fresh");
    CHECK_MESSAGE(backend.requests().size() == 1, p.stderr_text());
    expect_alive_then_exit(p);
  }

  TEST_CASE("the endpoint changes while a request is streaming") {
    TestBackend other;
    other.set_reply(Reply{.chunks = {"from the new endpoint"}});
    Session s;
    s.backend.set_reply(Reply{.chunks = {"a", "b", "c", "d"}, .chunk_delay = 100ms});
    s.open("file:///s.txt", "y = ");
    const auto id = s.inline_request("file:///s.txt", 0, 4);
    REQUIRE(s.backend.wait_until([](const auto& r) { return r.size() == 1; }, 3s));
    s.lsp.notify(
        "workspace/didChangeConfiguration",
        {{"settings", {{"endpoint", {{"baseUrl", other.base_url()}, {"caFile", other.ca_file()}}}}}});
    CHECK_NOTHROW(s.inline_text(id)); // answered once, whatever it holds
    s.change("file:///s.txt", 0, 4, 0, 4, "1");
    CHECK(s.complete_at("file:///s.txt", 0, 5) == "from the new endpoint");
    CHECK(other.requests().size() == 1);
    expect_alive_then_exit(s.lsp);
  }

  TEST_CASE("Retry-After values that are huge, negative, not numbers or dates: the server keeps serving") {
    for (const char* value : {"99999999999", "1e300", "inf", "nan", "-5", "Sun, 06 Nov 1994 08:49:37 GMT",
                              "Fri, 31 Dec 9999 23:59:59 GMT", "soon", "184467440737095516160000"}) {
      CAPTURE(value);
      for (Fault f : {Fault::Status429, Fault::Status503}) {
        Session s;
        s.backend.set_reply(Reply{.fault = f, .retry_after = value});
        s.open("file:///r.txt", "a = ");
        CHECK(s.complete_at("file:///r.txt", 0, 4) == "");
        CHECK(s.complete_at("file:///r.txt", 0, 3) == "");
        expect_alive_then_exit(s.lsp);
      }
    }
  }

  TEST_CASE("503 with Retry-After backs off like 429; without it, the next request is sent") {
    Session s;
    s.backend.set_reply(Reply{.fault = Fault::Status503, .retry_after = "30"});
    s.open("file:///b.txt", "a = ");
    CHECK(s.complete_at("file:///b.txt", 0, 4) == "");
    s.backend.set_reply(Reply{.chunks = {"1"}});
    CHECK(s.complete_at("file:///b.txt", 0, 3) == "");
    CHECK_MESSAGE(s.backend.requests().size() == 1, s.lsp.stderr_text());

    Session t;
    t.backend.set_reply(Reply{.fault = Fault::Status503, .retry_after = ""});
    t.open("file:///c.txt", "a = ");
    CHECK(t.complete_at("file:///c.txt", 0, 4) == "");
    t.backend.set_reply(Reply{.chunks = {"1"}});
    CHECK(t.complete_at("file:///c.txt", 0, 4) == "1");
  }

} // TEST_SUITE
