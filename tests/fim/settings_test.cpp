#include "fimlsp/fim/settings.hpp"
#include "support/temp_dir.hpp"
#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstdlib>
#include <doctest/doctest.h>
#include <unistd.h>

namespace fimlsp::test {

using fim::apply_settings;
using fim::Settings;
namespace json = boost::json;

namespace {

fim::SettingsResult apply(const Settings& base, std::string_view text) {
  return apply_settings(base, json::parse(text));
}

// The message for a refused value, checking that it was refused.
std::string refusal(std::string_view text, const Settings& base = {}) {
  auto r = apply(base, text);
  CHECK_FALSE(r.settings);
  return r.error;
}

} // namespace

TEST_CASE("settings: defaults are DESIGN.md's, and DESIGN.md's example is accepted as they are") {
  const Settings d;
  CHECK(d.endpoint.baseUrl == "https://dashscope.aliyuncs.com/compatible-mode/v1");
  CHECK(d.endpoint.apiKeyEnv == "DASHSCOPE_API_KEY");
  CHECK(d.model == "qwen-coder-turbo");
  CHECK(d.templateName == "qwen");
  auto r = apply(d, R"({
    "endpoint": { "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1",
                  "apiKeyEnv": "DASHSCOPE_API_KEY", "caFile": null, "timeoutMs": 5000 },
    "model": "qwen-coder-turbo",
    "template": "qwen",
    "request": { "maxTokens": 128, "temperature": null, "topP": null, "stop": [],
                 "seed": null, "presencePenalty": null, "stream": true },
    "context": { "maxPrefixChars": 8000, "maxSuffixChars": 2000 },
    "suggestion": { "maxLines": 10 },
    "debounceMs": "auto"
  })");
  REQUIRE(r.settings);
  CHECK(r.error.empty());
  CHECK(r.warnings.empty());
  const Settings& s = *r.settings;
  CHECK(s.endpoint.timeoutMs == 5000);
  CHECK_FALSE(s.endpoint.caFile);
  CHECK(s.request.maxTokens == 128);
  CHECK_FALSE(s.request.temperature);
  CHECK_FALSE(s.request.topP);
  CHECK_FALSE(s.request.seed);
  CHECK_FALSE(s.request.presencePenalty);
  CHECK(s.request.stop.empty());
  CHECK(s.request.stream);
  CHECK(s.context.maxPrefixChars == 8000);
  CHECK(s.context.maxSuffixChars == 2000);
  CHECK(s.maxLines == 10);
  CHECK_FALSE(s.debounceMs);
}

TEST_CASE("settings: a partial object overlays only its keys") {
  Settings base;
  base.model = "qwen2.5-coder-7b";
  base.request.seed = 7;
  auto r = apply(base, R"({"request": {"temperature": 0.2, "stop": ["\n\n", "END"]},
                           "endpoint": {"caFile": "/etc/ca.pem", "timeoutMs": 800},
                           "context": {"maxPrefixChars": 100}, "suggestion": {"maxLines": 3},
                           "template": "deepseek", "debounceMs": 25})");
  REQUIRE(r.settings);
  const Settings& s = *r.settings;
  CHECK(s.model == "qwen2.5-coder-7b");
  CHECK(s.request.seed == 7);
  CHECK(s.request.temperature == 0.2);
  CHECK(s.request.stop == std::vector<std::string>{"\n\n", "END"});
  CHECK(s.request.maxTokens == 128);
  CHECK(s.endpoint.caFile == "/etc/ca.pem");
  CHECK(s.endpoint.timeoutMs == 800);
  CHECK(s.endpoint.baseUrl == base.endpoint.baseUrl);
  CHECK(s.context.maxPrefixChars == 100);
  CHECK(s.context.maxSuffixChars == 2000);
  CHECK(s.maxLines == 3);
  CHECK(s.templateName == "deepseek");
  CHECK(s.debounceMs == 25);
}

