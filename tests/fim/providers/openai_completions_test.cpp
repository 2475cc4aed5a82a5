#include "decode.hpp"
#include "fimlsp/fim/plan.hpp"
#include "fimlsp/fim/providers/openai_completions.hpp"
#include "fimlsp/fim/providers/registry.hpp"
#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace fimlsp::fim;

namespace {

using fimlsp::test::head;

fimlsp::test::Decoded decode(const ResponseHead& h, std::string_view body, std::size_t step = 1,
                             std::function<bool(std::string_view)> on_text = {}) {
  return fimlsp::test::decode(openai_completions(), h, body, step, std::move(on_text));
}

const ResponseHead sse = head(200, "text/event-stream; charset=utf-8");
const ResponseHead json_reply = head(200, "application/json");

// A DashScope stream: "usage": null and "system_fingerprint": null in every chunk, then a
// usage-only chunk with "choices": [], then [DONE].
const std::string dashscope_stream =
    ": ping\n\n"
    "data: {\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"int \","
    "\"finish_reason\":null,\"logprobs\":null}],\"usage\":null,\"system_fingerprint\":null}\n\n"
    "data: {\"choices\":[{\"text\":\"x\\n\",\"finish_reason\":null}],\"usage\":null}\r\n\r\n"
    "data: {\"choices\":[{\"text\":\"\",\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n"
    "data: [DONE]\n\n";

} // namespace

TEST_CASE("openai completions: the request: POST /completions, the key as a bearer token, the seed's body") {
  Settings s;
  s.request.maxTokens.reset();
  s.request.stream = false;
  const CompletionPlan plan =
      make_plan(s, CompletionInput{.prefix = "Write a Python quick sort function, def quick_sort(arr):"});
  const HttpRequest r = openai_completions().make_request(plan, "sk-abc");
  CHECK(r.method == "POST");
  CHECK(r.path == "/completions");
  using H = std::vector<std::pair<std::string, std::string>>;
  CHECK(r.headers == H{{"Authorization", "Bearer sk-abc"},
                       {"Content-Type", "application/json"},
                       {"Accept", "text/event-stream, application/json"}});
  CHECK(r.body ==
        R"({"model":"qwen-coder-turbo","prompt":"<|fim_prefix|>Write a Python quick sort function, )"
        R"(def quick_sort(arr):<|fim_suffix|>"})");
  // A local server without a key gets no Authorization header at all.
  CHECK(openai_completions().make_request(plan, "").headers.size() == 2);
}

TEST_CASE("openai completions: \"completions\" is registered; unknown shapes are not") {
  CHECK(find_provider(kDefaultApi) == &openai_completions());
  CHECK(find_provider("completions") == &openai_completions());
  CHECK_FALSE(find_provider("no-such-api"));
  CHECK(provider_names().front() == kDefaultApi);
}

TEST_CASE("openai completions: a stream fed in any split gives the same text, usage, finish and [DONE]") {
  for (std::size_t step : {1, 2, 3, 7, 64, 100000}) {
    CAPTURE(step);
    auto d = decode(sse, dashscope_stream, step);
    CHECK(!d.reply.ec);
    CHECK(d.reply.message.empty());
    CHECK(d.text == "int x\n");
    CHECK(d.pieces == 2); // empty texts are no pieces
    CHECK(d.reply.finish_reason == std::optional<std::string>("stop"));
    CHECK(d.reply.done);
    REQUIRE(d.reply.usage);
    CHECK(d.reply.usage->prompt_tokens == 12);
    CHECK(d.reply.usage->completion_tokens == 3);
    CHECK_FALSE(d.reply.retry_after);
  }
}

TEST_CASE("openai completions: usage null throughout is no usage; chat-style delta chunks are text") {
  auto d = decode(sse, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n"
                       "data: {\"choices\":[{\"text\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
                       "data: [DONE]\n\n");
  CHECK(!d.reply.ec);
  CHECK(d.text == "a");
  CHECK_FALSE(d.reply.usage);
}

TEST_CASE("openai completions: a stream without [DONE] or a finish reason broke off") {
  auto d = decode(sse, "data: {\"choices\":[{\"text\":\"a\"}]}\n\n");
  CHECK(d.reply.ec == error::network);
  CHECK(d.reply.message == "the stream ended before [DONE]");
  CHECK(d.text == "a");
  // A finish reason is end enough (some servers send no [DONE]); a pending event is dispatched.
  auto f = decode(sse, "data: {\"choices\":[{\"text\":\"a\",\"finish_reason\":\"length\"}]}");
  CHECK(!f.reply.ec);
  CHECK(f.reply.finish_reason == std::optional<std::string>("length"));
}

