// The suggestion must continue the prefix, not start the cursor's line again. At its start go,
// first that applies: the indentation the cursor already stands after; the line so far (with or
// without its indentation: `return ` + `return sum(xs)`); the partly typed word (`resu` +
// `results`); a space when the prefix ends with one. A space the prefix lacks (`x =` + ` 1`) and
// a suggestion that merely starts with the same name (`count = ` + `count + 1`) stay.
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"

namespace fimlsp::fim::filters {

namespace {

constexpr std::size_t npos = std::string_view::npos;
// What joins a name's parts: `os.path`, `$HOME`, `@items`, `btn-primary`, `std::map`, `p->next`.
constexpr std::string_view kJoiners = ".$@-:>";

// Whether `head` starts with `echo`: true, false, or nullopt while `head` is a shorter start of it.
std::optional<bool> starts_with(std::string_view head, std::string_view echo, bool ended) {
  if (head.starts_with(echo)) return true;
  if (!ended && echo.starts_with(head) && head.find('\n') == std::string_view::npos) return std::nullopt;
  return false;
}

std::optional<HeadCut> decide(std::string_view head, bool ended, const FilterContext& ctx) {
  using namespace filter_text;
  const std::string_view line = ctx.line_before;
  if (line.empty()) return HeadCut{};
  const std::string_view indent = indentation(line);
  if (indent.size() == line.size()) { // the cursor stands after indentation only
    const auto echoed = starts_with(head, indent, ended);
    if (!echoed) return std::nullopt;
    return HeadCut{.drop = *echoed ? indent.size() : 0};
  }
  // The line so far, with its indentation, then without.
  for (const std::string_view echo : {line, line.substr(indent.size())}) {
    const auto echoed = starts_with(head, echo, ended);
    if (!echoed) return std::nullopt;
    if (*echoed) return HeadCut{.drop = echo.size()};
  }
  // The name the cursor stands in, typed in part: with its dots, sigils and dashes first
  // (`os.pa`, `$HO`, `btn-pri`, `p->na`), then the word alone.
  for (const bool joined : {true, false}) {
    std::size_t word = line.size();
    while (word > 0 && (is_word_byte(line[word - 1]) || (joined && kJoiners.find(line[word - 1]) != npos)))
      --word;
    const std::string_view typed = line.substr(word);
    if (typed.empty() || (joined && typed.find_first_of(kJoiners) == npos)) continue;
    const auto echoed = starts_with(head, typed, ended);
    if (!echoed) return std::nullopt;
    if (*echoed && head.size() > typed.size()) return HeadCut{.drop = typed.size()};
    if (*echoed && !ended) return std::nullopt; // the word so far: more will tell
  }
  if (line.back() == ' ' || line.back() == '\t') {
    const auto visible = head.find_first_not_of(" \t");
    if (visible == std::string_view::npos && !ended) return std::nullopt;
    return HeadCut{.drop = std::min(head.size(), visible)};
  }
  return HeadCut{};
}

} // namespace

const HeadFilter prefix_seam{"prefix_seam", decide};

} // namespace fimlsp::fim::filters
