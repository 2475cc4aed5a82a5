#pragma once
// stdin is read by one blocking thread that posts whole messages to the io thread (epoll
// refuses regular files; clangd does the same). stdout is written only from the io thread.
#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace fimlsp::server {

class StdioTransport {
public:
  using OnMessages = std::function<void(std::vector<std::string> bodies)>;
  using OnClosed = std::function<void()>;

  // Starts the reader thread. Messages parsed from one read() arrive as one batch, so that a
  // $/cancelRequest + didChange + request sent together are seen together.
  StdioTransport(boost::asio::any_io_executor io, OnMessages on_messages, OnClosed on_closed, int in_fd = 0,
                 int out_fd = 1);
  ~StdioTransport();

  // Writes one framed message (io thread only). Returns false when stdout is gone.
  bool write(const std::string& body);

private:
  void read_loop(boost::asio::any_io_executor io, OnMessages on_messages, OnClosed on_closed);
  int in_fd_;
  int out_fd_;
  std::thread reader_;
};

} // namespace fimlsp::server
