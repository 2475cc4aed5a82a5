// fimLsp/status as a client sees it: the state through a request, a refused key, a rate limit,
// a stall, a TLS failure, a missing key; the usage counted from the backend's reports.
#include "support/replies.hpp"
#include "support/session.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

// The next status notification whose state is `state` (earlier ones are passed over).
std::optional<json::value> next_status(LspProcess& lsp, const std::string& state) {
  auto m = lsp.wait_for([&](const json::value& v) {
    const auto* o = v.if_object();
    return o && o->contains("method") && o->at("method") == "fimLsp/status" &&
           o->at("params").at("state") == json::value(state);
  });
  if (!m) return std::nullopt;
  return m->at("params");
}

// What a client that asks for the notification says in its capabilities.
json::object asking() {
  return {{"experimental", {{"fimLspStatus", true}}}};
}

} // namespace

TEST_SUITE("status") {

  TEST_CASE("ready after initialize; busy while a request streams; ready again with the usage counted") {
    Session s({}, asking());
    REQUIRE(next_status(s.lsp, "ready"));
    s.backend.set_reply(held({"return ", "1"}));
    s.open("file:///a.py", "def f():\n    \n", "python");
    const auto id = s.inline_request("file:///a.py", 1, 4);
    const auto busy = next_status(s.lsp, "busy");
    REQUIRE(busy);
    CHECK(busy->at("usage").at("requests") == 1);
    s.backend.release();
    CHECK(s.inline_text(id) == "return 1");
    const auto ready = next_status(s.lsp, "ready");
    REQUIRE(ready);
    CHECK(ready->at("usage").at("requests") == 1);
    CHECK(ready->at("usage").at("completionTokens").to_number<int>() > 0);
    CHECK(ready->at("usage").at("promptTokens").to_number<int>() > 0);
    CHECK_FALSE(ready->as_object().contains("message"));
  }

  TEST_CASE("a refused key is an error with the reason, never the key; a 429 a backoff with its end") {
    Session s({}, asking());
    s.backend.set_reply(fault(Fault::Status401EchoKey));
    s.open("file:///a.py", "x = \n", "python");
    CHECK(s.complete_at("file:///a.py", 0, 4) == "");
    const auto error = next_status(s.lsp, "error");
    REQUIRE(error);
    CHECK(error->at("message").as_string().find("401") != std::string::npos);
    CHECK(json::serialize(*error).find(kTestKey) == std::string::npos);

    Reply limited = fault(Fault::Status429);
    limited.retry_after = "30";
    s.backend.set_reply(limited);
    s.open("file:///b.py", "y = \n", "python");
    CHECK(s.complete_at("file:///b.py", 0, 4) == "");
    const auto backoff = next_status(s.lsp, "backoff");
    REQUIRE(backoff);
    REQUIRE(backoff->as_object().contains("until"));
    const std::string until(backoff->at("until").as_string());
    CHECK(until.size() == 24); // 2026-12-02T15:30:00.000Z
    CHECK(until.ends_with("Z"));
  }

  TEST_CASE("a stalled backend is an error when the deadline passes; a TLS failure says TLS") {
    Session stalled({{"endpoint", {{"timeoutMs", 300}}}}, asking());
    stalled.backend.set_reply(fault(Fault::StallHeaders));
    stalled.open("file:///a.py", "x = \n", "python");
    CHECK(stalled.complete_at("file:///a.py", 0, 4) == "");
    const auto timed_out = next_status(stalled.lsp, "error");
    REQUIRE(timed_out);
    CHECK_MESSAGE(timed_out->at("message").as_string().find("before the deadline") != std::string::npos,
                  *timed_out);

    Session wrong_host({}, asking(), BackendOptions{.wrong_host_certificate = true});
    wrong_host.open("file:///a.py", "x = \n", "python");
    CHECK(wrong_host.complete_at("file:///a.py", 0, 4) == "");
    const auto tls = next_status(wrong_host.lsp, "error");
    REQUIRE(tls);
    CHECK_MESSAGE(tls->at("message").as_string().find("TLS") != std::string::npos, *tls);
    CHECK(wrong_host.backend.requests().empty());
  }

  TEST_CASE("no key for a remote endpoint: disabled, saying which variable to set") {
    Session s({{"endpoint", {{"baseUrl", "https://example.invalid/v1"}}}}, asking(), {},
              {"DASHSCOPE_API_KEY="});
    const auto disabled = next_status(s.lsp, "disabled");
    REQUIRE(disabled);
    CHECK(disabled->at("message").as_string().find("DASHSCOPE_API_KEY") != std::string::npos);
  }

  TEST_CASE("a client that did not ask gets no status notification") {
    Session s;
    s.backend.set_reply(ok("1"));
    s.open("file:///a.py", "x = \n", "python");
    CHECK(s.complete_at("file:///a.py", 0, 4) == "1");
    s.sync();
    for (const auto& m : s.lsp.received())
      CHECK_FALSE((m.is_object() && m.as_object().contains("method") && m.at("method") == "fimLsp/status"));
  }
}

} // namespace fimlsp::test