TEST_CASE("openai completions: an error chunk stops the stream as a backend error") {
  auto d = decode(
      sse, "data: {\"choices\":[{\"text\":\"a\"}]}\n\n"
           "data: "
           "{\"error\":{\"message\":\"Rate\\nlimited\",\"type\":\"x\",\"code\":\"Throttling.RateQuota\"}}\n\n"
           "data: {\"choices\":[{\"text\":\"never\"}]}\n\n");
  CHECK(d.stopped);
  CHECK(d.text == "a");
  CHECK(d.reply.ec == error::backend);
  CHECK(d.reply.message == "the backend reported an error: Rate limited (Throttling.RateQuota)");
  // "error": null is no error.
  auto ok = decode(sse, "data: {\"error\":null,\"choices\":[{\"text\":\"ok\"}]}\n\ndata: [DONE]\n\n");
  CHECK(!ok.reply.ec);
  CHECK(ok.text == "ok");
}

TEST_CASE("openai completions: malformed JSON stops the stream as malformed") {
  for (const char* bad : {"{\"choices\": [ not json", "[1,2]", "\"text\"", R"({"choices":[3]})"}) {
    CAPTURE(bad);
    auto d = decode(sse, "data: {\"choices\":[{\"text\":\"a\"}]}\n\ndata: " + std::string(bad) + "\n\n", 5);
    CHECK(d.stopped);
    CHECK(d.text == "a");
    CHECK(d.reply.ec == error::malformed);
    CHECK(d.reply.message.starts_with("malformed payload: "));
  }
}

TEST_CASE("openai completions: on_text returning false stops at once") {
  auto d = decode(sse, dashscope_stream, 100000, [](std::string_view) { return false; });
  CHECK(d.stopped);
  CHECK(d.text == "int ");
  CHECK(!d.reply.ec);
}

TEST_CASE("openai completions: a whole JSON reply (stream: false) carries its usage at the top level") {
  const std::string body = R"({"id":"c","object":"text_completion","choices":[{"index":0,"text":"a\nb",)"
                           R"("finish_reason":"length","logprobs":null}],)"
                           R"("usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})";
  for (std::size_t step : {1, 10, 1000}) {
    CAPTURE(step);
    auto d = decode(json_reply, body, step);
    CHECK(!d.reply.ec);
    CHECK(d.text == "a\nb");
    CHECK(d.pieces == 1);
    CHECK(d.reply.finish_reason == std::optional<std::string>("length"));
    REQUIRE(d.reply.usage);
    CHECK(d.reply.usage->prompt_tokens == 5);
    CHECK(d.reply.usage->completion_tokens == 2);
  }
  auto bad = decode(json_reply, "{not json");
  CHECK(bad.reply.ec == error::malformed);
  CHECK(bad.reply.message == "malformed payload: {not json");
  auto err = decode(json_reply, R"({"error":{"message":"The model is overloaded.","code":"overloaded"}})");
  CHECK(err.reply.ec == error::backend);
  CHECK(err.reply.message == "the backend reported an error: The model is overloaded. (overloaded)");
}

TEST_CASE(
    "openai completions: error replies: the status, the error JSON's message, Retry-After on 429 and 503") {
  const std::string dashscope_429 =
      R"({"error":{"message":"Requests rate limit exceeded, please try again later.","type":"limit_requests",)"
      R"("param":null,"code":"Throttling.RateQuota"}})";
  auto d = decode(head(429, "application/json", {{"Retry-After", "2"}}), dashscope_429, 3);
  CHECK(d.reply.ec == error::http_status);
  CHECK(d.reply.message == "HTTP 429 Too Many Requests: Requests rate limit exceeded, please try again "
                           "later. (Throttling.RateQuota)");
  CHECK(d.reply.retry_after == std::optional(std::chrono::milliseconds(2000)));
  CHECK(d.text.empty());

  ResponseHead h503 = head(503, "application/json", {{"retry-after-ms", "1500"}});
  h503.reason = "Service Unavailable";
  CHECK(decode(h503, "{}").reply.retry_after == std::optional(std::chrono::milliseconds(1500)));
  ResponseHead h500 = head(500, "text/html", {{"Retry-After", "2"}});
  h500.reason = "Internal Server Error";
  auto e = decode(h500, "<html>\n<body>oops</body></html>");
  CHECK(e.reply.ec == error::http_status);
  CHECK_FALSE(e.reply.retry_after); // honoured for 429 and 503 only
  CHECK(e.reply.message == "HTTP 500 Internal Server Error: <html> <body>oops</body></html>");

  ResponseHead h401 = head(401, "application/json");
  h401.reason = "Unauthorized";
  CHECK(decode(h401, R"({"error":"no key"})").reply.message == "HTTP 401 Unauthorized: no key");
  CHECK(decode(h401, "").reply.message == "HTTP 401 Unauthorized");
  // A 2xx reply whose body is an SSE error stream is still decoded as a stream, not a status error.
  CHECK(decode(sse, "data: {\"error\":\"x\"}\n\n").reply.ec == error::backend);
}

TEST_CASE("openai completions: an error body is kept to its start only") {
  ResponseHead h = head(502, "text/plain");
  h.reason = "Bad Gateway";
  auto d = decode(h, std::string(1 << 20, 'x'), 4096);
  CHECK_FALSE(d.stopped); // read to its end: the connection stays usable
  CHECK(d.reply.ec == error::http_status);
  CHECK(d.reply.message == "HTTP 502 Bad Gateway: " + std::string(200, 'x') + "...");
}
