#include "fimlsp/fim/net/connector.hpp"
#include "fimlsp/fim/net/tls_context.hpp"
#include "support/io_driver.hpp"
#include "support/net_target.hpp"
#include "support/silent_listener.hpp"
#include "support/test_backend.hpp"
#include <boost/asio/ssl/context.hpp>
#include <doctest/doctest.h>

using namespace fimlsp::fim;
using namespace fimlsp::test;
using namespace std::chrono_literals;

namespace {

Connected connect_to(IoDriver& d, std::shared_ptr<const Target> t) {
  auto r = d.run(connect(d.io.get_executor(), t, std::make_shared<Abort>()));
  REQUIRE(r);
  return std::move(*r);
}

} // namespace

TEST_CASE("connector: TLS to a host whose certificate the CA file vouches for") {
  TestBackend backend;
  IoDriver d;
  auto t = target_for(backend.base_url(), backend.ca_file());
  auto c = connect_to(d, t);
  CHECK(!c.ec);
  REQUIRE(c.conn);
  CHECK(c.conn->target() == t);
  CHECK_FALSE(c.conn->peer_closed());
  CHECK(d.run_until([&] { return backend.handshakes() == 1; }));
}

TEST_CASE("connector: plain TCP for http://") {
  TestBackend backend(BackendOptions{.tls = false});
  IoDriver d;
  auto c = connect_to(d, target_for(backend.base_url(), std::nullopt));
  CHECK(!c.ec);
  CHECK(c.conn);
}

TEST_CASE("connector: what fails says what and where") {
  SUBCASE("a certificate for another host") {
    TestBackend backend(BackendOptions{.wrong_host_certificate = true});
    IoDriver d;
    auto c = connect_to(d, target_for(backend.base_url(), backend.ca_file()));
    CHECK(c.ec == error::tls);
    CHECK(c.message == "TLS: hostname mismatch: the certificate presented is not valid for 127.0.0.1");
    CHECK_FALSE(c.conn);
  }
  SUBCASE("a CA the client does not trust") {
    TestBackend backend;
    IoDriver d;
    auto c = connect_to(d, target_for(backend.base_url(), std::nullopt));
    CHECK(c.ec == error::tls);
    CHECK(c.message.starts_with("TLS: certificate verify failed: "));
    CHECK(c.message.ends_with(" (127.0.0.1)"));
  }
  SUBCASE("nothing listening") {
    const auto port = std::to_string(closed_port());
    IoDriver d;
    auto c = connect_to(d, target_for("https://127.0.0.1:" + port + "/v1", std::nullopt));
    CHECK(c.ec == error::connect);
    CHECK(c.message == "cannot connect to 127.0.0.1:" + port + ": Connection refused");
  }
}

TEST_CASE("connector: an abort ends a stalled TLS handshake at once, with its reason") {
  for (error why : {error::cancelled, error::timeout}) {
    CAPTURE(static_cast<int>(why));
    SilentListener silent;
    IoDriver d;
    auto abort = std::make_shared<Abort>();
    std::optional<Connected> c;
    d.start(connect(d.io.get_executor(), target_for(silent.base_url(), std::nullopt), abort), c);
    CHECK_FALSE(d.run_until([&] { return c.has_value(); }, 100ms)); // the handshake hangs
    const auto fired = std::chrono::steady_clock::now();
    abort->fire(why);
    REQUIRE(d.run_until([&] { return c.has_value(); }, 1s));
    CHECK(std::chrono::steady_clock::now() - fired < 200ms);
    CHECK(c->ec == why);
    CHECK_FALSE(c->conn);
  }
}
