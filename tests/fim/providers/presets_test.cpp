// The provider presets: what each one fills in, that the user's own keys stay, and the exact
// request each preset sends.
#include "fimlsp/fim/plan.hpp"
#include "fimlsp/fim/providers/presets.hpp"
#include "fimlsp/fim/providers/registry.hpp"
#include "fimlsp/fim/settings.hpp"
#include <boost/json/parse.hpp>
#include <doctest/doctest.h>

namespace fimlsp::test {

using fim::Settings;
namespace json = boost::json;

namespace {

fim::SettingsResult apply(const Settings& base, std::string_view text) {
  return fim::apply_settings(base, json::parse(text));
}

Settings with(std::string_view text, const Settings& base = {}) {
  auto r = apply(base, text);
  REQUIRE_MESSAGE(r.settings, r.error);
  return *r.settings;
}

struct Expected {
  const char* provider;
  const char* base_url;
  const char* api;
  const char* model;
  const char* template_name;
  const char* key_env;
};

// Written out here, not read from the table: a change to a preset must change this test too.
constexpr Expected kExpected[] = {
    {"dashscope", "https://dashscope.aliyuncs.com/compatible-mode/v1", "completions", "qwen-coder-turbo",
     "qwen", "DASHSCOPE_API_KEY"},
    {"dashscope-intl", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "completions",
     "qwen-coder-turbo", "qwen", "DASHSCOPE_API_KEY"},
    {"deepseek", "https://api.deepseek.com/beta", "completions-suffix", "deepseek-chat", "deepseek",
     "DEEPSEEK_API_KEY"},
    {"mistral", "https://api.mistral.ai/v1", "mistral-fim", "codestral-latest", "codestral",
     "MISTRAL_API_KEY"},
    {"codestral", "https://codestral.mistral.ai/v1", "mistral-fim", "codestral-latest", "codestral",
     "CODESTRAL_API_KEY"},
    {"ollama", "http://127.0.0.1:11434", "ollama-generate", "qwen2.5-coder:1.5b", "qwen", "OLLAMA_API_KEY"},
    {"llamacpp", "http://127.0.0.1:8080", "llamacpp-infill", "server-default", "qwen", "LLAMA_API_KEY"},
    {"openai-compatible", "http://127.0.0.1:8000/v1", "completions", "Qwen/Qwen2.5-Coder-1.5B", "qwen",
     "OPENAI_API_KEY"},
};

} // namespace

TEST_CASE("presets: each provider fills in endpoint, shape, model, template and key variable") {
  CHECK(fim::all_presets().size() == std::size(kExpected));
  for (const Expected& e : kExpected) {
    CAPTURE(e.provider);
    const Settings s = with(std::string(R"({"provider": ")") + e.provider + "\"}");
    CHECK(s.provider == e.provider);
    CHECK(s.endpoint.baseUrl == e.base_url);
    CHECK(s.endpoint.api == e.api);
    CHECK(s.model == e.model);
    CHECK(s.templateName == e.template_name);
    CHECK(s.endpoint.apiKeyEnv == e.key_env);
    CHECK(fim::find_provider(s.endpoint.api));
  }
}

TEST_CASE("presets: the defaults are the dashscope preset, today's values") {
  const Settings d;
  CHECK(d.provider == "dashscope");
  CHECK(d.endpoint.api == "completions");
  const Settings s = with(R"({"provider": "dashscope"})");
  CHECK(s.endpoint.baseUrl == d.endpoint.baseUrl);
  CHECK(s.endpoint.api == d.endpoint.api);
  CHECK(s.model == d.model);
  CHECK(s.templateName == d.templateName);
  CHECK(s.endpoint.apiKeyEnv == d.endpoint.apiKeyEnv);
}

TEST_CASE("presets: what the user set stays, in the same object or from an earlier source") {
  Settings s = with(R"({"provider": "ollama", "model": "codellama:7b-code", "template": "codellama",
                        "endpoint": {"baseUrl": "http://127.0.0.1:9999"}})");
  CHECK(s.model == "codellama:7b-code");
  CHECK(s.templateName == "codellama");
  CHECK(s.endpoint.baseUrl == "http://127.0.0.1:9999");
  CHECK(s.endpoint.api == "ollama-generate"); // not set by the user: the preset's
  CHECK(s.endpoint.apiKeyEnv == "OLLAMA_API_KEY");

