#include "fimlsp/server/dispatcher.hpp"
#include "fimlsp/server/logging.hpp"
#include <chrono>

namespace fimlsp::server {

Dispatcher::Dispatcher(Send send, Exit exit) : send_(std::move(send)), exit_(std::move(exit)) {}

void Dispatcher::log_bad_notification(const std::string& method, const std::string& error) {
  log_line(LogLevel::Warn, "ignored " + method + ": " + error);
}

void Dispatcher::handle(std::string_view body) {
  auto message = protocol::parse_message(body);
  if (auto* r = std::get_if<protocol::Request>(&message)) return handle_request(*r);
  if (auto* n = std::get_if<protocol::Notification>(&message)) return handle_notification(*n);
  if (auto* r = std::get_if<protocol::Response>(&message)) return handle_response(*r);
  auto& bad = std::get<protocol::Invalid>(message);
  log_line(LogLevel::Warn, "bad message: " + bad.message);
  send_(protocol::serialize_error(bad.id, bad.code, bad.message));
}

void Dispatcher::handle_request(protocol::Request& r) {
  if (pending_.contains(r.id)) {
    // A duplicate id would make two answers ambiguous: refuse the newcomer.
    log_line(LogLevel::Warn, "request id " + protocol::to_string(r.id) + " is already in use");
    send_(protocol::serialize_error(r.id, ErrorCode::InvalidRequest, "request id already in use"));
    return;
  }
  if (log_enabled(LogLevel::Debug))
    log_line(LogLevel::Debug, "<<< " + r.method + "(" + protocol::to_string(r.id) + ")");
  const std::uint64_t seq = next_seq_++;
  pending_.emplace(r.id, Pending{seq, nullptr});
  if (state_ == State::ShutDown) return reply_error(r.id, ErrorCode::InvalidRequest, "server is shut down");
  if (r.method == "initialize") {
    if (state_ != State::Uninitialized)
      return reply_error(r.id, ErrorCode::InvalidRequest, "initialize was already received");
  } else if (state_ == State::Uninitialized) {
    return reply_error(r.id, ErrorCode::ServerNotInitialized,
                       "server not initialized: send initialize first");
  }
  Reply reply(*this, r.id, seq, r.method);
  if (r.method == "shutdown") {
    state_ = State::ShutDown;
    auto it = requests_.find(r.method);
    if (it != requests_.end()) it->second(reply, r.params);
    return reply.result(nullptr); // dropped if the handler answered
  }
  auto it = requests_.find(r.method);
  if (it == requests_.end()) return reply.error(ErrorCode::MethodNotFound, "method not found: " + r.method);
  if (r.method == "initialize") initialize_id_ = r.id;
  try {
    it->second(reply, r.params);
  } catch (const std::exception& e) {
    log_line(LogLevel::Error, "internal error in " + r.method + ": " + e.what());
    reply.error(ErrorCode::InternalError, "internal error: " + std::string(e.what()));
  }
}

void Dispatcher::handle_notification(protocol::Notification& n) {
  if (log_enabled(LogLevel::Debug) && n.method != "$/cancelRequest")
    log_line(LogLevel::Debug, "<<< " + n.method);
  if (n.method == "exit") return exit_(state_ == State::ShutDown ? 0 : 1);
  if (state_ != State::Running) return; // dropped before initialize and after shutdown
  if (n.method == "$/cancelRequest") return cancel(n.params);
  auto it = notifications_.find(n.method);
  if (it == notifications_.end()) {
    if (!n.method.starts_with("$/")) log_line(LogLevel::Info, "ignored notification " + n.method);
    return;
  }
  try {
    it->second(n.params);
  } catch (const std::exception& e) {
    log_line(LogLevel::Error, "internal error in " + n.method + ": " + e.what());
  }
}

void Dispatcher::handle_response(protocol::Response& r) {
  if (!r.id) return;
  auto it = outgoing_.find(*r.id);
  if (it == outgoing_.end())
    return log_line(LogLevel::Warn, "response to unknown request " + protocol::to_string(*r.id));
  auto fn = std::move(it->second);
  outgoing_.erase(it);
  if (fn) fn(r.result, r.error);
}

void Dispatcher::cancel(const json::value& params) {
  std::string error;
  auto p = protocol::parse_params<protocol::CancelParams>(params, error);
  if (!p) return log_bad_notification("$/cancelRequest", error);
  auto it = pending_.find(p->id);
  if (it == pending_.end()) return; // already answered
  auto hook = std::move(it->second.cancel_hook);
  reply_error(p->id, ErrorCode::RequestCancelled, "request cancelled");
  if (hook) hook();
}

bool Dispatcher::is_pending(const Id& id, std::uint64_t seq) const {
  auto it = pending_.find(id);
  return it != pending_.end() && it->second.seq == seq;
}

void Dispatcher::answer(const Id& id, std::uint64_t seq, const json::value& result) {
  if (!is_pending(id, seq)) return; // answered already (e.g. cancelled)
  pending_.erase(id);
  if (initialize_id_ == id) state_ = State::Running, initialize_id_.reset();
  if (log_enabled(LogLevel::Debug)) log_line(LogLevel::Debug, ">>> reply(" + protocol::to_string(id) + ")");
  send_(protocol::serialize_result(id, result));
}

void Dispatcher::answer_error(const Id& id, std::uint64_t seq, ErrorCode code, const std::string& message) {
  if (is_pending(id, seq)) reply_error(id, code, message);
}

void Dispatcher::reply_error(const Id& id, ErrorCode code, const std::string& message) {
  if (pending_.erase(id) == 0) return;
  if (log_enabled(LogLevel::Debug))
    log_line(LogLevel::Debug, ">>> error(" + protocol::to_string(id) + ") " +
                                  std::to_string(static_cast<int>(code)) + " " + message);
  send_(protocol::serialize_error(id, code, message));
}

void Dispatcher::set_cancel_hook(const Id& id, std::uint64_t seq, std::function<void()> hook) {
  if (is_pending(id, seq)) pending_.at(id).cancel_hook = std::move(hook);
}

void Dispatcher::notify(const std::string& method, const json::value& params) {
  send_(protocol::serialize_notification(method, params));
}

void Dispatcher::request(const std::string& method, const json::value& params, ResponseFn on_response) {
  Id id = next_outgoing_id_++;
  outgoing_.emplace(id, std::move(on_response));
  send_(protocol::serialize_request(id, method, params));
}

} // namespace fimlsp::server
