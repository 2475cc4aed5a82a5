#include "fimlsp/fim/prompt/templates.hpp"
#include "fimlsp/fim/suggest/postprocess.hpp"
#include <doctest/doctest.h>
#include <tuple>

namespace fimlsp::test {

using fim::clean_suggestion;
using fim::StopRules;
using fim::SuggestionBuilder;

namespace {

StopRules qwen_rules(bool single_line = false, int max_lines = 10) {
  StopRules r;
  r.single_line = single_line;
  r.max_lines = max_lines;
  const auto* t = fim::find_template("qwen");
  r.stops.assign(t->stops.begin(), t->stops.end());
  return r;
}

// Feeds `text` in pieces of `size` bytes; returns the text and whether it completed before the end.
std::pair<std::string, bool> feed(const StopRules& rules, std::string_view text, std::size_t size) {
  SuggestionBuilder b(rules);
  bool early = false;
  for (std::size_t i = 0; i < text.size() && !early; i += size)
    early = b.append(text.substr(i, size));
  b.finish();
  return {std::string(b.text()), early};
}

} // namespace

TEST_CASE("builder: text after the cursor on its line makes a one-line suggestion") {
  SuggestionBuilder b(qwen_rules(true));
  CHECK_FALSE(b.append("a, "));
  CHECK(b.text() == "a, ");
  CHECK(b.append("b)\n    return"));
  CHECK(b.complete());
  CHECK(b.text() == "a, b)");
  // Nothing more is taken once complete.
  CHECK(b.append("more"));
  CHECK(b.text() == "a, b)");
}

TEST_CASE("builder: otherwise at most max_lines lines") {
  auto [text, early] = feed(qwen_rules(false, 3), "one\ntwo\nthree\nfour\nfive", 2);
  CHECK(text == "one\ntwo\nthree");
  CHECK(early);
  std::tie(text, early) = feed(qwen_rules(false, 3), "one\ntwo\nthree", 100);
  CHECK(text == "one\ntwo\nthree");
  CHECK_FALSE(early); // the stream ended first
  // A leading newline is a line too: the suggestion starts on the next line.
  std::tie(text, early) = feed(qwen_rules(false, 2), "\n    x = 1\n    y = 2\n", 1);
  CHECK(text == "\n    x = 1");
}

TEST_CASE("builder: template stop tokens end the suggestion, also split across chunks") {
  const std::string stream = "return x<|endoftext|>garbage after the end";
  for (std::size_t size = 1; size <= stream.size(); ++size) {
    CAPTURE(size);
    auto [text, early] = feed(qwen_rules(), stream, size);
    CHECK(text == "return x");
    if (size < stream.size()) CHECK(early);
  }
}

TEST_CASE("builder: a possible stop start is held back, and released when it turns out not to be one") {
  SuggestionBuilder b(qwen_rules());
  CHECK_FALSE(b.append("x = 1<|endo"));
  CHECK(b.text() == "x = 1");
  CHECK_FALSE(b.append("rphin|>"));
  CHECK(b.text() == "x = 1<|endorphin|>");
  CHECK_FALSE(b.append("<"));
  CHECK(b.text() == "x = 1<|endorphin|>");
  CHECK(b.append("|fim_pad|>"));
  CHECK(b.text() == "x = 1<|endorphin|>");
}

TEST_CASE("builder: a held-back tail becomes text when the stream ends") {
  SuggestionBuilder b(qwen_rules());
  CHECK_FALSE(b.append("if a <|"));
  CHECK(b.text() == "if a ");
  b.finish();
  CHECK(b.text() == "if a <|");
  CHECK(b.complete());
}

TEST_CASE("builder: the user's stop strings, multi-byte tokens split inside a code point") {
  StopRules rules = qwen_rules();
  rules.stops.push_back("\n\n");
  rules.stops.push_back("END");
  rules.stops.push_back(""); // ignored, would otherwise end everything at once
  CHECK(feed(rules, "a\nb\n\nc", 1).first == "a\nb");
  CHECK(feed(rules, "abEN", 3).first == "abEN");
  CHECK(feed(rules, "abENDx", 3).first == "ab");

  StopRules deepseek;
  const auto* t = fim::find_template("deepseek");
  deepseek.stops.assign(t->stops.begin(), t->stops.end());
  const std::string stream = "x = \"中\"<\uFF5Cend\u2581of\u2581sentence\uFF5C>more";
  for (std::size_t size = 1; size <= 7; ++size)
    CHECK(feed(deepseek, stream, size).first == "x = \"中\"");
}

TEST_CASE("builder: the earliest of a stop and the line limit wins") {
  StopRules rules = qwen_rules(false, 2);
  CHECK(feed(rules, "a<|im_end|>\nb\nc", 1).first == "a");
  CHECK(feed(rules, "a\nb\nc<|im_end|>", 1).first == "a\nb");
  CHECK(feed(qwen_rules(true), "\nfoo", 4).first == "");
}

TEST_CASE("clean: trailing whitespace goes; nothing visible is nothing") {
  CHECK(clean_suggestion("x = 1  \n\n", "", "") == "x = 1");
  CHECK(clean_suggestion("  \n\t\n", "", "") == "");
  CHECK(clean_suggestion("", "", "") == "");
  CHECK(clean_suggestion("    indented", "", "") == "    indented");
}

TEST_CASE("clean: what only repeats the text after the cursor is dropped") {
  CHECK(clean_suggestion("bar", "bar, baz)", "bar, baz)\n") == "");
  CHECK(clean_suggestion(")", ")", ")\n") == "");
  // The model completed the line including what already follows the cursor.
  CHECK(clean_suggestion("a, b)", ")", ")\nnext") == "a, b");
  CHECK(clean_suggestion(" > 0) {", ") {", ") {\n}") == " > 0");
  // ...but a bracket it opened itself is its own to close.
  CHECK(clean_suggestion("(a + b)", ")", ")\n") == "(a + b)");
  CHECK(clean_suggestion("a, b", ")", ")\n") == "a, b");
}

TEST_CASE("clean: trailing lines that repeat the lines after the cursor are dropped") {
  const std::string suffix = "\n    return x\n\ndef g():\n";
  CHECK(clean_suggestion("x = 1\n    return x", "", suffix) == "x = 1");
  CHECK(clean_suggestion("x = 1\n    return x\n", "", suffix) == "x = 1");
  // Blank lines between them in the suffix do not matter.
  CHECK(clean_suggestion("x = 1\n    return x\ndef g():", "", suffix) == "x = 1");
  // Lines in the middle that happen to match stay.
  CHECK(clean_suggestion("    return x\nx = 1", "", suffix) == "    return x\nx = 1");
  // The whole suggestion repeats the next line: nothing to show.
  CHECK(clean_suggestion("\n    return x", "", suffix) == "");
  CHECK(clean_suggestion("return x", "", suffix) == "");
  // A block the suggestion opened keeps its closing line.
  CHECK(clean_suggestion("if (a) {\n  b();\n}", "", "\n}\n") == "if (a) {\n  b();\n}");
  CHECK(clean_suggestion("  b();\n}", "", "\n}\n") == "  b();");
  // The suffix without a next line leaves the suggestion alone.
  CHECK(clean_suggestion("x\n}", "", "") == "x\n}");
}

} // namespace fimlsp::test
