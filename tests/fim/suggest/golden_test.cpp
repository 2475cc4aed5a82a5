// The golden corpus (tests/fim/suggestions/, format in its README): every case is streamed
// through the engine, as a live request is, whole, split in two at every code point and one
// code point at a time, and must show exactly its `@@ show`. Prints the pass count per category.
#include "support/engine_harness.hpp"
#include "support/suggestion_case.hpp"
#include <doctest/doctest.h>
#include <iostream>
#include <map>

namespace fimlsp::test {

namespace {

fim::CompletionInput input_of(const SuggestionCase& c) {
  fim::CompletionInput input;
  input.document = "file:///" + c.file.filename().string();
  input.prefix = c.prefix();
  input.suffix = c.suffix();
  input.line_after = input.suffix.substr(0, input.suffix.find('\n'));
  input.language_id = c.language;
  return input;
}

// One request through the engine, the model's text arriving in `pieces`: what the user is shown.
std::string shown(const SuggestionCase& c, const fim::Settings& settings,
                  const std::vector<std::string>& pieces) {
  Harness h(settings);
  auto answers = std::make_shared<std::vector<fim::Completion>>();
  h.engine->complete(input_of(c), [answers](fim::Completion done) { answers->push_back(std::move(done)); });
  h.settle();
  REQUIRE(h.stream.size() == 1);
  for (const auto& piece : pieces) {
    if (h.stream[0].ended) break; // the engine closed the stream early: the rest is not read
    h.push(0, piece);
  }
  if (!h.stream[0].ended) h.end(0);
  REQUIRE(answers->size() == 1);
  return answers->at(0).text;
}

// The model text split in two at every code point boundary, and one code point per piece.
std::vector<std::vector<std::string>> replays(const std::string& text) {
  std::vector<std::size_t> bounds;
  for (std::size_t i = 1; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) bounds.push_back(i);
  std::vector<std::vector<std::string>> out;
  for (std::size_t b : bounds)
    out.push_back({text.substr(0, b), text.substr(b)});
  std::vector<std::string> code_points;
  std::size_t start = 0;
  for (std::size_t b : bounds) {
    code_points.push_back(text.substr(start, b - start));
    start = b;
  }
  code_points.push_back(text.substr(start));
  out.push_back(std::move(code_points));
  return out;
}

} // namespace

TEST_SUITE("suggestion corpus") {

  TEST_CASE("every golden case shows its expected text, however its stream is split") {
    const auto cases = load_suggestion_corpus();
    if (!std::getenv("FIM_SUGGESTION_CORPUS")) REQUIRE(cases.size() >= 100);
    std::map<std::string, std::pair<int, int>> counts; // category → passed, total
    for (const SuggestionCase& c : cases) {
      CAPTURE(c.file.string());
      REQUIRE_MESSAGE(c.error.empty(), c.error);
      std::string why;
      const auto settings = c.settings_applied(why);
      REQUIRE_MESSAGE(settings, why);
      auto& [passed, total] = counts[c.category];
      ++total;
      const std::string got = shown(c, *settings, c.chunks);
      bool ok = got == c.show;
      if (!ok) {
        FAIL_CHECK(c.name() << "\n--- expected\n"
                            << visible_whitespace(c.show) << "\n--- shown\n"
                            << visible_whitespace(got));
        continue;
      }
      for (const auto& pieces : replays(c.model_text())) {
        const std::string again = shown(c, *settings, pieces);
        if (again == c.show) continue;
        ok = false;
        FAIL_CHECK(c.name() << " streamed in " << pieces.size() << " pieces (first " << pieces[0].size()
                            << " bytes)\n--- expected\n"
                            << visible_whitespace(c.show) << "\n--- shown\n"
                            << visible_whitespace(again));
        break;
      }
      if (ok) ++passed;
    }
    int all = 0, all_passed = 0;
    std::cout << "suggestion corpus: passed / cases per category\n";
    for (const auto& [category, n] : counts) {
      std::cout << "  " << category << ": " << n.first << " / " << n.second << "\n";
      all_passed += n.first;
      all += n.second;
    }
    std::cout << "  total: " << all_passed << " / " << all << "\n";
  }

  TEST_CASE("while a golden case streams, what `complete` prints early is the start of its final text") {
    for (const SuggestionCase& c : load_suggestion_corpus()) {
      CAPTURE(c.file.string());
      std::string why;
      const auto settings = c.settings_applied(why);
      REQUIRE_MESSAGE(settings, why);
      const auto plan = fim::make_plan(*settings, input_of(c));
      for (const auto& pieces : replays(c.model_text())) {
        auto p = fim::make_pipeline(plan);
        std::vector<std::string> shown_early;
        for (const auto& piece : pieces) {
          if (p.append(piece)) break;
          shown_early.emplace_back(p.streamed().substr(0, p.stable_prefix()));
        }
        p.finish();
        for (const auto& early : shown_early)
          if (!p.text().starts_with(early))
            FAIL_CHECK(c.name() << " shown early: " << visible_whitespace(early)
                                << "\nfinal: " << visible_whitespace(p.text()));
      }
    }
  }
}

} // namespace fimlsp::test
