#include "fimlsp/fim/prompt/similar_windows.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

// A long file of unrelated helpers with one relevant function in its middle.
std::string long_file(std::size_t lines_before, const std::string& middle, std::size_t lines_after) {
  std::string s;
  for (std::size_t i = 0; i < lines_before; ++i)
    s += "def helper_" + std::to_string(i) + "(value):\n    return value + " + std::to_string(i) + "\n";
  s += middle;
  for (std::size_t i = 0; i < lines_after; ++i)
    s += "def other_" + std::to_string(i) + "(item):\n    return item * " + std::to_string(i) + "\n";
  return s;
}

const std::string kRelevant = "def shipping_cost(weight_kg, distance_km):\n"
                              "    base_rate = 4.5\n"
                              "    return base_rate + weight_kg * distance_km * 0.01\n";

} // namespace

TEST_CASE("similar windows: the relevant window of a long file wins over its first lines") {
  const auto text = fim::index_text(long_file(200, kRelevant, 200));
  const auto query = fim::identifier_set("total = shipping_cost(parcel.weight_kg, route.distance_km)\n");
  const fim::Window w = fim::best_window(text, query);
  REQUIRE(w.score > 0);
  const std::string_view chosen = std::string_view(text.text).substr(
      text.line_starts[w.first], text.line_starts[w.end] - text.line_starts[w.first]);
  CHECK(chosen.find("def shipping_cost(weight_kg, distance_km):") != std::string_view::npos);
  CHECK(w.first > 100);
  CHECK(w.end - w.first <= fim::kWindowLines);
}

TEST_CASE("similar windows: identifiers, not keywords or one-letter names, make the similarity") {
  CHECK(fim::identifier_set("if x: return None") == fim::identifier_set(""));
  CHECK(fim::identifier_set("foo bar foo") == fim::identifier_set("bar foo"));
  CHECK(fim::identifier_set("foo").size() == 1);
  // Unicode identifiers count too (bytes >= 0x80 are identifier bytes).
  CHECK(fim::identifier_set("pr\xc3\xa9nom").size() == 1);
  // Lines without identifiers, an empty file, CRLF: no crash, empty windows.
  const auto empty = fim::index_text("");
  CHECK(empty.lines() == 0);
  CHECK(fim::best_window(empty, fim::identifier_set("foo")).end == 0);
  const auto crlf = fim::index_text("alpha beta\r\ngamma\r\n");
  CHECK(crlf.lines() == 2);
}

TEST_CASE("similar windows: best first while the budget lasts, returned best last") {
  const auto shipping = fim::index_text(long_file(50, kRelevant, 50));
  const auto weights =
      fim::index_text("WEIGHT_LIMIT_KG = 30\ndef check(weight_kg):\n    return weight_kg < 30\n");
  const auto unrelated = fim::index_text("class Logger:\n    def log(message):\n        print(message)\n");
  const auto config = fim::index_text("DEBUG = True\n");
  const std::vector<fim::SnippetSource> sources{
      {"lib/weights.py", &weights, false},
      {"lib/shipping.py", &shipping, false},
      {"lib/logger.py", &unrelated, false}, // nothing in common: left out
      {"settings.py", &config, true},       // imported: kept, ranked last
  };
  const auto query = fim::identifier_set("cost = shipping_cost(weight_kg, distance_km)\n");

  const auto all = fim::select_snippets(sources, query, 100000);
  REQUIRE(all.size() == 3);
  CHECK(all[0].path == "settings.py");
  CHECK(all[1].path == "lib/weights.py");
  CHECK(all[2].path == "lib/shipping.py"); // the most similar, nearest the current file
  CHECK(all[2].text.find("def shipping_cost") != std::string::npos);
  CHECK(all[0].text == "DEBUG = True\n");

  for (std::size_t budget : {0, 5, 40, 120, 300, 1000}) {
    CAPTURE(budget);
    const auto some = fim::select_snippets(sources, query, budget);
    std::size_t used = 0;
    for (auto& s : some) {
      used += fim::code_points(s.path) + fim::code_points(s.text);
      CHECK(s.text.ends_with('\n'));
    }
    CHECK(used <= budget);
    if (budget >= 120) CHECK_FALSE(some.empty());
  }
  // Cut to whole lines from the window's start: the signature first.
  const auto small = fim::select_snippets(std::vector<fim::SnippetSource>{sources[1]}, query, 80);
  REQUIRE(small.size() == 1);
  CHECK(small[0].text.find("def shipping_cost(weight_kg, distance_km):\n") != std::string::npos);
  CHECK(fim::code_points(small[0].path) + fim::code_points(small[0].text) <= 80);
}

