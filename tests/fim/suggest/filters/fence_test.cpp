#include "head_filter_cases.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

std::string defenced(std::string_view stream, std::string_view language = "python") {
  return after_head(fim::filters::fence, "x = ", stream, language);
}

} // namespace

TEST_SUITE("filter fence") {

  TEST_CASE(
      "an opening fence, untagged or tagged with the document's language, goes; its closing fence stops") {
    CHECK(defenced("```python\nfoo()\n```\nThis calls foo.") == "foo()\n```\nThis calls foo.|stop:\n```");
    CHECK(defenced("```\nfoo()") == "foo()|stop:\n```");
    CHECK(defenced("```py\nfoo()") == "foo()|stop:\n```");         // an alias
    CHECK(defenced("\n\n```python\nfoo()") == "foo()|stop:\n```"); // blank lines before it too
    CHECK(defenced("```bash\nls\n", "shellscript") == "ls\n|stop:\n```");
  }

  TEST_CASE("a fence with nothing inside, or a fence line alone, shows nothing") {
    CHECK(defenced("```python\n```\nprose") == "<nothing>");
    CHECK(defenced("```python") == "<nothing>");
  }

  TEST_CASE("kept: another language's fence, fences in Markdown, fence-like text that is not a fence line") {
    CHECK(defenced("```sh\nnpm test\n```") == "```sh\nnpm test\n```");
    CHECK(defenced("```python\nx\n```", "markdown") == "```python\nx\n```");
    CHECK(defenced("``not a fence") == "``not a fence");
    CHECK(defenced("```python is great```\n") == "```python is great```\n");
    CHECK(defenced("foo()\n```") == "foo()\n```");
  }
}

} // namespace fimlsp::test
