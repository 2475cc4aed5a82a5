#include "fimlsp/fim/suggest/postprocess.hpp"
#include <algorithm>

namespace fimlsp::fim {

SuggestionBuilder::SuggestionBuilder(StopRules rules) : rules_(std::move(rules)) {
  std::erase_if(rules_.stops, [](const std::string& s) { return s.empty(); });
  rules_.max_lines = rules_.single_line ? 1 : std::max(1, rules_.max_lines);
  for (auto& stop : rules_.stops)
    longest_stop_ = std::max(longest_stop_, stop.size());
}

// Costs the piece plus the held-back tail (shorter than the longest stop string): text before
// committed_ is never looked at again.
bool SuggestionBuilder::append(std::string_view piece) {
  if (complete_) return true;
  buf_ += piece;
  // Positions before committed_ can no longer start a stop string.
  std::size_t end = std::string::npos;
  for (auto& stop : rules_.stops)
    end = std::min(end, buf_.find(stop, committed_));
  // The max_lines-th newline ends the suggestion; newlines_ counts those before committed_.
  int newlines = newlines_;
  for (std::size_t i = committed_; i < buf_.size() && i < end; ++i)
    if (buf_[i] == '\n' && ++newlines == rules_.max_lines) end = i;
  if (end != std::string::npos) {
    buf_.resize(end);
    commit(end);
    complete_ = true;
    return true;
  }
  // Hold back the longest tail that may still grow into a stop string (a full match was ruled
  // out above, so a stop starting with the tail is longer than it).
  std::size_t p = std::max(committed_, buf_.size() >= longest_stop_ ? buf_.size() - longest_stop_ + 1 : 0);
  std::size_t hold = buf_.size();
  for (; p < buf_.size(); ++p) {
    const std::string_view tail = std::string_view(buf_).substr(p);
    if (std::any_of(rules_.stops.begin(), rules_.stops.end(),
                    [&](auto& stop) { return stop.starts_with(tail); })) {
      hold = p;
      break;
    }
  }
  commit(hold);
  return false;
}

void SuggestionBuilder::commit(std::size_t to) {
  newlines_ += static_cast<int>(std::count(buf_.begin() + committed_, buf_.begin() + to, '\n'));
  committed_ = to;
}

std::string_view SuggestionBuilder::text() const {
  return std::string_view(buf_).substr(0, committed_);
}

void SuggestionBuilder::add_stop(std::string stop) {
  if (stop.empty()) return;
  longest_stop_ = std::max(longest_stop_, stop.size());
  rules_.stops.push_back(std::move(stop));
}

void SuggestionBuilder::finish() {
  commit(buf_.size());
  complete_ = true;
}

} // namespace fimlsp::fim
