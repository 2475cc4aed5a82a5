#include "fimlsp/fim/net/pool.hpp"
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

namespace fimlsp::fim {

namespace asio = boost::asio;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {
constexpr std::size_t max_idle = 2;
constexpr auto prewarm_timeout = std::chrono::seconds(10);
} // namespace

struct ConnectionPool::State : std::enable_shared_from_this<ConnectionPool::State> {
  asio::any_io_executor ex;
  Log log;
  std::shared_ptr<const Target> target;
  bool stopped = false;
  std::vector<std::shared_ptr<Connection>> idle;
  std::shared_ptr<Abort> warming;                // the warm-up in flight, for the current target
  std::shared_ptr<asio::steady_timer> warm_done; // cancelled when that warm-up ends
  std::size_t handshakes = 0;

  void say(const std::string& line) {
    if (log) log(line);
  }

  bool current(const std::shared_ptr<const Target>& t) const { return !stopped && t && t == target; }

  // An idle connection to `t` (those the server closed are dropped on the way); none when `t`
  // is no longer the current target.
  std::shared_ptr<Connection> take_idle(const std::shared_ptr<const Target>& t) {
    if (!current(t)) return nullptr;
    while (!idle.empty()) {
      auto c = std::move(idle.back());
      idle.pop_back();
      if (!c->peer_closed()) return c;
      c->close();
    }
    return nullptr;
  }

  void give_back(std::shared_ptr<Connection> c) {
    if (!current(c->target())) return c->close();
    idle.push_back(std::move(c));
    while (idle.size() > max_idle) {
      idle.front()->close();
      idle.erase(idle.begin());
    }
  }

  // Ends what belongs to the current target.
  void drop() {
    for (auto& c : idle)
      c->close();
    idle.clear();
    if (warming) warming->fire(error::cancelled);
    warming.reset();
    if (warm_done) warm_done->cancel();
    warm_done.reset();
  }

  static asio::awaitable<Connected> open(std::shared_ptr<State> self, std::shared_ptr<const Target> target,
                                         std::shared_ptr<Abort> abort) {
    Connected r = co_await connect(self->ex, target, abort);
    if (!r.ec) ++self->handshakes;
    co_return r;
  }

  static asio::awaitable<void> warm(std::shared_ptr<State> self, std::shared_ptr<const Target> target,
                                    std::shared_ptr<Abort> abort, std::shared_ptr<asio::steady_timer> done) {
    asio::steady_timer watchdog(self->ex, prewarm_timeout);
    watchdog.async_wait([abort](error_code ec) {
      if (!ec) abort->fire(error::timeout);
    });
    Connected r = co_await open(self, target, abort);
    watchdog.cancel();
    abort->interrupt_with({});
    if (self->warming == abort) self->warming.reset();
    if (!r.ec)
      self->give_back(std::move(r.conn));
    else if (!self->stopped && abort->reason() != error::cancelled) // not dropped by configure
      self->say("prewarm failed: " + (r.message.empty() ? r.ec.message() : r.message));
    if (self->warm_done == done) self->warm_done.reset();
    done->cancel(); // wakes requests waiting for this connection
  }

  void prewarm() {
    if (!target || stopped || warming || !idle.empty()) return;
    warming = std::make_shared<Abort>();
    warm_done = std::make_shared<asio::steady_timer>(ex, asio::steady_timer::time_point::max());
    asio::co_spawn(ex, warm(shared_from_this(), target, warming, warm_done), asio::detached);
  }

  static asio::awaitable<Acquired> acquire(std::shared_ptr<State> self, std::shared_ptr<const Target> target,
                                           std::shared_ptr<Abort> abort) {
    Acquired a;
    a.conn = self->take_idle(target);
    if (!a.conn && self->warm_done && self->current(target)) {
      a.waited = true;
      auto done = self->warm_done;
      abort->interrupt_with([done] { done->cancel(); });
      co_await done->async_wait(use_tuple);
      abort->interrupt_with({});
      if (*abort) co_return a;
      a.conn = self->take_idle(target);
    }
    // Keep a spare ready, so that the next request (a newer keystroke, another document) does
    // not wait for a handshake either.
    if (a.conn) self->prewarm();
    co_return a;
  }
};

ConnectionPool::ConnectionPool(asio::any_io_executor ex, Log log) : state_(std::make_shared<State>()) {
  state_->ex = std::move(ex);
  state_->log = std::move(log);
}

ConnectionPool::~ConnectionPool() {
  state_->stopped = true;
  state_->drop();
}

void ConnectionPool::configure(std::shared_ptr<const Target> target) {
  state_->drop();
  state_->target = std::move(target);
}

const std::shared_ptr<const Target>& ConnectionPool::target() const {
  return state_->target;
}

void ConnectionPool::prewarm() {
  state_->prewarm();
}

asio::awaitable<ConnectionPool::Acquired> ConnectionPool::acquire(std::shared_ptr<const Target> target,
                                                                  std::shared_ptr<Abort> abort) {
  return State::acquire(state_, std::move(target), std::move(abort));
}

asio::awaitable<Connected> ConnectionPool::open(std::shared_ptr<const Target> target,
                                                std::shared_ptr<Abort> abort) {
  return State::open(state_, std::move(target), std::move(abort));
}

void ConnectionPool::release(std::shared_ptr<Connection> conn) {
  state_->give_back(std::move(conn));
}

std::size_t ConnectionPool::handshakes() const {
  return state_->handshakes;
}

std::size_t ConnectionPool::idle_count() const {
  return state_->idle.size();
}

bool ConnectionPool::warming() const {
  return state_->warming != nullptr;
}

} // namespace fimlsp::fim
