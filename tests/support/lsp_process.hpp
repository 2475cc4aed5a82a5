#pragma once
// Drives a real fim-lsp process over pipes, as an editor does.
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fimlsp::test {

namespace json = boost::json;

// One base-protocol frame, written here rather than by the code under test.
inline std::string framed(std::string_view body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

class LspProcess {
public:
  // Starts `program` (default: the fim-lsp built with the tests) with `args`; `env` entries
  // ("NAME=value") are added to the environment, "NAME=" entries remove NAME.
  explicit LspProcess(std::vector<std::string> args = {"--stdio"}, std::vector<std::string> env = {},
                      std::string program = FIM_LSP_BINARY);
  ~LspProcess(); // closes stdin, waits briefly, then kills
  LspProcess(const LspProcess&) = delete;
  LspProcess& operator=(const LspProcess&) = delete;

  void send_raw(const std::string& bytes);                                    // exactly these bytes
  void send(const json::value& message);                                      // framed
  std::int64_t request(const std::string& method, const json::value& params); // returns the id used
  void notify(const std::string& method, const json::value& params);

  // The next message from the server that satisfies pred (others are kept for later calls).
  std::optional<json::value> wait_for(const std::function<bool(const json::value&)>& pred,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::optional<json::value> wait_response(const json::value& id,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::optional<json::value> wait_notification(const std::string& method,
                                               std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::vector<json::value> received() const; // everything read so far

  // initialize (with `capabilities` and `initialization_options`) + initialized; returns the result.
  json::value initialize(const json::value& capabilities = json::object(),
                         const json::value& initialization_options = nullptr);

  void close_stdin();
  // Waits for the process to exit; its exit code, or nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::string stderr_text() const; // what the server logged so far
  // Waits (bounded by `timeout`) until the server has logged `text`; returns whether it did.
  bool wait_stderr(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  int pid() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace fimlsp::test
