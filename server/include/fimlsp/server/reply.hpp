#pragma once
// A request's reply handle (clangd's ReplyOnce): the first answer goes out, later ones are
// dropped, and when the last copy is destroyed unanswered it answers -32603 and logs, so an
// early return or a lost callback can never leave the editor waiting.
#include "fimlsp/protocol/jsonrpc.hpp"
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace fimlsp::server {

class Dispatcher;

class Reply {
public:
  // Made by the Dispatcher, which must outlive every copy.
  Reply(Dispatcher& dispatcher, protocol::Id id, std::uint64_t seq, std::string method);

  void result(const boost::json::value& result) const;
  void error(protocol::ErrorCode code, const std::string& message) const;
  // Runs `hook` if the client cancels the request before it is answered.
  void on_cancel(std::function<void()> hook) const;

  const protocol::Id& id() const;
  bool answered() const; // by this handle or by the dispatcher (e.g. cancelled)

private:
  struct State;
  std::shared_ptr<State> state_;
};

} // namespace fimlsp::server
