// Each request shape (endpoint.api) beside completions: the exact request it sends for the
// seed's parameters, and how it reads its streamed, whole and error replies.
#include "decode.hpp"
#include "fimlsp/fim/plan.hpp"
#include "fimlsp/fim/prompt/other_files.hpp"
#include "fimlsp/fim/providers/completions_suffix.hpp"
#include "fimlsp/fim/providers/llamacpp_infill.hpp"
#include "fimlsp/fim/providers/mistral_fim.hpp"
#include "fimlsp/fim/providers/ollama_generate.hpp"
#include "fimlsp/fim/providers/registry.hpp"
#include <boost/json.hpp>
#include <doctest/doctest.h>

namespace fimlsp::test {

using fim::CompletionPlan;
using fim::error;
using fim::HttpRequest;
using fim::Settings;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

CompletionPlan plan_for(const Settings& s) {
  return fim::make_plan(
      s, fim::CompletionInput{.prefix = "def add(a, b):\n    ", .suffix = "\n\nprint(add(1, 2))\n"});
}

// Every seed parameter set (top_p instead of temperature in a second plan).
Settings every_parameter() {
  Settings s;
  s.model = "m";
  s.request.maxTokens = 64;
  s.request.temperature = 0.2;
  s.request.stop = {"\n\n", "END"};
  s.request.seed = 42;
  s.request.presencePenalty = 0.5;
  return s;
}

const fim::ResponseHead sse = head(200, "text/event-stream");
const fim::ResponseHead whole = head(200, "application/json");
const fim::ResponseHead ndjson = head(200, "application/x-ndjson");

fim::ResponseHead status(int code, std::string reason, Headers more = {}) {
  auto h = head(code, "application/json", std::move(more));
  h.reason = std::move(reason);
  return h;
}

} // namespace

TEST_CASE("shapes: every endpoint.api name has its provider") {
  for (auto name : fim::provider_names()) {
    CAPTURE(name);
    CHECK(fim::find_provider(name));
  }
  CHECK(fim::find_provider("completions-suffix") == &fim::completions_suffix());
  CHECK(fim::find_provider("mistral-fim") == &fim::mistral_fim());
  CHECK(fim::find_provider("llamacpp-infill") == &fim::llamacpp_infill());
  CHECK(fim::find_provider("ollama-generate") == &fim::ollama_generate());
  CHECK(fim::provider_names().size() == 5);
}

TEST_CASE("completions-suffix: the prefix as prompt, the suffix as suffix, the seed's names") {
  const HttpRequest r = fim::completions_suffix().make_request(plan_for(Settings{}), "sk-1");
  CHECK(r.path == "/completions");
  CHECK(r.headers == Headers{{"Authorization", "Bearer sk-1"},
                             {"Content-Type", "application/json"},
                             {"Accept", "text/event-stream, application/json"}});
  CHECK(r.body == R"({"model":"qwen-coder-turbo","prompt":"def add(a, b):\n    ",)"
                  R"("suffix":"\n\nprint(add(1, 2))\n","max_tokens":128,"stream":true,)"
                  R"("stream_options":{"include_usage":true}})");
  Settings s = every_parameter();
  s.request.stream = false;
  CHECK(fim::completions_suffix().make_request(plan_for(s), "").body ==
        R"({"model":"m","prompt":"def add(a, b):\n    ","suffix":"\n\nprint(add(1, 2))\n","max_tokens":64,)"
        R"("temperature":0.2,"presence_penalty":0.5,"seed":42,"stop":["\n\n","END"]})");
  CHECK(fim::completions_suffix().unsent(s.request).empty());
}

TEST_CASE("completions-suffix: replies read as completions (DeepSeek's stream)") {
  const std::string stream =
      "data: "
      "{\"id\":\"x\",\"choices\":[{\"text\":\"return\",\"index\":0,\"finish_reason\":null}],\"usage\":null}"
      "\n\n"
      "data: {\"choices\":[{\"text\":\" a + b\",\"index\":0,\"finish_reason\":\"stop\"}]}\n\n"
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}\n\n"
      "data: [DONE]\n\n";
  for (std::size_t step : {1, 5, 1000}) {
    auto d = decode(fim::completions_suffix(), sse, stream, step);
    CHECK(!d.reply.ec);
    CHECK(d.text == "return a + b");
    CHECK(d.reply.done);
    REQUIRE(d.reply.usage);
    CHECK(d.reply.usage->completion_tokens == 4);
  }
}

