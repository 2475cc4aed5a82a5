#include "fimlsp/fim/prompt/templates.hpp"
#include <algorithm>
#include <doctest/doctest.h>
#include <set>

namespace fimlsp::test {

using fim::find_template;
using fim::render_prompt;

TEST_CASE("templates: qwen renders the seed's two prompt forms exactly") {
  const fim::FimTemplate* qwen = find_template("qwen");
  REQUIRE(qwen);
  // "Generate content that follows a given prefix": no suffix, no <|fim_middle|>.
  CHECK(render_prompt(*qwen, "Write a Python quick sort function, def quick_sort(arr):", "") ==
        "<|fim_prefix|>Write a Python quick sort function, def quick_sort(arr):<|fim_suffix|>");
  // "Generate content between a prefix and a suffix".
  const std::string prefix = "def reverse_words_with_special_chars(s):\n\"\"\"\nReverse each word.\n\"\"\"\n";
  CHECK(render_prompt(*qwen, prefix, "return result") ==
        "<|fim_prefix|>" + prefix + "<|fim_suffix|>return result<|fim_middle|>");
}

TEST_CASE("templates: one row per model family from REFERENCE.md, each with its stop tokens") {
  struct Row {
    const char* name;
    const char* rendered; // prefix "P", suffix "S"
    const char* a_stop;
  };
  const Row rows[] = {
      {"qwen", "<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>", "<|endoftext|>"},
      {"codegemma", "<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>", "<|file_separator|>"},
      {"starcoder", "<fim_prefix>P<fim_suffix>S<fim_middle>", "<file_sep>"},
      {"codellama", "<PRE> P <SUF>S <MID>", "<EOT>"},
      {"deepseek", "<\uFF5Cfim\u2581begin\uFF5C>P<\uFF5Cfim\u2581hole\uFF5C>S<\uFF5Cfim\u2581end\uFF5C>",
       "<\uFF5Cend\u2581of\u2581sentence\uFF5C>"},
      {"codestral", "[SUFFIX]S[PREFIX]P", "[PREFIX]"},
  };
  for (auto& row : rows) {
    CAPTURE(row.name);
    const fim::FimTemplate* t = find_template(row.name);
    REQUIRE(t);
    CHECK(t->name == row.name);
    CHECK(render_prompt(*t, "P", "S") == row.rendered);
    CHECK(std::find(t->stops.begin(), t->stops.end(), row.a_stop) != t->stops.end());
  }
  CHECK(find_template("qwen")->stops.size() == 5);
  CHECK(fim::all_templates().size() == std::size(rows));
}

TEST_CASE("templates: the full form is used with an empty suffix unless the row has its own") {
  CHECK(render_prompt(*find_template("starcoder"), "P", "") == "<fim_prefix>P<fim_suffix><fim_middle>");
  CHECK(render_prompt(*find_template("codestral"), "P", "") == "[SUFFIX][PREFIX]P");
  CHECK(render_prompt(*find_template("qwen"), "", "") == "<|fim_prefix|><|fim_suffix|>");
}

TEST_CASE("templates: placeholders inside the user's text are not expanded") {
  const auto* qwen = find_template("qwen");
  CHECK(render_prompt(*qwen, "a{suffix}b", "c{prefix}d") ==
        "<|fim_prefix|>a{suffix}b<|fim_suffix|>c{prefix}d<|fim_middle|>");
}

TEST_CASE("templates: unknown names, unique names") {
  CHECK(find_template("") == nullptr);
  CHECK(find_template("Qwen") == nullptr);
  CHECK(find_template("gpt-4") == nullptr);
  std::set<std::string_view> names;
  for (auto& t : fim::all_templates()) {
    CHECK(names.insert(t.name).second);
    CHECK_FALSE(t.stops.empty());
    for (auto stop : t.stops)
      CHECK_FALSE(stop.empty());
    CHECK(t.prompt.find("{prefix}") != std::string_view::npos);
  }
}

} // namespace fimlsp::test
