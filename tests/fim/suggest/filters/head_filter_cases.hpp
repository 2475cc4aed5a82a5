#pragma once
// Runs a head filter as the pipeline does: on a growing start of the stream until it decides.
#include "fimlsp/fim/suggest/filter.hpp"
#include <string>

namespace fimlsp::test {

// The text after the head filter's cut, fed `stream` one byte at a time (the decision must not
// depend on how the stream is split), with the cursor at the end of `prefix`.
inline std::string after_head(const fim::HeadFilter& f, std::string_view prefix, std::string_view stream,
                              std::string_view language = "", std::string_view suffix = "") {
  const fim::FilterContext ctx(prefix, suffix, suffix.substr(0, suffix.find('\n')), language);
  for (std::size_t end = 0; end <= stream.size(); ++end) {
    const auto cut = f.decide(stream.substr(0, end), end == stream.size(), ctx);
    if (!cut) continue;
    if (cut->nothing) return "<nothing>";
    return std::string(stream.substr(cut->drop)) +
           (cut->stop.empty() ? "" : "|stop:" + std::string(cut->stop));
  }
  return "<undecided>";
}

} // namespace fimlsp::test
