// The golden corpus (tests/fim/suggestions/, format in its README): every case is streamed
// through the engine, as a live request is, whole, split in two at every code point and one
// code point at a time, and must show exactly its `@@ show`. Prints the pass count per category.
#include "support/engine_harness.hpp"
#include <boost/json.hpp>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace fimlsp::test {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCursor = "<|cursor|>";
constexpr std::string_view kChunk = "<|chunk|>";

struct Case {
  fs::path file;
  std::string category, language, settings, document, model, show;
  std::vector<std::string> chunks;
  std::string error; // a malformed case
};

// A block's content: its lines joined by "\n", without the last line's newline.
Case parse_case(const fs::path& file) {
  Case c{.file = file, .category = file.parent_path().filename().string()};
  std::ifstream in(file, std::ios::binary);
  std::string line, *block = nullptr;
  bool first = true;
  auto add = [&](const std::string& l) {
    if (!block) return;
    if (!first) *block += '\n';
    *block += l;
    first = false;
  };
  while (std::getline(in, line)) {
    if (!line.starts_with("@@ ")) {
      if (!block) c.error = "text outside a block: " + line;
      add(line);
      continue;
    }
    const std::string header = line.substr(3);
    const auto space = header.find(' ');
    const std::string name = header.substr(0, space);
    const std::string value = space == std::string::npos ? "" : header.substr(space + 1);
    block = nullptr;
    first = true;
    if (name == "language")
      c.language = value;
    else if (name == "settings")
      c.settings = value;
    else if (name == "note")
      continue;
    else if (name == "document")
      block = &c.document;
    else if (name == "model")
      block = &c.model;
    else if (name == "show")
      block = &c.show;
    else
      c.error = "unknown section " + name;
  }
  for (std::size_t start = 0;;) {
    const auto at = c.model.find(kChunk, start);
    c.chunks.push_back(c.model.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + kChunk.size();
  }
  if (c.document.find(kCursor) == std::string::npos) c.error = "no cursor marker";
  return c;
}

// The repository's corpus, or the one FIM_SUGGESTION_CORPUS names (a directory of <category>/*.case).
fs::path corpus_dir() {
  if (const char* dir = std::getenv("FIM_SUGGESTION_CORPUS"); dir && *dir) return dir;
  return fs::path(FIM_SOURCE_DIR) / "tests/fim/suggestions";
}

std::vector<Case> load_corpus() {
  std::vector<Case> cases;
  for (const auto& e : fs::recursive_directory_iterator(corpus_dir()))
    if (e.path().extension() == ".case") cases.push_back(parse_case(e.path()));
  std::sort(cases.begin(), cases.end(), [](auto& a, auto& b) { return a.file < b.file; });
  return cases;
}

// One request through the engine, the model's text arriving in `pieces`: what the user is shown.
std::string shown(const Case& c, const fim::Settings& settings, const std::vector<std::string>& pieces) {
  const auto at = c.document.find(kCursor);
  fim::CompletionInput input;
  input.document = "file:///" + c.file.filename().string();
  input.prefix = c.document.substr(0, at);
  input.suffix = c.document.substr(at + kCursor.size());
  input.line_after = input.suffix.substr(0, input.suffix.find('\n'));
  input.language_id = c.language;
  Harness h(settings);
  auto answers = std::make_shared<std::vector<fim::Completion>>();
  h.engine->complete(std::move(input),
                     [answers](fim::Completion done) { answers->push_back(std::move(done)); });
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

// The model text split at every code point boundary, and one code point per piece.
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

std::string visible(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\n')
      out += "⏎\n";
    else if (ch == '\t')
      out += "→";
    else if (ch == ' ')
      out += "·";
    else
      out += ch;
  }
  return out;
}

} // namespace

TEST_SUITE("suggestion corpus") {

  TEST_CASE("every golden case shows its expected text, however its stream is split") {
    const auto cases = load_corpus();
    if (!std::getenv("FIM_SUGGESTION_CORPUS")) REQUIRE(cases.size() >= 100);
    std::map<std::string, std::pair<int, int>> counts; // category → passed, total
    for (const Case& c : cases) {
      CAPTURE(c.file.string());
      REQUIRE_MESSAGE(c.error.empty(), c.error);
      auto parsed =
          fim::apply_settings(fim::Settings{}, c.settings.empty() ? boost::json::value(boost::json::object())
                                                                  : boost::json::parse(c.settings));
      REQUIRE_MESSAGE(parsed.settings, parsed.error);
      auto& [passed, total] = counts[c.category];
      ++total;
      const std::string got = shown(c, *parsed.settings, c.chunks);
      bool ok = got == c.show;
      if (!ok) {
        FAIL_CHECK(c.file.lexically_relative(corpus_dir()).string() << "\n--- expected\n"
                                                                    << visible(c.show) << "\n--- shown\n"
                                                                    << visible(got));
        continue;
      }
      std::string model;
      for (const auto& chunk : c.chunks)
        model += chunk;
      for (const auto& pieces : replays(model)) {
        const std::string again = shown(c, *parsed.settings, pieces);
        if (again == c.show) continue;
        ok = false;
        FAIL_CHECK(c.file.lexically_relative(corpus_dir()).string()
                   << " streamed in " << pieces.size() << " pieces (first " << pieces[0].size()
                   << " bytes)\n--- expected\n"
                   << visible(c.show) << "\n--- shown\n"
                   << visible(again));
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
    for (const Case& c : load_corpus()) {
      CAPTURE(c.file.string());
      auto parsed =
          fim::apply_settings(fim::Settings{}, c.settings.empty() ? boost::json::value(boost::json::object())
                                                                  : boost::json::parse(c.settings));
      REQUIRE(parsed.settings);
      const auto at = c.document.find(kCursor);
      fim::CompletionInput input{.prefix = c.document.substr(0, at),
                                 .suffix = c.document.substr(at + kCursor.size())};
      input.line_after = input.suffix.substr(0, input.suffix.find('\n'));
      input.language_id = c.language;
      const auto plan = fim::make_plan(*parsed.settings, input);
      std::string model;
      for (const auto& chunk : c.chunks)
        model += chunk;
      for (const auto& pieces : replays(model)) {
        auto p = fim::make_pipeline(plan);
        std::vector<std::string> shown_early;
        for (const auto& piece : pieces) {
          if (p.append(piece)) break;
          shown_early.emplace_back(p.streamed().substr(0, p.stable_prefix()));
        }
        p.finish();
        for (const auto& early : shown_early)
          if (!p.text().starts_with(early))
            FAIL_CHECK("shown early: " << visible(early) << "\nfinal: " << visible(p.text()));
      }
    }
  }
}

} // namespace fimlsp::test
