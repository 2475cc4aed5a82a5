#pragma once
// Routes JSON-RPC messages to typed handlers, enforces the LSP lifecycle, and makes sure every
// request is answered exactly once: each handler gets a Reply that answers -32603 if dropped
// unanswered; a cancelled request is answered -32800 at once and the handler's later answer is
// dropped (also when the client has reused the id meanwhile).
#include "fimlsp/protocol/jsonrpc.hpp"
#include "fimlsp/protocol/lsp_types.hpp"
#include "fimlsp/server/reply.hpp"
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
  using RequestFn = std::function<void(Reply, const json::value& params)>;
  using NotificationFn = std::function<void(const json::value& params)>;
  using ResponseFn = std::function<void(const json::value& result, const json::value& error)>;

  Dispatcher(Send send, Exit exit);

  // One line binds a method to a typed member handler: params are parsed into P, and a bad
  // field is answered -32602 naming it.
  template <class P, class T> void on_request(const std::string& method, T* self, void (T::*fn)(P, Reply)) {
    requests_[method] = [self, fn, method](Reply reply, const json::value& params) {
      std::string error;
      if (auto p = protocol::parse_params<P>(params, error))
        return (self->*fn)(std::move(*p), std::move(reply));
      reply.error(ErrorCode::InvalidParams, method + ": " + error);
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

  // For Reply: `seq` tells this request from a later one that reuses its id.
  void answer(const Id& id, std::uint64_t seq, const json::value& result);
  void answer_error(const Id& id, std::uint64_t seq, ErrorCode code, const std::string& message);
  void set_cancel_hook(const Id& id, std::uint64_t seq, std::function<void()> hook);
  bool is_pending(const Id& id, std::uint64_t seq) const;

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
  void reply_error(const Id& id, ErrorCode code, const std::string& message); // whatever its seq
  struct Pending {
    std::uint64_t seq;
    std::function<void()> cancel_hook;
  };

  Send send_;
  Exit exit_;
  State state_ = State::Uninitialized;
  std::optional<Id> initialize_id_; // answered with a result → Running
  std::unordered_map<std::string, RequestFn> requests_;
  std::unordered_map<std::string, NotificationFn> notifications_;
  std::map<Id, Pending> pending_; // requests not answered yet
  std::uint64_t next_seq_ = 1;
  std::map<Id, ResponseFn> outgoing_; // our requests to the client
  std::int64_t next_outgoing_id_ = 1;
};

} // namespace fimlsp::server
