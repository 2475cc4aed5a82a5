#include "fimlsp/fim/net/ndjson.hpp"
#include <algorithm>

namespace fimlsp::fim {

void NdjsonParser::dispatch(const LineFn& on_line) {
  std::string_view line = line_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
  if (!blank) on_line(line);
  line_.clear();
  overlong_ = false;
}

void NdjsonParser::feed(std::string_view bytes, const LineFn& on_line) {
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const std::string_view part = bytes.substr(0, nl);
    if (!overlong_) {
      line_.append(part.substr(0, kMaxLine - std::min(kMaxLine, line_.size())));
      overlong_ = line_.size() >= kMaxLine;
    }
    if (nl == std::string_view::npos) return;
    dispatch(on_line);
    bytes.remove_prefix(nl + 1);
  }
}

void NdjsonParser::finish(const LineFn& on_line) {
  dispatch(on_line);
}

} // namespace fimlsp::fim
