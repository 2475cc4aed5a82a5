#include "fimlsp/fim/prompt/other_files.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

using fim::OtherFiles;
using fim::Snippet;

namespace {

OtherFiles two_files() {
  OtherFiles o;
  o.repo = "shop";
  o.path = "src/cart.ts";
  o.language = "typescript";
  o.snippets = {Snippet{"src/money.ts", "export type Cents = number;\n"},
                Snippet{"src/tax.ts", "export function tax(c: Cents): Cents {\n  return c * 0.2;\n}\n"}};
  o.fingerprint = fim::fingerprint_of(o);
  return o;
}

} // namespace

TEST_CASE("other files: with none, every template renders exactly as before") {
  OtherFiles none;
  none.repo = "shop";
  none.path = "src/cart.ts";
  for (auto& t : fim::all_templates()) {
    CAPTURE(t.name);
    CHECK(fim::render_prompt(t, "P\n", "S\n", none) == fim::render_prompt(t, "P\n", "S\n"));
    CHECK(fim::render_prompt(t, "P\n", "", none) == fim::render_prompt(t, "P\n", ""));
  }
  CHECK(fim::fingerprint_of(none) == 0);
}

TEST_CASE("other files: qwen's repository format, with a suffix and prefix-only") {
  const auto* qwen = fim::find_template("qwen");
  REQUIRE(qwen);
  const std::string files =
      "<|repo_name|>shop\n"
      "<|file_sep|>src/money.ts\nexport type Cents = number;\n"
      "<|file_sep|>src/tax.ts\nexport function tax(c: Cents): Cents {\n  return c * 0.2;\n}\n"
      "<|file_sep|>src/cart.ts\n";
  CHECK(fim::render_prompt(*qwen, "const t = ", ";\n", two_files()) ==
        files + "<|fim_prefix|>const t = <|fim_suffix|>;\n<|fim_middle|>");
  CHECK(fim::render_prompt(*qwen, "const t = ", "", two_files()) ==
        files + "<|fim_prefix|>const t = <|fim_suffix|>");
}

TEST_CASE("other files: StarCoder2's repository format with its own tokens") {
  const auto* starcoder = fim::find_template("starcoder");
  REQUIRE(starcoder);
  CHECK(fim::render_prompt(*starcoder, "const t = ", ";\n", two_files()) ==
        "<repo_name>shop"
        "<file_sep>src/money.ts\nexport type Cents = number;\n"
        "<file_sep>src/tax.ts\nexport function tax(c: Cents): Cents {\n  return c * 0.2;\n}\n"
        "<file_sep><fim_prefix>src/cart.ts\nconst t = <fim_suffix>;\n<fim_middle>");
}

TEST_CASE("other files: families without repository tokens get comments at the top of the prefix") {
  const auto* codellama = fim::find_template("codellama");
  REQUIRE(codellama);
  CHECK(fim::render_prompt(*codellama, "const t = ", ";\n", two_files()) ==
        "<PRE> // Path: src/money.ts\n"
        "// export type Cents = number;\n"
        "// Path: src/tax.ts\n"
        "// export function tax(c: Cents): Cents {\n"
        "//   return c * 0.2;\n"
        "// }\n"
        "const t =  <SUF>;\n <MID>");

  OtherFiles py;
  py.path = "app/main.py";
  py.language = "python";
  py.snippets = {Snippet{"app/tax.py", "def tax(c):\n\n    return c\r\n"}};
  CHECK(fim::commented_snippets(py) == "# Path: app/tax.py\n# def tax(c):\n#\n#     return c\n");
  // By extension when the languageId is unknown; block comments where there are no line comments.
  py.language = "";
  py.path = "web/site.css";
  CHECK(fim::commented_snippets(py) ==
        "/* Path: app/tax.py */\n/* def tax(c): */\n/*  */\n/*     return c */\n");
}

TEST_CASE("other files: the fingerprint covers every path and text") {
  auto a = two_files();
  auto b = two_files();
  CHECK(fim::fingerprint_of(a) == fim::fingerprint_of(b));
  CHECK(fim::fingerprint_of(a) != 0);
  b.snippets[1].text += "// more\n";
  CHECK(fim::fingerprint_of(a) != fim::fingerprint_of(b));
  b = two_files();
  b.snippets[0].path = "src/money2.ts";
  CHECK(fim::fingerprint_of(a) != fim::fingerprint_of(b));
}

} // namespace fimlsp::test
