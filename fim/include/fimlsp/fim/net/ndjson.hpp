#pragma once
// Newline-delimited JSON framing (Ollama's streams), free of I/O: each line is one value, what the
// values hold is the provider's business.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace fimlsp::fim {

// Takes bytes in any split; calls on_line with each non-blank line (LF or CRLF ended, the CR
// dropped). A line longer than kMaxLine is passed on cut short, so that the provider reports it
// as malformed instead of the buffer growing without end.
class NdjsonParser {
public:
  using LineFn = std::function<void(std::string_view line)>;
  static constexpr std::size_t kMaxLine = 8 * 1024 * 1024;
  void feed(std::string_view bytes, const LineFn& on_line);
  void finish(const LineFn& on_line); // end of stream: a last line without its newline

private:
  void dispatch(const LineFn& on_line);
  std::string line_;
  bool overlong_ = false;
};

} // namespace fimlsp::fim