  // A flag (--base-url) before, the provider from the editor after: the flag's URL stays.
  const Settings flags = with(R"({"endpoint": {"baseUrl": "https://gateway.example/v1"}})");
  s = with(R"({"provider": "mistral"})", flags);
  CHECK(s.endpoint.baseUrl == "https://gateway.example/v1");
  CHECK(s.endpoint.api == "mistral-fim");
  CHECK(s.model == "codestral-latest");

  // Switching presets moves every key the user did not set.
  s = with(R"({"provider": "deepseek"})", s);
  CHECK(s.endpoint.baseUrl == "https://gateway.example/v1");
  CHECK(s.endpoint.api == "completions-suffix");
  CHECK(s.model == "deepseek-chat");
  CHECK(s.endpoint.apiKeyEnv == "DEEPSEEK_API_KEY");
}

TEST_CASE("presets: a key set back to null is the preset's again; endpoint.api overrides the preset") {
  Settings s = with(R"({"provider": "llamacpp", "model": "mine", "endpoint": {"api": "completions"}})");
  CHECK(s.endpoint.api == "completions");
  CHECK(s.model == "mine");
  s = with(R"({"model": null, "endpoint": {"api": null}})", s);
  CHECK(s.model == "server-default");
  CHECK(s.endpoint.api == "llamacpp-infill");
  s = with(R"({"endpoint": null})", s); // the whole section back: the preset's endpoint
  CHECK(s.endpoint.baseUrl == "http://127.0.0.1:8080");
  s = with(R"({"provider": null})", s); // back to the default preset
  CHECK(s.endpoint.baseUrl == "https://dashscope.aliyuncs.com/compatible-mode/v1");
  CHECK(s.model == "qwen-coder-turbo");
}

TEST_CASE("presets: an unknown provider or request shape is refused, naming the key and the choices") {
  auto r = apply({}, R"({"provider": "openai"})");
  CHECK_FALSE(r.settings);
  CHECK(r.error ==
        "provider: unknown provider \"openai\" (known: dashscope, dashscope-intl, deepseek, mistral, "
        "codestral, ollama, llamacpp, openai-compatible)");
  r = apply({}, R"({"endpoint": {"api": "chat"}})");
  CHECK_FALSE(r.settings);
  CHECK(r.error == "endpoint.api: unknown request shape \"chat\" (known: completions, completions-suffix, "
                   "mistral-fim, llamacpp-infill, ollama-generate)");
  CHECK_FALSE(apply({}, R"({"provider": 3})").settings);
  CHECK_FALSE(apply({}, R"({"endpoint": {"api": ""}})").settings);
}

TEST_CASE("presets: the exact request each preset sends") {
  struct Case {
    const char* provider;
    const char* path;
    const char* body;
  };
  // Defaults otherwise: max 128 tokens, streamed.
  const Case cases[] = {
      {"dashscope", "/completions",
       R"({"model":"qwen-coder-turbo","prompt":"<|fim_prefix|>x = <|fim_suffix|>\n<|fim_middle|>","max_tokens":128,)"
       R"("stream":true,"stream_options":{"include_usage":true}})"},
      {"dashscope-intl", "/completions",
       R"({"model":"qwen-coder-turbo","prompt":"<|fim_prefix|>x = <|fim_suffix|>\n<|fim_middle|>","max_tokens":128,)"
       R"("stream":true,"stream_options":{"include_usage":true}})"},
      {"deepseek", "/completions",
       R"({"model":"deepseek-chat","prompt":"x = ","suffix":"\n","max_tokens":128,"stream":true,)"
       R"("stream_options":{"include_usage":true}})"},
      {"mistral", "/fim/completions",
       R"({"model":"codestral-latest","prompt":"x = ","suffix":"\n","max_tokens":128,"stream":true})"},
      {"codestral", "/fim/completions",
       R"({"model":"codestral-latest","prompt":"x = ","suffix":"\n","max_tokens":128,"stream":true})"},
      {"ollama", "/api/generate",
       R"({"model":"qwen2.5-coder:1.5b","prompt":"x = ","suffix":"\n","stream":true,"options":{"num_predict":128}})"},
      {"llamacpp", "/infill",
       R"({"input_prefix":"x = ","input_suffix":"\n","input_extra":[],"n_predict":128,"stream":true,)"
       R"("cache_prompt":true})"},
      {"openai-compatible", "/completions",
       R"({"model":"Qwen/Qwen2.5-Coder-1.5B","prompt":"<|fim_prefix|>x = <|fim_suffix|>\n<|fim_middle|>",)"
       R"("max_tokens":128,"stream":true,"stream_options":{"include_usage":true}})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.provider);
    const Settings s = with(std::string(R"({"provider": ")") + c.provider + "\"}");
    const fim::CompletionPlan plan =
        fim::make_plan(s, fim::CompletionInput{.prefix = "x = ", .suffix = "\n"});
    const fim::HttpRequest r = fim::find_provider(s.endpoint.api)->make_request(plan, "sk-x");
    CHECK(r.path == c.path);
    CHECK(r.body == c.body);
    CHECK(r.headers.front() == std::pair<std::string, std::string>{"Authorization", "Bearer sk-x"});
  }
}

} // namespace fimlsp::test
