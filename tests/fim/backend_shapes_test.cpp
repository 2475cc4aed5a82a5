// Each request shape through the real HTTP client against the loopback HTTPS test backend's
// route for it: streamed and whole replies, error replies with their back-off, and the
// settings a shape cannot send.
#include "fimlsp/fim/providers/registry.hpp"
#include "support/backend_harness.hpp"
#include <algorithm>
#include <boost/json/parse.hpp>

using namespace fimlsp::fim;
using namespace fimlsp::test;
using namespace std::chrono_literals;

namespace {

struct ShapeCase {
  const char* api;
  const char* target;    // under the backend's /v1
  bool whole_usage;      // a whole reply carries token counts
  const char* rate_code; // what the 429 message ends with: the error's code, as each server writes it
};

constexpr ShapeCase kShapes[] = {
    {"completions", "/v1/completions", false, " (Throttling.RateQuota)"},
    {"completions-suffix", "/v1/completions", false, " (Throttling.RateQuota)"},
    {"mistral-fim", "/v1/fim/completions", true, " (Throttling.RateQuota)"},
    {"llamacpp-infill", "/v1/infill", true, " (429)"},
    {"ollama-generate", "/v1/api/generate", true, ""}, // Ollama's error is a bare string
};

} // namespace

TEST_CASE("backend shapes: each shape's route, streamed and whole, gives the backend's exact text") {
  for (const ShapeCase& c : kShapes) {
    for (bool stream : {true, false}) {
      CAPTURE(c.api);
      CAPTURE(stream);
      TestBackend test_backend;
      test_backend.set_reply(Reply{.chunks = {"return ", "a + b", "\n"}});
      BackendHarness h(test_backend, stream, c.api);
      auto o = h.request();
      CHECK(!o.ec);
      CHECK(o.message.empty());
      CHECK(h.text == "return a + b\n");
      if (stream || c.whole_usage) {
        REQUIRE(o.usage);
        CHECK(o.usage->completion_tokens == 3);
      }
      auto reqs = test_backend.requests();
      REQUIRE(reqs.size() == 1);
      CHECK(reqs[0].target == c.target);
      CHECK(reqs[0].authorization == "Bearer " + kBackendKey);
      CHECK(reqs[0].body == find_provider(c.api)->make_request(h.plan(), kBackendKey).body);
    }
  }
}

TEST_CASE("backend shapes: each shape's error replies: the same messages and Retry-After") {
  for (const ShapeCase& c : kShapes) {
    CAPTURE(c.api);
    TestBackend test_backend;
    test_backend.set_reply(Reply{.chunks = {"a", "b"}, .fault = Fault::Status429, .retry_after = "2"});
    BackendHarness h(test_backend, true, c.api);
    auto o = h.request();
    CHECK(o.ec == error::http_status);
    CHECK(o.status == 429);
    CHECK(o.retry_after == std::optional(2000ms));
    CHECK(o.message ==
          std::string("HTTP 429 Too Many Requests: Requests rate limit exceeded.") + c.rate_code);

    test_backend.set_reply(Reply{.chunks = {"a", "b"}, .fault = Fault::ErrorChunk});
    auto e = h.request();
    CHECK(e.ec == error::backend);
    CHECK(e.message.starts_with("the backend reported an error: The model is overloaded."));
    CHECK(h.text == "a");

    test_backend.set_reply(Reply{.chunks = {"a", "b"}, .fault = Fault::DropMidStream});
    auto d = h.request();
    CHECK(d.ec == error::network);
  }
}

TEST_CASE("backend shapes: a setting the shape cannot send is logged once and not sent") {
  TestBackend test_backend;
  BackendHarness h(test_backend, true, "mistral-fim");
  h.settings.request.presencePenalty = 0.5;
  std::string diagnostics;
  REQUIRE_FALSE(h.backend.configure(h.settings, diagnostics));
  REQUIRE_FALSE(h.backend.configure(h.settings, diagnostics)); // an editor's burst of settings
  CHECK(std::count(h.logs.begin(), h.logs.end(),
                   "endpoint.api \"mistral-fim\" has no field for request.presencePenalty: it is not sent") ==
        1);
  CHECK(!h.request().ec);
  CHECK(test_backend.requests().at(0).body.find("presence") == std::string::npos);

  h.settings.endpoint.api = "no-such-shape";
  CHECK(h.backend.configure(h.settings, diagnostics) == error::config);
  CHECK(diagnostics == "endpoint.api: unknown request shape \"no-such-shape\"");
}
