#include "support/suggestion_case.hpp"
#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>

namespace fimlsp::test {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kChunk = "<|chunk|>";
}

// A block's content: its lines joined by "\n", without the last line's newline.
SuggestionCase read_suggestion_case(const fs::path& file) {
  SuggestionCase c{.file = file, .category = file.parent_path().filename().string()};
  std::ifstream in(file, std::ios::binary);
  std::string line, *block = nullptr;
  bool first = true;
  while (std::getline(in, line)) {
    if (!line.starts_with("@@ ")) {
      if (!block) {
        c.error = "text outside a block: " + line;
        continue;
      }
      if (!first) *block += '\n';
      *block += line;
      first = false;
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
    else if (name == "document")
      block = &c.document;
    else if (name == "model")
      block = &c.model;
    else if (name == "show")
      block = &c.show;
    else if (name != "note")
      c.error = "unknown section " + name;
  }
  for (std::size_t start = 0;;) {
    const auto at = c.model.find(kChunk, start);
    c.chunks.push_back(c.model.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + kChunk.size();
  }
  const auto cursor = c.document.find(kCursorMarker);
  if (cursor == std::string::npos || c.document.find(kCursorMarker, cursor + 1) != std::string::npos)
    c.error = "the document needs exactly one cursor marker";
  return c;
}

std::string SuggestionCase::model_text() const {
  std::string out;
  for (const auto& chunk : chunks)
    out += chunk;
  return out;
}

std::string SuggestionCase::name() const {
  return category + "/" + file.filename().string();
}

std::optional<fim::Settings> SuggestionCase::settings_applied(std::string& why) const {
  boost::json::value json = boost::json::object();
  if (!settings.empty()) {
    boost::system::error_code ec;
    json = boost::json::parse(settings, ec);
    if (ec) {
      why = "@@ settings is not JSON: " + ec.message();
      return std::nullopt;
    }
  }
  auto r = fim::apply_settings(fim::Settings{}, json);
  why = r.error;
  return r.settings;
}

fs::path suggestion_corpus_dir() {
  if (const char* dir = std::getenv("FIM_SUGGESTION_CORPUS"); dir && *dir) return dir;
  return fs::path(FIM_SOURCE_DIR) / "tests/fim/suggestions";
}

std::vector<SuggestionCase> load_suggestion_corpus() {
  std::vector<SuggestionCase> cases;
  for (const auto& e : fs::recursive_directory_iterator(suggestion_corpus_dir()))
    if (e.path().extension() == ".case") cases.push_back(read_suggestion_case(e.path()));
  std::sort(cases.begin(), cases.end(), [](auto& a, auto& b) { return a.file < b.file; });
  return cases;
}

std::string visible_whitespace(std::string_view s) {
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

} // namespace fimlsp::test
