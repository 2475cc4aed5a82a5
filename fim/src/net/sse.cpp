#include "fimlsp/fim/net/sse.hpp"

namespace fimlsp::fim {

static void dispatch_line(std::string_view line, std::string& data, bool& has_data,
                          const SseParser::DataFn& on_data,
                          const std::function<void(std::string_view, std::string_view)>& on_other) {
  if (line.empty()) { // a blank line ends the event
    if (has_data) on_data(data);
    data.clear();
    has_data = false;
    return;
  }
  if (line.front() == ':') return; // comment (keep-alive pings)
  const auto colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field != "data") { // event, id, retry: nothing a completion needs
    if (on_other) on_other(field, value);
    return;
  }
  if (has_data) data += '\n';
  data += value;
  has_data = true;
}

void SseParser::feed(std::string_view bytes, const DataFn& on_data) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const char c = bytes[i];
    if (c == '\n' && last_was_cr_) { // second half of a CRLF split anywhere
      last_was_cr_ = false;
      ++i;
      continue;
    }
    last_was_cr_ = false;
    const auto end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      return;
    }
    line_.append(bytes.substr(i, end - i));
    last_was_cr_ = bytes[end] == '\r';
    dispatch_line(line_, data_, has_data_, on_data, on_other_field);
    line_.clear();
    i = end + 1;
  }
}

void SseParser::finish(const DataFn& on_data) {
  if (!line_.empty()) dispatch_line(line_, data_, has_data_, on_data, on_other_field);
  line_.clear();
  dispatch_line({}, data_, has_data_, on_data, on_other_field);
  last_was_cr_ = false;
}

} // namespace fimlsp::fim