TEST_CASE("mistral-fim: POST /fim/completions with random_seed, no presence_penalty") {
  const HttpRequest r = fim::mistral_fim().make_request(plan_for(Settings{}), "key");
  CHECK(r.path == "/fim/completions");
  CHECK(r.headers.front() == std::pair<std::string, std::string>{"Authorization", "Bearer key"});
  CHECK(r.body == R"({"model":"qwen-coder-turbo","prompt":"def add(a, b):\n    ",)"
                  R"("suffix":"\n\nprint(add(1, 2))\n","max_tokens":128,"stream":true})");
  Settings s = every_parameter();
  s.request.temperature.reset();
  s.request.topP = 0.9;
  s.request.stream = false;
  CHECK(fim::mistral_fim().make_request(plan_for(s), "key").body ==
        R"({"model":"m","prompt":"def add(a, b):\n    ","suffix":"\n\nprint(add(1, 2))\n","max_tokens":64,)"
        R"("top_p":0.9,"stop":["\n\n","END"],"random_seed":42,"stream":false})");
  CHECK(fim::mistral_fim().unsent(s.request) == std::vector<std::string>{"request.presencePenalty"});
  s.request.presencePenalty.reset();
  CHECK(fim::mistral_fim().unsent(s.request).empty());
}

TEST_CASE("mistral-fim: delta.content streamed, message.content whole, usage on the last chunk") {
  const std::string stream =
      "data: {\"id\":\"f\",\"object\":\"chat.completion.chunk\",\"model\":\"codestral-latest\","
      "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]"
      "}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"return a\"},\"finish_reason\":null}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" + b\"},\"finish_reason\":\"stop\"}],"
      "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":11,\"completion_tokens\":3}}\n\n"
      "data: [DONE]\n\n";
  for (std::size_t step : {1, 3, 1000}) {
    CAPTURE(step);
    auto d = decode(fim::mistral_fim(), sse, stream, step);
    CHECK(!d.reply.ec);
    CHECK(d.text == "return a + b");
    CHECK(d.pieces == 2);
    CHECK(d.reply.finish_reason == std::optional<std::string>("stop"));
    REQUIRE(d.reply.usage);
    CHECK(d.reply.usage->prompt_tokens == 8);
  }
  auto w = decode(fim::mistral_fim(), whole,
                  R"({"id":"f","object":"chat.completion","model":"codestral-latest","choices":[{"index":0,)"
                  R"("message":{"role":"assistant","content":"return a + b"},"finish_reason":"stop"}],)"
                  R"("usage":{"prompt_tokens":8,"completion_tokens":3}})",
                  7);
  CHECK(!w.reply.ec);
  CHECK(w.text == "return a + b");
  CHECK(w.reply.usage->completion_tokens == 3);
}

TEST_CASE("mistral-fim: its error replies: top-level message, object: error, Retry-After") {
  auto d = decode(fim::mistral_fim(), status(401, "Unauthorized"),
                  R"({"message":"Unauthorized","request_id":"r1"})");
  CHECK(d.reply.ec == error::http_status);
  CHECK(d.reply.message == "HTTP 401 Unauthorized: Unauthorized");
  auto r = decode(fim::mistral_fim(), status(429, "Too Many Requests", {{"Retry-After", "3"}}),
                  R"({"object":"error","message":"Requests rate limit exceeded","type":"rate_limited",)"
                  R"("param":null,"code":"1300"})");
  CHECK(r.reply.message == "HTTP 429 Too Many Requests: Requests rate limit exceeded (1300)");
  CHECK(r.reply.retry_after == std::optional(std::chrono::milliseconds(3000)));
  auto v = decode(
      fim::mistral_fim(), status(422, "Unprocessable Entity"),
      R"({"object":"error","message":{"detail":[{"msg":"Field required"}]},"type":"invalid_request"})");
  CHECK(v.reply.message == R"(HTTP 422 Unprocessable Entity: {"detail":[{"msg":"Field required"}]})");
  // An error object inside a 200 stream.
  auto e = decode(
      fim::mistral_fim(), sse,
      "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
      "data: {\"object\":\"error\",\"message\":\"The model is overloaded.\",\"code\":\"overloaded\"}\n\n");
  CHECK(e.reply.ec == error::backend);
  CHECK(e.reply.message == "the backend reported an error: The model is overloaded. (overloaded)");
  CHECK(e.text == "a");
}

