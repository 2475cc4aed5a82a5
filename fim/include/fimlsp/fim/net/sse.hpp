#pragma once
// Server-sent events framing, free of I/O: what the events hold is the provider's business.
#include <functional>
#include <string>
#include <string_view>

namespace fimlsp::fim {

// Takes bytes in any split; calls on_data with each event's data (several data: lines joined
// by "\n"; one space after "data:" dropped; comments and other fields ignored; CRLF, LF or CR).
class SseParser {
public:
  using DataFn = std::function<void(std::string_view data)>;
  void feed(std::string_view bytes, const DataFn& on_data);
  void finish(const DataFn& on_data); // end of stream: dispatch a pending event
  // Every other field ("event", "id", ..., and "error", which llama.cpp's server used for a
  // stream's error) as it is read, when set.
  std::function<void(std::string_view field, std::string_view value)> on_other_field;

private:
  std::string line_;
  std::string data_;
  bool has_data_ = false;
  bool last_was_cr_ = false;
};

} // namespace fimlsp::fim