TEST_CASE("settings: the seed's ranges, boundaries included or excluded as documented") {
  const Settings base;
  // Accepted edges.
  for (auto ok :
       {R"({"request": {"temperature": 0}})", R"({"request": {"temperature": 1.99}})",
        R"({"request": {"topP": 1}})", R"({"request": {"topP": 0.0001}})", R"({"request": {"seed": 0}})",
        R"({"request": {"seed": 2147483647}})", R"({"request": {"presencePenalty": -2}})",
        R"({"request": {"presencePenalty": 2.0}})", R"({"request": {"maxTokens": 1}})"}) {
    CAPTURE(ok);
    CHECK(apply(base, ok).settings);
  }
  CHECK(refusal(R"({"request": {"temperature": 2}})") == "request.temperature: must be in [0, 2), got 2");
  CHECK(refusal(R"({"request": {"temperature": -0.1}})") ==
        "request.temperature: must be in [0, 2), got -0.1");
  CHECK(refusal(R"({"request": {"topP": 0}})") == "request.topP: must be in (0, 1], got 0");
  CHECK(refusal(R"({"request": {"topP": 1.5}})") == "request.topP: must be in (0, 1], got 1.5");
  CHECK(refusal(R"({"request": {"presencePenalty": 2.5}})") ==
        "request.presencePenalty: must be in [-2, 2], got 2.5");
  CHECK(refusal(R"({"request": {"seed": 2147483648}})") ==
        "request.seed: must be an integer in [0, 2147483647]");
  CHECK(refusal(R"({"request": {"seed": -1}})") == "request.seed: must be an integer in [0, 2147483647]");
  CHECK(refusal(R"({"request": {"seed": 1.5}})") == "request.seed: must be an integer in [0, 2147483647]");
  CHECK(refusal(R"({"request": {"seed": 18446744073709551615}})").starts_with("request.seed: "));
  CHECK(refusal(R"({"request": {"maxTokens": 0}})") ==
        "request.maxTokens: must be an integer in [1, 2147483647]");
  CHECK(refusal(R"({"endpoint": {"timeoutMs": 0}})").starts_with("endpoint.timeoutMs: "));
  CHECK(refusal(R"({"suggestion": {"maxLines": 0}})").starts_with("suggestion.maxLines: "));
  CHECK(refusal(R"({"context": {"maxSuffixChars": -5}})").starts_with("context.maxSuffixChars: "));
  CHECK(refusal(R"({"debounceMs": -1})").starts_with("debounceMs: "));
  // An integer written as 64.0 is still an integer.
  auto r = apply(base, R"({"request": {"maxTokens": 64.0}})");
  REQUIRE(r.settings);
  CHECK(r.settings->request.maxTokens == 64);
}