TEST_CASE("llamacpp-infill: POST /infill, n_predict, cache_prompt, input_extra, no model") {
  const HttpRequest r = fim::llamacpp_infill().make_request(plan_for(Settings{}), "");
  CHECK(r.path == "/infill");
  CHECK(r.headers ==
        Headers{{"Content-Type", "application/json"}, {"Accept", "text/event-stream, application/json"}});
  CHECK(r.body == R"({"input_prefix":"def add(a, b):\n    ","input_suffix":"\n\nprint(add(1, 2))\n",)"
                  R"("input_extra":[],"n_predict":128,"stream":true,"cache_prompt":true})");
  Settings s = every_parameter();
  s.request.stream = false;
  CHECK(
      fim::llamacpp_infill().make_request(plan_for(s), "k").body ==
      R"({"input_prefix":"def add(a, b):\n    ","input_suffix":"\n\nprint(add(1, 2))\n","input_extra":[],)"
      R"("n_predict":64,"temperature":0.2,"stop":["\n\n","END"],"seed":42,"stream":false,"cache_prompt":true})");
  CHECK(fim::llamacpp_infill().unsent(s.request) == std::vector<std::string>{"request.presencePenalty"});
}

TEST_CASE("shapes that take the prefix alone carry other files: as input_extra, or commented before it") {
  fim::CompletionInput input{.prefix = "x = ", .suffix = "\n"};
  input.other_files = {
      .repo = "r", .path = "a.py", .language = "python", .snippets = {{"lib/tax.py", "RATE = 2\n"}}};
  input.other_files.fingerprint = 1;
  const auto plan = fim::make_plan(Settings{}, input);
  CHECK(fim::llamacpp_infill().make_request(plan, "").body.find(
            R"("input_extra":[{"filename":"lib/tax.py","text":"RATE = 2\n"}])") != std::string::npos);
  const std::string commented = fim::commented_snippets(plan.other_files);
  REQUIRE(commented.find("lib/tax.py") != std::string::npos);
  for (const auto* shape : {&fim::completions_suffix(), &fim::mistral_fim(), &fim::ollama_generate()}) {
    const auto body = boost::json::parse(shape->make_request(plan, "").body);
    CHECK(body.at("prompt") == boost::json::value(commented + "x = "));
  }
}

TEST_CASE("llamacpp-infill: SSE content events end with stop: true (no [DONE]); whole replies") {
  const std::string stream =
      "data: {\"index\":0,\"content\":\"return\",\"tokens\":[1],\"stop\":false,\"id_slot\":0}\n\n"
      "data: {\"index\":0,\"content\":\" a + b\",\"stop\":false}\n\n"
      "data: {\"index\":0,\"content\":\"\",\"stop\":true,\"stop_type\":\"eos\",\"tokens_predicted\":4,"
      "\"tokens_evaluated\":17,\"timings\":{\"predicted_n\":4}}\n\n";
  for (std::size_t step : {1, 4, 1000}) {
    CAPTURE(step);
    auto d = decode(fim::llamacpp_infill(), sse, stream, step);
    CHECK(!d.reply.ec);
    CHECK(d.text == "return a + b");
    CHECK(d.reply.done);
    CHECK(d.reply.finish_reason == std::optional<std::string>("eos"));
    REQUIRE(d.reply.usage);
    CHECK(d.reply.usage->prompt_tokens == 17);
    CHECK(d.reply.usage->completion_tokens == 4);
  }
  auto cut = decode(fim::llamacpp_infill(), sse, "data: {\"content\":\"ret\",\"stop\":false}\n\n");
  CHECK(cut.reply.ec == error::network);
  CHECK(cut.reply.message == "the stream ended before an event with \"stop\": true");
  auto w =
      decode(fim::llamacpp_infill(), whole, R"({"content":"return a + b","stop":true,"tokens_predicted":4})");
  CHECK(!w.reply.ec);
  CHECK(w.text == "return a + b");
}

