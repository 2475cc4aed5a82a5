#pragma once
// LSP base protocol framing ("Content-Length: N\r\n\r\n<body>"), free of I/O.
#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fimlsp::protocol {

inline constexpr std::size_t kMaxContentLength = std::size_t{64} << 20;

// Takes bytes in any split and yields whole message bodies. A header block without a valid
// Content-Length, or with one over the cap, is reported through `log` and skipped: the reader
// resyncs at the next "Content-Length:" header instead of allocating the claimed size.
class FrameReader {
public:
  using LogFn = std::function<void(std::string_view)>;
  explicit FrameReader(LogFn log = {}, std::size_t max_content_length = kMaxContentLength);

  void feed(std::string_view bytes);
  // The next complete body, if any.
  std::optional<std::string> next();

private:
  enum class State { Header, Body, Resync };
  void parse();
  bool parse_header_block(std::string_view block);
  void reject(const std::string& why);

  LogFn log_;
  std::size_t max_length_;
  std::string buffer_;      // unconsumed input
  std::size_t scanned_ = 0; // bytes of buffer_ already searched for the current delimiter
  State state_ = State::Header;
  std::size_t body_length_ = 0;
  std::deque<std::string> ready_;
};

// "Content-Length: <n>\r\n\r\n" + body.
std::string frame(std::string_view body);

} // namespace fimlsp::protocol
