#include "fimlsp/fim/suggest/postprocess.hpp"
#include <algorithm>
#include <array>

namespace fimlsp::fim {

namespace {

constexpr std::string_view kSpace = " \t\r\n";

std::string_view trim_end(std::string_view s) {
  const auto last = s.find_last_not_of(kSpace);
  return last == std::string_view::npos ? std::string_view{} : s.substr(0, last + 1);
}

std::string_view trim(std::string_view s) {
  s = trim_end(s);
  return s.substr(std::min(s.size(), s.find_first_not_of(kSpace)));
}

// Whether `s` leaves a bracket open that a closing bracket after it would close. Then a tail that
// looks like the text after the cursor is the suggestion's own closing bracket, not a repeat.
bool opens_bracket(std::string_view s) {
  constexpr std::array<std::pair<char, char>, 3> kPairs{{{'(', ')'}, {'[', ']'}, {'{', '}'}}};
  return std::any_of(kPairs.begin(), kPairs.end(), [s](auto pair) {
    return std::count(s.begin(), s.end(), pair.first) > std::count(s.begin(), s.end(), pair.second);
  });
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0;;) {
    const auto nl = s.find('\n', start);
    lines.push_back(s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) return lines;
    start = nl + 1;
  }
}

// Removes the suggestion's last lines when they repeat the first non-blank lines after the
// cursor's line (compared without indentation): the model wrote past the hole it was asked to fill.
std::string_view drop_repeated_lines(std::string_view text, std::string_view suffix) {
  const auto nl = suffix.find('\n');
  if (nl == std::string_view::npos) return text;
  std::vector<std::string_view> next;
  for (auto line : split_lines(suffix.substr(nl + 1)))
    if (!trim(line).empty()) next.push_back(trim(line));
  const auto lines = split_lines(text);
  for (std::size_t k = std::min(lines.size(), next.size()); k > 0; --k) {
    const std::size_t first = lines.size() - k;
    bool same = true;
    for (std::size_t j = 0; j < k && same; ++j)
      same = trim(lines[first + j]) == next[j];
    if (!same) continue;
    // Keep the text up to the start of line `first` (its newline goes too), unless the dropped
    // lines close the suggestion's own block: "if (a) {\n  b();\n}" before a "}" line.
    const std::size_t keep = first == 0 ? 0 : lines[first].data() - text.data() - 1;
    if (opens_bracket(text.substr(0, keep))) continue;
    return trim_end(text.substr(0, keep));
  }
  return text;
}

} // namespace

SuggestionBuilder::SuggestionBuilder(StopRules rules) : rules_(std::move(rules)) {
  std::erase_if(rules_.stops, [](const std::string& s) { return s.empty(); });
  rules_.max_lines = rules_.single_line ? 1 : std::max(1, rules_.max_lines);
}

bool SuggestionBuilder::append(std::string_view piece) {
  if (complete_) return true;
  buf_ += piece;
  // Positions before committed_ can no longer start a stop string.
  std::size_t end = std::string::npos;
  for (auto& stop : rules_.stops)
    end = std::min(end, buf_.find(stop, committed_));
  // The max_lines-th newline ends the suggestion (recounted each time: the buffer is small).
  int newlines = 0;
  for (std::size_t i = 0; i < buf_.size() && i < end; ++i)
    if (buf_[i] == '\n' && ++newlines == rules_.max_lines) end = i;
  if (end != std::string::npos) {
    buf_.resize(end);
    committed_ = end;
    complete_ = true;
    return true;
  }
  // Hold back the longest tail that may still grow into a stop string (a full match was ruled
  // out above, so a stop starting with the tail is longer than it).
  std::size_t longest = 0;
  for (auto& stop : rules_.stops)
    longest = std::max(longest, stop.size());
  std::size_t p = std::max(committed_, buf_.size() >= longest ? buf_.size() - longest + 1 : 0);
  committed_ = buf_.size();
  for (; p < buf_.size(); ++p) {
    const std::string_view tail = std::string_view(buf_).substr(p);
    if (std::any_of(rules_.stops.begin(), rules_.stops.end(),
                    [&](auto& stop) { return stop.starts_with(tail); })) {
      committed_ = p;
      break;
    }
  }
  return false;
}

std::string_view SuggestionBuilder::text() const {
  return std::string_view(buf_).substr(0, committed_);
}

void SuggestionBuilder::finish() {
  committed_ = buf_.size();
  complete_ = true;
}

std::string clean_suggestion(std::string_view text, std::string_view line_after_cursor,
                             std::string_view suffix) {
  text = trim_end(text);
  const std::string_view after = trim(line_after_cursor);
  if (!after.empty()) {
    // Only repeats what already follows the cursor.
    if (line_after_cursor.starts_with(text)) return "";
    // Completed the line including the text after the cursor: "a, b)" before ")".
    if (text.ends_with(after) && !opens_bracket(text.substr(0, text.size() - after.size())))
      text = trim_end(text.substr(0, text.size() - after.size()));
  }
  text = drop_repeated_lines(text, suffix);
  if (trim(text).empty()) return "";
  return std::string(text);
}

} // namespace fimlsp::fim