TEST_CASE("similar windows: ties keep the order of the sources") {
  const auto a = fim::index_text("alpha_value = 1\n");
  const auto b = fim::index_text("alpha_value = 2\n");
  const auto query = fim::identifier_set("alpha_value");
  const auto out =
      fim::select_snippets(std::vector<fim::SnippetSource>{{"a.py", &a}, {"b.py", &b}}, query, 1000);
  REQUIRE(out.size() == 2);
  CHECK(out[1].path == "a.py");
  CHECK(out[0].path == "b.py");
}

} // namespace fimlsp::test

namespace fimlsp::test {

TEST_CASE("similar windows: the budget bounds everything the other files add to the prompt, per format") {
  std::string long_text;
  for (int i = 0; i < 60; ++i)
    long_text += "def shipping_" + std::to_string(i) + "(weight_kg):\n    return weight_kg * " +
                 std::to_string(i) + "\n";
  const auto a = fim::index_text(long_text);
  const auto b = fim::index_text("WEIGHT = 'caf\xc3\xa9'\ndef weight_kg():\n\n    return 1\n");
  const std::vector<fim::SnippetSource> sources{{"lib/a.py", &a}, {"lib/b.py", &b, true}};
  const auto query = fim::identifier_set("x = shipping_30(weight_kg)");
  for (auto& t : fim::all_templates()) {
    for (const char* language : {"python", "css", "html"}) {
      for (std::size_t budget : {0, 30, 60, 100, 250, 600, 5000}) {
        CAPTURE(t.name);
        CAPTURE(language);
        CAPTURE(budget);
        fim::OtherFiles other;
        other.repo = "my-repo";
        other.path = "app/main.py";
        other.language = language;
        other.snippets = fim::select_snippets(sources, query, budget, fim::snippet_cost(t, other));
        for (const char* suffix : {"", "\n)\n"}) {
          const auto added = fim::code_points(fim::render_prompt(t, "x = ", suffix, other)) -
                             fim::code_points(fim::render_prompt(t, "x = ", suffix));
          CHECK(added <= budget);
        }
        if (budget >= 250) CHECK_FALSE(other.snippets.empty());
      }
    }
  }
}

} // namespace fimlsp::test

namespace fimlsp::test {

TEST_CASE("similar windows: a long file where every window shares something still yields the best one") {
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += "total_" + std::to_string(i) + " = amount + " + std::to_string(i) + "\n";
  const std::size_t relevant_line = 3001;
  std::string with_relevant;
  std::size_t line = 0;
  for (std::size_t at = 0; at < text.size(); ++line) {
    const auto nl = text.find('\n', at);
    with_relevant += text.substr(at, nl - at + 1);
    if (line == relevant_line)
      with_relevant += "def invoice_amount(order, discount_rate):\n    return order.amount\n";
    at = nl + 1;
  }
  const auto indexed = fim::index_text(with_relevant);
  const auto w =
      fim::best_window(indexed, fim::identifier_set("x = invoice_amount(order, discount_rate=amount)"));
  CHECK(w.first <= relevant_line + 1);
  CHECK(w.end > relevant_line + 1);
  CHECK(w.focus <= relevant_line + 1);
}

} // namespace fimlsp::test
