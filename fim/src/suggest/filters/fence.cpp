// A chat-style answer: ```lang on the first line, the code, a closing ``` and maybe prose. The
// opening fence goes (untagged, or tagged with the document's language), and its closing fence
// becomes a stop: what follows it is prose. A fence tagged with another language is content
// (Markdown inside a string), and so is every fence in a Markdown document.
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"
#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>

namespace fimlsp::fim::filters {

namespace {

constexpr std::string_view kFence = "```";
constexpr std::size_t kLongestFenceLine = 40;

bool is_tag_byte(char c) {
  return filter_text::is_word_byte(c) || c == '+' || c == '#' || c == '-' || c == '.';
}

std::optional<HeadCut> decide(std::string_view head, bool ended, const FilterContext& ctx) {
  if (ctx.facts->fences_are_content) return HeadCut{};
  // Blank lines before the fence go with it.
  const std::size_t start = std::min(head.size(), head.find_first_not_of(filter_text::kSpace));
  const std::string_view rest = head.substr(start);
  if (rest.size() < kFence.size())
    return ended || !kFence.starts_with(rest) ? std::optional(HeadCut{}) : std::nullopt;
  if (!rest.starts_with(kFence)) return HeadCut{};
  const auto nl = rest.find('\n');
  if (nl == std::string_view::npos) {
    if (rest.size() > kLongestFenceLine) return HeadCut{};
    if (!ended) return std::nullopt;
  }
  const std::string_view line = filter_text::trim_end(rest.substr(0, nl));
  // The info string's first word is the language: ```python title="a.py", ```python:src/a.py.
  std::string_view info = line.substr(kFence.size());
  const std::string_view tag = info.substr(0, std::min(info.size(), info.find_first_of(" \t:{")));
  if (tag.empty() && !filter_text::trim(info).empty()) return HeadCut{};
  if (!std::all_of(tag.begin(), tag.end(), is_tag_byte) || info.find('`') != std::string_view::npos)
    return HeadCut{};
  if (!tag.empty() && !names_language(*ctx.facts, tag) && !boost::algorithm::iequals(tag, ctx.language_id))
    return HeadCut{};
  if (nl == std::string_view::npos) return HeadCut{.drop = head.size(), .nothing = true};
  // The body, unless the closing fence follows at once.
  const std::string_view body = rest.substr(nl + 1);
  if (body.size() < kFence.size() && !ended && kFence.starts_with(body)) return std::nullopt;
  if (body.starts_with(kFence)) return HeadCut{.drop = head.size(), .nothing = true};
  return HeadCut{.drop = start + nl + 1, .stop = "\n```"};
}

} // namespace

const HeadFilter fence{"fence", decide};

} // namespace fimlsp::fim::filters
