#pragma once
// Routes JSON-RPC messages to typed handlers, enforces the LSP lifecycle, and makes sure every
// request is answered exactly once (a cancelled request is answered -32800 at once; the
// handler's later reply is dropped).
#include "fimlsp/protocol/jsonrpc.hpp"
#include "fimlsp/protocol/lsp_types.hpp"
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

namespace fimlsp::server {

namespace json = boost::json;
using protocol::ErrorCode;
using protocol::Id;

class Dispatcher {
public:
  using Send = std::function<void(std::string body)>;
  using Exit = std::function<void(int code)>;
  using RequestFn = std::function<void(const Id&, const json::value& params)>;
  using NotificationFn = std::function<void(const json::value& params)>;
  using ResponseFn = std::function<void(const json::value& result, const json::value& error)>;

  Dispatcher(Send send, Exit exit);

  // One line binds a method to a typed member handler: params are parsed into P, and a bad
  // field is answered -32602 naming it.
  template <class P, class T>
  void on_request(const std::string& method, T* self, void (T::*fn)(const Id&, P)) {
    requests_[method] = [this, self, fn, method](const Id& id, const json::value& params) {
      std::string error;
      if (auto p = protocol::parse_params<P>(params, error)) return (self->*fn)(id, std::move(*p));
      reply_error(id, ErrorCode::InvalidParams, method + ": " + error);
    };
  }
  template <class P, class T> void on_notification(const std::string& method, T* self, void (T::*fn)(P)) {
    notifications_[method] = [self, fn, method](const json::value& params) {
      std::string error;
      if (auto p = protocol::parse_params<P>(params, error)) return (self->*fn)(std::move(*p));
      log_bad_notification(method, error);
    };
  }
  void on_request_raw(const std::string& method, RequestFn fn) { requests_[method] = std::move(fn); }
  void on_notification_raw(const std::string& method, NotificationFn fn) {
    notifications_[method] = std::move(fn);
  }

  // Handles one message body from the client.
  void handle(std::string_view body);

  void reply(const Id& id, const json::value& result);
  void reply_error(const Id& id, ErrorCode code, const std::string& message);
  // Runs `hook` if the client cancels request `id` before it is answered.
  void on_cancel(const Id& id, std::function<void()> hook);
  bool pending(const Id& id) const { return pending_.contains(id); }

  void notify(const std::string& method, const json::value& params);
  void request(const std::string& method, const json::value& params, ResponseFn on_response);

  bool initialized() const { return state_ == State::Running; }
  bool shut_down() const { return state_ == State::ShutDown; }

private:
  enum class State { Uninitialized, Running, ShutDown };
  static void log_bad_notification(const std::string& method, const std::string& error);
  void handle_request(protocol::Request& r);
  void handle_notification(protocol::Notification& n);
  void handle_response(protocol::Response& r);
  void cancel(const json::value& params);

  Send send_;
  Exit exit_;
  State state_ = State::Uninitialized;
  std::optional<Id> initialize_id_; // answered with a result → Running
  std::unordered_map<std::string, RequestFn> requests_;
  std::unordered_map<std::string, NotificationFn> notifications_;
  std::map<Id, std::function<void()>> pending_; // requests not answered yet → cancel hook
  std::map<Id, ResponseFn> outgoing_;           // our requests to the client
  std::int64_t next_outgoing_id_ = 1;
};

} // namespace fimlsp::server
