#pragma once
// stdin is read by one blocking thread that posts whole messages to the io thread (epoll
// refuses regular files; clangd does the same). stdout is written only from the io thread.
// Memory stays bounded when the client stops reading: the reader stops reading stdin once
// kMaxPendingInput bytes wait for the io thread, and a message that cannot be written for
// kOutputStall is given up on with the client (write() says Stalled).
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace fimlsp::server {

inline constexpr std::size_t kMaxPendingInput = std::size_t{64} << 20;
inline constexpr std::chrono::seconds kOutputStall{30};

class StdioTransport {
public:
  using OnMessages = std::function<void(std::vector<std::string> bodies)>;
  using OnClosed = std::function<void()>;

  // Starts the reader thread. Messages parsed from one read() arrive as one batch, so that a
  // $/cancelRequest + didChange + request sent together are seen together.
  StdioTransport(boost::asio::any_io_executor io, OnMessages on_messages, OnClosed on_closed, int in_fd = 0,
                 int out_fd = 1);
  ~StdioTransport();

  enum class Written { Ok, Closed, Stalled };
  // Writes one framed message (io thread only): Closed when stdout is gone, Stalled when the
  // client read nothing of it for kOutputStall.
  Written write(const std::string& body);

private:
  void read_loop(boost::asio::any_io_executor io, OnMessages on_messages, OnClosed on_closed);
  int in_fd_;
  int out_fd_;
  std::atomic<std::size_t> pending_{0}; // bytes read from stdin that the io thread has not handled
  std::thread reader_;
};

} // namespace fimlsp::server