TEST_CASE("llamacpp-infill: its error replies") {
  auto d = decode(fim::llamacpp_infill(), status(503, "Service Unavailable", {{"Retry-After", "2"}}),
                  R"({"error":{"code":503,"message":"Loading model","type":"unavailable_error"}})");
  CHECK(d.reply.ec == error::http_status);
  CHECK(d.reply.message == "HTTP 503 Service Unavailable: Loading model (503)");
  CHECK(d.reply.retry_after == std::optional(std::chrono::milliseconds(2000)));
  auto e = decode(fim::llamacpp_infill(), sse,
                  "data: {\"content\":\"a\",\"stop\":false}\n\ndata: "
                  "{\"error\":{\"code\":500,\"message\":\"boom\"}}\n\n");
  CHECK(e.reply.ec == error::backend);
  CHECK(e.reply.message == "the backend reported an error: boom (500)");
  // Older servers: an "error:" field instead of a data: event.
  auto old = decode(fim::llamacpp_infill(), sse,
                    "data: {\"content\":\"a\",\"stop\":false}\n\n"
                    "error: {\"code\":500,\"message\":\"context full\",\"type\":\"server_error\"}\n\n",
                    3);
  CHECK(old.stopped);
  CHECK(old.text == "a");
  CHECK(old.reply.ec == error::backend);
  CHECK(old.reply.message == "the backend reported an error: context full (500)");
}

TEST_CASE("ollama-generate: POST /api/generate, the parameters under options, stream always said") {
  const HttpRequest r = fim::ollama_generate().make_request(plan_for(Settings{}), "");
  CHECK(r.path == "/api/generate");
  CHECK(r.headers ==
        Headers{{"Content-Type", "application/json"}, {"Accept", "application/x-ndjson, application/json"}});
  CHECK(r.body == R"({"model":"qwen-coder-turbo","prompt":"def add(a, b):\n    ",)"
                  R"("suffix":"\n\nprint(add(1, 2))\n","stream":true,"options":{"num_predict":128}})");
  Settings s = every_parameter();
  s.request.stream = false;
  CHECK(
      fim::ollama_generate().make_request(plan_for(s), "").body ==
      R"({"model":"m","prompt":"def add(a, b):\n    ","suffix":"\n\nprint(add(1, 2))\n","stream":false,)"
      R"("options":{"num_predict":64,"temperature":0.2,"stop":["\n\n","END"],"seed":42,"presence_penalty":0.5}})");
  CHECK(fim::ollama_generate().unsent(s.request).empty());
  s.request = {};
  s.request.maxTokens.reset();
  CHECK(fim::ollama_generate().make_request(plan_for(s), "").body.find("options") == std::string::npos);
}