TEST_CASE("settings: types are checked and the message names the key") {
  CHECK(refusal(R"({"request": {"temperature": "0.2"}})") ==
        "request.temperature: must be a number in [0, 2)");
  CHECK(refusal(R"({"request": {"stream": "yes"}})") == "request.stream: must be true or false");
  CHECK(refusal(R"({"request": {"stop": [1]}})") ==
        "request.stop: must be a non-empty string or an array of non-empty strings");
  CHECK(refusal(R"({"request": {"stop": [""]}})").starts_with("request.stop: "));
  CHECK(refusal(R"({"model": 3})") == "model: must be a non-empty string");
  CHECK(refusal(R"({"model": ""})") == "model: must be a non-empty string");
  CHECK(refusal(R"({"endpoint": "https://x"})") == "endpoint: must be an object");
  CHECK(refusal(R"({"endpoint": {"baseUrl": "ftp://x"}})").starts_with("endpoint.baseUrl: "));
  CHECK(refusal(R"({"endpoint": {"apiKeyEnv": "A=B"}})").starts_with("endpoint.apiKeyEnv: "));
  CHECK(refusal(R"({"debounceMs": "soon"})") == "debounceMs: must be \"auto\" or a number of milliseconds");
  CHECK(refusal(R"([1, 2])") == "settings: must be a JSON object");
  // A single stop string is what the API also accepts.
  auto r = apply({}, R"({"request": {"stop": "\n"}})");
  REQUIRE(r.settings);
  CHECK(r.settings->request.stop == std::vector<std::string>{"\n"});
}

TEST_CASE("settings: temperature and top_p are not set together, also across applications") {
  CHECK(refusal(R"({"request": {"temperature": 0.2, "topP": 0.9}})") ==
        "request.temperature: cannot be set together with request.topP (set only one of them)");
  Settings base;
  base.request.temperature = 0.5;
  CHECK(refusal(R"({"request": {"topP": 0.9}})", base).starts_with("request.temperature: "));
  // Switching from one to the other in one change is fine.
  auto r = apply(base, R"({"request": {"temperature": null, "topP": 0.9}})");
  REQUIRE(r.settings);
  CHECK_FALSE(r.settings->request.temperature);
  CHECK(r.settings->request.topP == 0.9);
}

TEST_CASE("settings: templates by name; an unknown one is refused with the known names") {
  auto r = apply({}, R"({"template": "starcoder"})");
  REQUIRE(r.settings);
  CHECK(r.settings->templateName == "starcoder");
  const std::string e = refusal(R"({"template": "gpt"})");
  CHECK(e.starts_with("template: unknown template \"gpt\" (known: qwen, "));
  CHECK(e.find("codellama") != std::string::npos);
}

TEST_CASE("settings: null goes back to the default, for a key or a whole section") {
  Settings base;
  base.request.temperature = 0.3;
  base.request.maxTokens = 16;
  base.request.stop = {"x"};
  base.endpoint.caFile = "/ca.pem";
  base.endpoint.timeoutMs = 100;
  base.debounceMs = 40;
  base.maxLines = 2;
  auto r = apply(base, R"({"request": {"temperature": null, "maxTokens": null, "stop": null},
                           "endpoint": {"caFile": null}, "debounceMs": null, "suggestion": null})");
  REQUIRE(r.settings);
  CHECK_FALSE(r.settings->request.temperature);
  CHECK(r.settings->request.maxTokens == 128);
  CHECK(r.settings->request.stop.empty());
  CHECK_FALSE(r.settings->endpoint.caFile);
  CHECK(r.settings->endpoint.timeoutMs == 100);
  CHECK_FALSE(r.settings->debounceMs);
  CHECK(r.settings->maxLines == 10);

  r = apply(base, R"({"endpoint": null, "request": null})");
  REQUIRE(r.settings);
  CHECK(r.settings->endpoint.timeoutMs == 5000);
  CHECK_FALSE(r.settings->request.temperature);
  CHECK(r.settings->request.maxTokens == 128);
  CHECK(r.settings->debounceMs == 40);

  // No settings at all (initializationOptions absent): the base as it is.
  r = apply_settings(base, json::value(nullptr));
  REQUIRE(r.settings);
  CHECK(r.settings->request.temperature == 0.3);
}

TEST_CASE("settings: unknown keys are warnings, one line each, and the rest applies") {
  auto r = apply(
      {}, R"({"colour": "blue", "request": {"temprature": 0.2, "seed": 3}, "endpoint": {"retries": 1}})");
  REQUIRE(r.settings);
  CHECK(r.settings->request.seed == 3);
  CHECK_FALSE(r.settings->request.temperature);
  REQUIRE(r.warnings.size() == 3);
  CHECK(r.warnings[0] == "unknown setting \"colour\" ignored");
  CHECK(r.warnings[1] == "unknown setting \"request.temprature\" ignored");
  CHECK(r.warnings[2] == "unknown setting \"endpoint.retries\" ignored");
}

TEST_CASE("settings: a refused change yields no settings, even when other keys were fine") {
  Settings base;
  base.model = "m";
  auto r = apply(base, R"({"model": "other", "request": {"temperature": 5}})");
  CHECK_FALSE(r.settings);
  CHECK(r.error.starts_with("request.temperature: "));
  CHECK(base.model == "m");
}

TEST_CASE("settings: --config FILE") {
  TempDir dir;
  const std::string good = dir.write("good.json", R"({
    // comments and trailing commas are fine in a hand-written file
    "model": "qwen2.5-coder-32b-instruct",
    "request": {"seed": 1,},
    "extra": true,
  })");
  auto r = fim::apply_settings_file({}, good);
  REQUIRE(r.settings);
  CHECK(r.settings->model == "qwen2.5-coder-32b-instruct");
  CHECK(r.settings->request.seed == 1);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] == good + ": unknown setting \"extra\" ignored");

  const std::string bad = dir.write("bad.json", R"({"request": {"topP": 2}})");
  r = fim::apply_settings_file({}, bad);
  CHECK_FALSE(r.settings);
  CHECK(r.error == bad + ": request.topP: must be in (0, 1], got 2");

  const std::string broken = dir.write("broken.json", R"({"model": )");
  r = fim::apply_settings_file({}, broken);
  CHECK_FALSE(r.settings);
  CHECK(r.error.starts_with(broken + ": not valid JSON"));

  const std::string missing = dir.path() + "/missing.json";
  r = fim::apply_settings_file({}, missing);
  CHECK_FALSE(r.settings);
  CHECK(r.error.starts_with(missing + ": cannot read"));

  r = fim::apply_settings_file({}, dir.path()); // a directory
  CHECK_FALSE(r.settings);
  CHECK(r.error.starts_with(dir.path() + ": "));
}

