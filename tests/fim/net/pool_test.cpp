#include "fimlsp/fim/net/pool.hpp"
#include "fimlsp/fim/net/tls_context.hpp"
#include "support/io_driver.hpp"
#include "support/net_target.hpp"
#include "support/silent_listener.hpp"
#include "support/test_backend.hpp"
#include <boost/asio/ssl/context.hpp>
#include <doctest/doctest.h>
#include <vector>

using namespace fimlsp::fim;
using namespace fimlsp::test;
using namespace std::chrono_literals;

namespace {

struct Harness {
  IoDriver d;
  std::vector<std::string> logs;
  ConnectionPool pool{d.io.get_executor(), [this](std::string_view l) { logs.emplace_back(l); }};

  ConnectionPool::Acquired acquire(std::shared_ptr<const Target> t) {
    auto a = d.run(pool.acquire(t, std::make_shared<Abort>()));
    REQUIRE(a);
    return std::move(*a);
  }
};

} // namespace

TEST_CASE("pool: the warm connection serves the next request, and taking it starts a spare") {
  TestBackend backend;
  Harness h;
  auto t = target_for(backend.base_url(), backend.ca_file());
  h.pool.configure(t);
  CHECK_FALSE(h.acquire(t).conn); // nothing idle, nothing warming: the caller opens one
  h.pool.prewarm();
  REQUIRE(h.d.run_until([&] { return h.pool.idle_count() == 1; }));
  h.pool.prewarm(); // one spare is enough
  CHECK_FALSE(h.pool.warming());

  auto a = h.acquire(t);
  REQUIRE(a.conn);
  CHECK_FALSE(a.waited);
  CHECK(h.pool.warming());
  REQUIRE(h.d.run_until([&] { return h.pool.idle_count() == 1; }));
  CHECK(h.pool.handshakes() == 2);
  h.pool.release(a.conn);
  CHECK(h.pool.idle_count() == 2);
  CHECK(h.d.run_until([&] { return backend.handshakes() == 2; }));
}

TEST_CASE("pool: a request waits for the connection being warmed instead of opening another") {
  TestBackend backend;
  Harness h;
  auto t = target_for(backend.base_url(), backend.ca_file());
  h.pool.configure(t);
  h.pool.prewarm();
  REQUIRE(h.pool.warming());
  auto a = h.acquire(t);
  REQUIRE(a.conn);
  CHECK(a.waited);
  CHECK(h.pool.handshakes() == 1); // the warmed one; the spare taking it started is still on its way
  REQUIRE(h.d.run_until([&] { return h.pool.handshakes() == 2 && !h.pool.warming(); }));
  CHECK(h.d.run_until([&] { return backend.handshakes() == 2; })); // the server counts after its side
}

TEST_CASE("pool: a configuration change drops the stalled warm-up; its waiter wakes at once") {
  SilentListener silent; // accepts TCP, never answers TLS
  TestBackend backend;
  Harness h;
  auto stalled = target_for(silent.base_url(), std::nullopt);
  h.pool.configure(stalled);
  h.pool.prewarm();
  std::optional<ConnectionPool::Acquired> waiting;
  h.d.start(h.pool.acquire(stalled, std::make_shared<Abort>()), waiting);
  CHECK_FALSE(h.d.run_until([&] { return waiting.has_value(); }, 100ms));

  auto fresh = target_for(backend.base_url(), backend.ca_file());
  const auto changed = std::chrono::steady_clock::now();
  h.pool.configure(fresh);
  CHECK_FALSE(h.pool.warming());
  REQUIRE(h.d.run_until([&] { return waiting.has_value(); }, 1s));
  CHECK(std::chrono::steady_clock::now() - changed < 200ms);
  CHECK(waiting->waited);
  CHECK_FALSE(waiting->conn); // the stalled target's request opens its own; the new target is untouched

  // The new target warms up at once, not after the stalled one's 10 s timeout.
  h.pool.prewarm();
  REQUIRE(h.d.run_until([&] { return h.pool.idle_count() == 1; }, 3s));
  // A request of the old target gets nothing, and takes nothing from the new one.
  CHECK_FALSE(h.acquire(stalled).conn);
  CHECK(h.pool.idle_count() == 1);
  CHECK(h.acquire(fresh).conn);
  for (auto& line : h.logs)
    CHECK(line.find("prewarm failed") == std::string::npos); // dropped is not failed
}

TEST_CASE("pool: a connection of the previous configuration is closed, not kept") {
  TestBackend backend;
  Harness h;
  auto first = target_for(backend.base_url(), backend.ca_file());
  h.pool.configure(first);
  h.pool.prewarm();
  auto a = h.acquire(first);
  REQUIRE(a.conn);
  REQUIRE(h.d.run_until([&] { return h.pool.idle_count() == 1; }));

  h.pool.configure(target_for(backend.base_url(), backend.ca_file())); // same URL, new configuration
  CHECK(h.pool.idle_count() == 0);
  h.pool.release(a.conn);
  CHECK(h.pool.idle_count() == 0);
  CHECK(a.conn->peer_closed()); // closed on our side
}

TEST_CASE("pool: a warm-up that fails is logged and leaves nothing idle") {
  Harness h;
  auto t = target_for("https://127.0.0.1:" + std::to_string(closed_port()) + "/v1", std::nullopt);
  h.pool.configure(t);
  h.pool.prewarm();
  REQUIRE(h.d.run_until([&] { return !h.pool.warming(); }));
  CHECK(h.pool.idle_count() == 0);
  REQUIRE(h.logs.size() == 1);
  CHECK(h.logs[0].starts_with("prewarm failed: cannot connect to 127.0.0.1:"));
}
