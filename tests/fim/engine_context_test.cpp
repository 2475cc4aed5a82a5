// The engine with other files in the prompt: the typed-ahead cache and in-flight reuse key on them.
#include "support/engine_harness.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

using fim::Reason;
using namespace std::chrono_literals;

namespace {

fim::OtherFiles other(std::string text) {
  fim::OtherFiles o;
  o.repo = "shop";
  o.path = "a.py";
  o.snippets = {{"tax.py", std::move(text)}};
  o.fingerprint = fim::fingerprint_of(o);
  return o;
}

Asked ask_with(Harness& h, std::string prefix, fim::OtherFiles files) {
  Asked a;
  auto answers = a.answers;
  fim::CompletionInput in{"file:///a.py", std::move(prefix), "", ""};
  in.other_files = std::move(files);
  a.ticket =
      h.engine->complete(std::move(in), [answers](fim::Completion c) { answers->push_back(std::move(c)); });
  h.settle();
  return a;
}

} // namespace

TEST_SUITE("engine") {

  TEST_CASE("other files: in the plan's prompt; the cache and in-flight reuse key on them") {
    Harness h;
    auto a = ask_with(h, "x = ", other("RATE = 1\n"));
    REQUIRE(h.stream.size() == 1);
    CHECK(h.stream[0].plan.prompt == "<|repo_name|>shop\n<|file_sep|>tax.py\nRATE = "
                                     "1\n<|file_sep|>a.py\n<|fim_prefix|>x = <|fim_suffix|>");
    h.push(0, "RATE");
    h.end(0);
    CHECK(a.text() == "RATE");
    h.advance(10ms);

    // The same other files: typing the suggestion is answered from the cache.
    auto b = ask_with(h, "x = R", other("RATE = 1\n"));
    REQUIRE(b.answered());
    CHECK(b.text() == "ATE");
    CHECK(h.stream.size() == 1);
    // Other files changed: the cached suggestion was made for another prompt.
    auto c = ask_with(h, "x = R", other("RATE = 2\n"));
    h.advance(50ms);
    CHECK_FALSE(c.answered());
    REQUIRE(h.stream.size() == 2);

    // A running stream serves typing only with the same other files.
    h.push(1, "AT");
    auto d = ask_with(h, "x = RA", other("RATE = 3\n"));
    h.advance(50ms);
    CHECK(h.stream.size() == 3);
    auto e = ask_with(h, "x = RAT", other("RATE = 3\n"));
    h.advance(50ms);
    CHECK(h.stream.size() == 3);
    h.push(2, "TE");
    h.end(2);
    REQUIRE(e.answered());
    CHECK(e.text() == "E");
    CHECK(d.reason() == Reason::superseded);
  }

} // TEST_SUITE

} // namespace fimlsp::test