TEST_CASE("ollama-generate: NDJSON lines in any split; done: true ends it with the counts") {
  const std::string stream =
      "{\"model\":\"qwen2.5-coder\",\"created_at\":\"2024-01-01T00:00:00Z\",\"response\":\"return\",\"done\":"
      "false}\n"
      "{\"model\":\"qwen2.5-coder\",\"response\":\" a + b\",\"done\":false}\r\n"
      "\n"
      "{\"model\":\"qwen2.5-coder\",\"response\":\"\",\"done\":true,\"done_reason\":\"stop\","
      "\"prompt_eval_count\":26,\"eval_count\":4}\n";
  for (std::size_t step : {1, 2, 7, 1000}) {
    CAPTURE(step);
    auto d = decode(fim::ollama_generate(), ndjson, stream, step);
    CHECK(!d.reply.ec);
    CHECK(d.text == "return a + b");
    CHECK(d.reply.done);
    CHECK(d.reply.finish_reason == std::optional<std::string>("stop"));
    REQUIRE(d.reply.usage);
    CHECK(d.reply.usage->prompt_tokens == 26);
    CHECK(d.reply.usage->completion_tokens == 4);
  }
  // A last line without its newline still counts; a stream sent as application/json is still read.
  auto no_nl = decode(fim::ollama_generate(), whole, stream.substr(0, stream.size() - 1), 5);
  CHECK(!no_nl.reply.ec);
  CHECK(no_nl.text == "return a + b");
  auto cut = decode(fim::ollama_generate(), ndjson, "{\"response\":\"ret\",\"done\":false}\n");
  CHECK(cut.reply.ec == error::network);
  CHECK(cut.reply.message == "the stream ended before a line with \"done\": true");
  auto w = decode(fim::ollama_generate(), whole, R"({"response":"return a + b","done":true,"eval_count":4})");
  CHECK(!w.reply.ec);
  CHECK(w.text == "return a + b");
  auto bad = decode(fim::ollama_generate(), ndjson, "{\"response\":\"a\",\"done\":false}\n{not json\n");
  CHECK(bad.reply.ec == error::malformed);
  CHECK(bad.text == "a");
}

TEST_CASE("ollama-generate: its error replies: {\"error\": \"...\"} as status or as a line") {
  auto d = decode(fim::ollama_generate(), status(404, "Not Found"),
                  R"({"error":"model \"qwen2.5-coder:1.5b\" not found, try pulling it first"})");
  CHECK(d.reply.ec == error::http_status);
  CHECK(d.reply.message ==
        "HTTP 404 Not Found: model \"qwen2.5-coder:1.5b\" not found, try pulling it first");
  auto r = decode(fim::ollama_generate(), status(429, "Too Many Requests", {{"retry-after-ms", "250"}}),
                  R"({"error":"busy"})");
  CHECK(r.reply.retry_after == std::optional(std::chrono::milliseconds(250)));
  auto e = decode(
      fim::ollama_generate(), ndjson,
      "{\"response\":\"a\",\"done\":false}\n{\"error\":\"out of memory\"}\n{\"response\":\"never\"}\n");
  CHECK(e.stopped);
  CHECK(e.text == "a");
  CHECK(e.reply.ec == error::backend);
  CHECK(e.reply.message == "the backend reported an error: out of memory");
}

TEST_CASE("shapes: a stream sent without its content type is still read as the shape frames it") {
  auto d = decode(fim::mistral_fim(), whole,
                  "data: {\"choices\":[{\"delta\":{\"content\":\"ab\"}}]}\n\ndata: [DONE]\n\n", 3);
  CHECK(!d.reply.ec);
  CHECK(d.text == "ab");
  auto l = decode(fim::llamacpp_infill(), head(200, ""), "data: {\"content\":\"ab\",\"stop\":true}\n\n");
  CHECK(!l.reply.ec);
  CHECK(l.text == "ab");
  // Not JSON and not a stream: malformed.
  auto bad = decode(fim::mistral_fim(), whole, "<html>oops</html>");
  CHECK(bad.reply.ec == error::malformed);
}

TEST_CASE("shapes: on_text returning false stops every shape at once") {
  struct Case {
    const fim::Provider* provider;
    fim::ResponseHead head;
    std::string body;
  };
  const Case cases[] = {
      {&fim::mistral_fim(), sse,
       "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: "
       "{\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n"},
      {&fim::llamacpp_infill(), sse,
       "data: {\"content\":\"a\",\"stop\":false}\n\ndata: {\"content\":\"b\",\"stop\":false}\n\n"},
      {&fim::ollama_generate(), ndjson,
       "{\"response\":\"a\",\"done\":false}\n{\"response\":\"b\",\"done\":false}\n"},
  };
  for (const auto& c : cases) {
    auto d = decode(*c.provider, c.head, c.body, 1000, [](std::string_view) { return false; });
    CHECK(d.stopped);
    CHECK(d.text == "a");
    CHECK(!d.reply.ec);
  }
}

} // namespace fimlsp::test
