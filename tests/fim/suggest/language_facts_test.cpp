#include "fimlsp/fim/suggest/language_facts.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

TEST_SUITE("language facts") {

  TEST_CASE("languageIds and their aliases find one row; an unknown one the fallback") {
    CHECK(fim::language_facts("python").id == "python");
    CHECK(fim::language_facts("typescriptreact").id == "typescript");
    CHECK(fim::language_facts("javascriptreact").id == "javascript");
    CHECK(fim::language_facts("shellscript").closing_keywords.size() >= 3);
    const auto& unknown = fim::language_facts("brainfuck");
    CHECK(unknown.id.empty());
    CHECK(unknown.brackets);
    CHECK(unknown.indentation);
  }

  TEST_CASE("fence tags name a language by id or alias, in any case") {
    CHECK(fim::names_language(fim::language_facts("shellscript"), "bash"));
    CHECK(fim::names_language(fim::language_facts("cpp"), "C++"));
    CHECK_FALSE(fim::names_language(fim::language_facts("javascript"), "sh"));
    CHECK_FALSE(fim::names_language(fim::language_facts("unknown"), ""));
  }

  TEST_CASE("a file's languageId by its extension") {
    CHECK(fim::language_for_path("src/app.py") == "python");
    CHECK(fim::language_for_path("/a.b/Main.JAVA") == "java");
    CHECK(fim::language_for_path("x.tsx") == "typescript");
    CHECK(fim::language_for_path("Makefile") == "makefile");
    CHECK(fim::language_for_path("LICENSE") == "");
    CHECK(fim::language_for_path("notes.unknown") == "");
  }
}

} // namespace fimlsp::test
