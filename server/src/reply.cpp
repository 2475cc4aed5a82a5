#include "fimlsp/server/reply.hpp"
#include "fimlsp/server/dispatcher.hpp"
#include "fimlsp/server/logging.hpp"

namespace fimlsp::server {

struct Reply::State {
  State(Dispatcher& d, protocol::Id i, std::uint64_t s, std::string m)
      : dispatcher(d), id(std::move(i)), seq(s), method(std::move(m)) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  Dispatcher& dispatcher;
  protocol::Id id;
  std::uint64_t seq;
  std::string method;

  ~State() {
    if (!dispatcher.is_pending(id, seq)) return;
    log_line(LogLevel::Error, method + "(" + protocol::to_string(id) + ") was dropped unanswered");
    dispatcher.answer_error(id, seq, protocol::ErrorCode::InternalError,
                            "internal error: " + method + " ended without an answer");
  }
};

Reply::Reply(Dispatcher& dispatcher, protocol::Id id, std::uint64_t seq, std::string method)
    : state_(std::make_shared<State>(dispatcher, std::move(id), seq, std::move(method))) {}

void Reply::result(const boost::json::value& result) const {
  state_->dispatcher.answer(state_->id, state_->seq, result);
}

void Reply::error(protocol::ErrorCode code, const std::string& message) const {
  state_->dispatcher.answer_error(state_->id, state_->seq, code, message);
}

void Reply::on_cancel(std::function<void()> hook) const {
  state_->dispatcher.set_cancel_hook(state_->id, state_->seq, std::move(hook));
}

const protocol::Id& Reply::id() const {
  return state_->id;
}

bool Reply::answered() const {
  return !state_->dispatcher.is_pending(state_->id, state_->seq);
}

} // namespace fimlsp::server
