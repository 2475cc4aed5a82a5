#pragma once
// A real fim-lsp process over pipes, configured (initializationOptions) against a loopback
// HTTPS test backend: what the end-to-end tests, editor tests and the benchmark start from.
#include "support/lsp_process.hpp"
#include "support/test_backend.hpp"
#include <boost/json.hpp>

namespace fimlsp::test {

inline constexpr const char* kTestKey = "sk-test-0123456789abcdef";

struct Session {
  // `options` are merged over {"endpoint": {"baseUrl", "caFile", "timeoutMs": 2000},
  // "suggestion": {"prefetch": false}}.
  explicit Session(json::object options = {}, json::object capabilities = {},
                   BackendOptions backend_options = {},
                   std::vector<std::string> env = {std::string("DASHSCOPE_API_KEY=") + kTestKey});

  void open(const std::string& uri, const std::string& text, const std::string& language = "plaintext");
  // One incremental change replacing [start, end) by `text` (positions in the negotiated encoding).
  void change(const std::string& uri, std::uint32_t sl, std::uint32_t sc, std::uint32_t el, std::uint32_t ec,
              const std::string& text);
  std::int64_t inline_request(const std::string& uri, std::uint32_t line, std::uint32_t character);
  // The inline reply's insertText ("" for no items); throws when no reply comes.
  std::string inline_text(std::int64_t id, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::string complete_at(const std::string& uri, std::uint32_t line, std::uint32_t character);
  // Returns once the server has handled everything sent before (a request it answers at once,
  // without the engine, comes back: messages are handled in order).
  void sync();
  // How many window/showMessage notifications the client has received so far.
  int messages_shown() const;

  TestBackend backend;
  LspProcess lsp;
  json::value init_result;
  int version = 1;
};

} // namespace fimlsp::test