TEST_CASE("settings: the API key comes from the variable named by endpoint.apiKeyEnv, trimmed") {
  Settings s;
  s.endpoint.apiKeyEnv = "FIM_LSP_TEST_KEY_" + std::to_string(::getpid());
  const char* name = s.endpoint.apiKeyEnv.c_str();
  ::unsetenv(name);
  CHECK(fim::read_api_key(s) == "");
  ::setenv(name, "  sk-0123\r\n", 1);
  CHECK(fim::read_api_key(s) == "sk-0123");
  ::setenv(name, " \n", 1);
  CHECK(fim::read_api_key(s) == "");
  ::setenv(name, "", 1);
  CHECK(fim::read_api_key(s) == "");
  ::unsetenv(name);
}

} // namespace fimlsp::test

namespace fimlsp::test {

TEST_CASE("settings: context.otherFiles, maxOtherChars, exclude and maxFileBytes") {
  const Settings d;
  CHECK(d.context.otherFiles);
  CHECK(d.context.maxOtherChars == 4000);
  CHECK(d.context.maxFileBytes == 1000000);
  for (const char* glob :
       {".env*", "*.pem", "*.key", "id_rsa*", "*secret*", ".git/", "node_modules/", "build/"})
    CHECK(std::find(d.context.exclude.begin(), d.context.exclude.end(), glob) != d.context.exclude.end());

  auto r = apply(d, R"({"context": {"otherFiles": false, "maxOtherChars": 100, "maxFileBytes": 5000,
                                    "exclude": ["*.txt", "private/"]}})");
  REQUIRE(r.settings);
  CHECK(r.warnings.empty());
  CHECK_FALSE(r.settings->context.otherFiles);
  CHECK(r.settings->context.maxOtherChars == 100);
  CHECK(r.settings->context.maxFileBytes == 5000);
  CHECK(r.settings->context.exclude == std::vector<std::string>{"*.txt", "private/"});
  CHECK(r.settings->context.maxPrefixChars == 8000);

  // null: back to the defaults; [] excludes nothing.
  auto back = apply(*r.settings, R"({"context": {"exclude": null, "otherFiles": null}})");
  REQUIRE(back.settings);
  CHECK(back.settings->context.exclude == d.context.exclude);
  CHECK(back.settings->context.otherFiles);
  auto none = apply(d, R"({"context": {"exclude": []}})");
  REQUIRE(none.settings);
  CHECK(none.settings->context.exclude.empty());

  CHECK(refusal(R"({"context": {"otherFiles": 1}})").starts_with("context.otherFiles:"));
  CHECK(refusal(R"({"context": {"maxOtherChars": -1}})").starts_with("context.maxOtherChars:"));
  CHECK(refusal(R"({"context": {"maxFileBytes": 1.5}})").starts_with("context.maxFileBytes:"));
  CHECK(refusal(R"({"context": {"exclude": "*.txt"}})").starts_with("context.exclude:"));
  CHECK(refusal(R"({"context": {"exclude": ["ok", ""]}})").starts_with("context.exclude:"));
}

TEST_CASE("settings: context.maxOpenBytes bounds the open documents, 256 MiB by default") {
  const Settings d;
  CHECK(d.context.maxOpenBytes == std::size_t{256} << 20);
  auto r = apply(d, R"({"context": {"maxOpenBytes": 1000}})");
  REQUIRE(r.settings);
  CHECK(r.settings->context.maxOpenBytes == 1000);
  auto back = apply(*r.settings, R"({"context": {"maxOpenBytes": null}})");
  REQUIRE(back.settings);
  CHECK(back.settings->context.maxOpenBytes == d.context.maxOpenBytes);
  CHECK(refusal(R"({"context": {"maxOpenBytes": -5}})").starts_with("context.maxOpenBytes:"));
}

} // namespace fimlsp::test
