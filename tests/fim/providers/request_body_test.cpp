#include "fimlsp/fim/prompt/templates.hpp"
#include "fimlsp/fim/providers/request_body.hpp"
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

namespace fimlsp::test {

using fim::build_request_body;
using fim::Settings;
namespace json = boost::json;

namespace {

// The seed's own examples send only model and prompt.
Settings seed_example_settings() {
  Settings s;
  s.request.maxTokens.reset();
  s.request.stream = false;
  return s;
}

// The body a JSON tool would write for `text`: same keys, same order, same escapes.
std::string canonical(std::string_view text) {
  return json::serialize(json::parse(text));
}

} // namespace

TEST_CASE("request body: the seed's prefix-only curl example, byte for byte") {
  const auto* qwen = fim::find_template("qwen");
  const std::string body = build_request_body(
      seed_example_settings(),
      render_prompt(*qwen, "Write a Python quick sort function, def quick_sort(arr):", ""));
  CHECK(body == canonical(R"({
    "model": "qwen-coder-turbo",
    "prompt": "<|fim_prefix|>Write a Python quick sort function, def quick_sort(arr):<|fim_suffix|>"
})"));
}

TEST_CASE("request body: the seed's prefix-and-suffix curl example, byte for byte") {
  const std::string prefix =
      "def reverse_words_with_special_chars(s):\n\"\"\"\nReverse each word in the string (preserving the "
      "position of "
      "non-alphabetic characters) and maintain the word order.\n    Example:\n    "
      "reverse_words_with_special_chars(\"Hello, world!\") -> \"olleH, dlrow!\"\n    Parameters:\n        s "
      "(str): "
      "The input string, which may contain punctuation.\n    Returns:\n        str: The processed string, "
      "where words "
      "are reversed but non-alphabetic characters remain in their original positions.\n\"\"\"\n";
  const std::string body = build_request_body(
      seed_example_settings(), render_prompt(*fim::find_template("qwen"), prefix, "return result"));
  // Copied from the seed's curl command.
  CHECK(body == canonical(R"({
    "model": "qwen-coder-turbo",
    "prompt": "<|fim_prefix|>def reverse_words_with_special_chars(s):\n\"\"\"\nReverse each word in the string (preserving the position of non-alphabetic characters) and maintain the word order.\n    Example:\n    reverse_words_with_special_chars(\"Hello, world!\") -> \"olleH, dlrow!\"\n    Parameters:\n        s (str): The input string, which may contain punctuation.\n    Returns:\n        str: The processed string, where words are reversed but non-alphabetic characters remain in their original positions.\n\"\"\"\n<|fim_suffix|>return result<|fim_middle|>"
})"));
}

TEST_CASE("request body: defaults stream with usage and cap max_tokens") {
  CHECK(build_request_body(Settings{}, "<|fim_prefix|>x<|fim_suffix|>") ==
        R"({"model":"qwen-coder-turbo","prompt":"<|fim_prefix|>x<|fim_suffix|>","max_tokens":128,)"
        R"("stream":true,"stream_options":{"include_usage":true}})");
}

TEST_CASE("request body: every parameter of the seed, exactly") {
  Settings s;
  s.model = "qwen-coder-turbo";
  s.request.maxTokens = 64;
  s.request.temperature = 0.2;
  s.request.presencePenalty = -1.5;
  s.request.seed = 2147483647;
  s.request.stop = {"\n\n", "<|endoftext|>", "\"q\""};
  CHECK(
      build_request_body(s, "p") ==
      R"({"model":"qwen-coder-turbo","prompt":"p","max_tokens":64,"temperature":0.2,"presence_penalty":-1.5,)"
      R"("seed":2147483647,"stop":["\n\n","<|endoftext|>","\"q\""],"stream":true,)"
      R"("stream_options":{"include_usage":true}})");

  s.request.temperature.reset();
  s.request.topP = 0.95;
  s.request.presencePenalty = 2;
  s.request.seed = 0;
  s.request.stop = {"END"};
  s.request.stream = false;
  CHECK(build_request_body(s, "p") ==
        R"({"model":"qwen-coder-turbo","prompt":"p","max_tokens":64,"top_p":0.95,"presence_penalty":2.0,)"
        R"("seed":0,"stop":["END"]})");
}

TEST_CASE("request body: floats are written as the SDKs write them") {
  Settings s;
  s.request.maxTokens.reset();
  s.request.stream = false;
  const std::pair<double, const char*> cases[] = {
      {0.0, "0.0"}, {1.0, "1.0"}, {1.9999, "1.9999"}, {0.1, "0.1"}, {0.7, "0.7"}};
  for (auto [value, text] : cases) {
    s.request.temperature = value;
    CHECK(build_request_body(s, "") ==
          std::string(R"({"model":"qwen-coder-turbo","prompt":"","temperature":)") + text + "}");
  }
}

TEST_CASE("request body: any prompt text survives the trip through JSON") {
  const std::string prompt = std::string("tab\there \"quoted\" back\\slash \x01 ctrl\nCJK 中文 emoji 😀 ") +
                             std::string(1, '\0') + "nul </script>";
  const json::value v = json::parse(build_request_body(Settings{}, prompt));
  CHECK(v.at("prompt").as_string() == prompt);
  CHECK(v.at("model").as_string() == "qwen-coder-turbo");
}

} // namespace fimlsp::test
