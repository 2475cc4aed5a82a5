// Every provider preset end to end: the real fim-lsp over pipes, configured only by `provider`
// (plus baseUrl pointed at the loopback test backend and the preset's key variable), sends its
// shape's request and shows the backend's exact suggestion, streamed and not.
#include "support/replies.hpp"
#include "support/session.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::test;
namespace json = boost::json;

namespace {

struct PresetCase {
  const char* provider;
  const char* key_env;
  const char* target; // under the backend's /v1
  const char* model;  // "" for a shape that sends none
  bool prefix_field;  // the prefix and suffix go in their own fields (the server's template)
};

constexpr PresetCase kPresets[] = {
    {"dashscope", "DASHSCOPE_API_KEY", "/v1/completions", "qwen-coder-turbo", false},
    {"dashscope-intl", "DASHSCOPE_API_KEY", "/v1/completions", "qwen-coder-turbo", false},
    {"deepseek", "DEEPSEEK_API_KEY", "/v1/completions", "deepseek-chat", true},
    {"mistral", "MISTRAL_API_KEY", "/v1/fim/completions", "codestral-latest", true},
    {"codestral", "CODESTRAL_API_KEY", "/v1/fim/completions", "codestral-latest", true},
    {"ollama", "OLLAMA_API_KEY", "/v1/api/generate", "qwen2.5-coder:1.5b", true},
    {"llamacpp", "LLAMA_API_KEY", "/v1/infill", "", true},
    {"openai-compatible", "OPENAI_API_KEY", "/v1/completions", "Qwen/Qwen2.5-Coder-1.5B", false},
};

const std::string kPrefix = "int add(int a, int b) {\n  ";
const std::string kSuffix = "\n}\n";

} // namespace

TEST_SUITE("providers") {

  TEST_CASE("each preset: its shape's request and the backend's exact suggestion, streamed and not") {
    for (const PresetCase& c : kPresets) {
      for (bool stream : {true, false}) {
        CAPTURE(c.provider);
        CAPTURE(stream);
        Session s({{"provider", c.provider}, {"request", {{"stream", stream}}}}, {}, {},
                  {std::string(c.key_env) + "=" + kTestKey});
        s.backend.set_reply(Reply{.chunks = {"return ", "a + b;"}});
        s.open("file:///add.c", kPrefix + kSuffix, "c");
        CHECK(s.complete_at("file:///add.c", 1, 2) == "return a + b;");

        const auto requests = s.backend.requests();
        REQUIRE(requests.size() == 1);
        const RecordedRequest& r = requests[0];
        CHECK(r.target == c.target);
        CHECK(r.authorization == std::string("Bearer ") + kTestKey);
        const json::object body = json::parse(r.body).as_object();
        if (*c.model)
          CHECK(body.at("model") == c.model);
        else
          CHECK_FALSE(body.contains("model"));
        const std::string_view api = c.target;
        if (api.ends_with("/infill")) {
          CHECK(body.at("input_prefix") == kPrefix.c_str());
          CHECK(body.at("input_suffix") == kSuffix.c_str());
          CHECK(body.at("n_predict") == 128);
          CHECK(body.at("cache_prompt") == true);
        } else if (c.prefix_field) {
          CHECK(body.at("prompt") == kPrefix.c_str());
          CHECK(body.at("suffix") == kSuffix.c_str());
        } else {
          CHECK(body.at("prompt") ==
                json::value("<|fim_prefix|>" + kPrefix + "<|fim_suffix|>" + kSuffix + "<|fim_middle|>"));
        }
        if (api.ends_with("/api/generate")) {
          CHECK(body.at("options").at("num_predict") == 128);
          CHECK(body.at("stream") == stream);
        }
        CHECK(s.lsp.stderr_text().find(kTestKey) == std::string::npos);
      }
    }
  }

  TEST_CASE("each shape: an error reply is an empty answer and one message naming the key variable") {
    for (const PresetCase& c : kPresets) {
      CAPTURE(c.provider);
      Session s({{"provider", c.provider}}, {}, {}, {std::string(c.key_env) + "=" + kTestKey});
      s.backend.set_reply(fault(Fault::Status401));
      s.open("file:///k.c", "a = ");
      CHECK(s.complete_at("file:///k.c", 0, 4) == "");
      auto shown = s.lsp.wait_notification("window/showMessage");
      REQUIRE(shown);
      const std::string message(shown->at("params").at("message").as_string());
      CHECK(message.find(c.key_env) != std::string::npos);
      CHECK(message.find(kTestKey) == std::string::npos);
      // The stop rules hold for every shape: text after the cursor makes the suggestion one line.
      s.backend.set_reply(Reply{.chunks = {"b", "\nnext(line);\n"}});
      s.change("file:///k.c", 0, 4, 0, 4, " + c;");
      CHECK(s.complete_at("file:///k.c", 0, 4) == "b");
    }
  }

  TEST_CASE("a local preset needs no key: no Authorization header at all") {
    for (const char* provider : {"ollama", "llamacpp", "openai-compatible"}) {
      CAPTURE(provider);
      Session s({{"provider", provider}}, {}, {}, {});
      s.backend.set_reply(ok("42"));
      s.open("file:///n.py", "x = ");
      CHECK(s.complete_at("file:///n.py", 0, 4) == "42");
      CHECK(s.backend.requests().at(0).authorization.empty());
    }
  }
}
