// The dispatcher in-process: every request is answered exactly once, whatever its handler does.
#include "fimlsp/server/dispatcher.hpp"
#include <boost/json.hpp>
#include <doctest/doctest.h>
#include <optional>
#include <stdexcept>
#include <vector>

using namespace fimlsp::server;
namespace json = boost::json;

namespace {

struct Harness {
  std::vector<json::value> sent;
  Dispatcher d{[this](std::string body) { sent.push_back(json::parse(body)); }, [](int) {}};
  std::optional<Reply> kept; // a handler's reply, answered later

  Harness() {
    d.on_request_raw("initialize", [](Reply r, const json::value&) { r.result(json::object{}); });
    d.on_request_raw("keep", [this](Reply r, const json::value&) { kept.emplace(std::move(r)); });
    d.on_request_raw("drop", [](Reply, const json::value&) {});
    d.on_request_raw("throw", [this](Reply r, const json::value&) {
      kept.emplace(r);
      throw std::runtime_error("boom");
    });
    request(0, "initialize");
    d.handle(R"({"jsonrpc":"2.0","method":"initialized","params":{}})");
    sent.clear();
  }
  void request(int id, const char* method) {
    d.handle(json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}}));
  }
  void cancel(int id) {
    d.handle(json::serialize(
        json::object{{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", {{"id", id}}}}));
  }
  std::int64_t error_code(std::size_t i) const { return sent.at(i).at("error").at("code").as_int64(); }
};

} // namespace

TEST_SUITE("dispatcher") {

  TEST_CASE("a handler that drops its reply: -32603, once") {
    Harness h;
    h.request(1, "drop");
    REQUIRE(h.sent.size() == 1);
    CHECK(h.sent[0].at("id") == 1);
    CHECK(h.error_code(0) == -32603);
  }

  TEST_CASE("a reply kept past the handler answers later, once") {
    Harness h;
    h.request(2, "keep");
    CHECK(h.sent.empty());
    h.kept->result("late");
    h.kept->result("again");
    REQUIRE(h.sent.size() == 1);
    CHECK(h.sent[0].at("result") == "late");
    h.kept.reset();
    CHECK(h.sent.size() == 1);
  }

  TEST_CASE("cancelled: -32800 at once, the hook runs, the handler's later answer is dropped") {
    Harness h;
    h.request(3, "keep");
    bool hook_ran = false;
    h.kept->on_cancel([&] { hook_ran = true; });
    h.cancel(3);
    CHECK(hook_ran);
    REQUIRE(h.sent.size() == 1);
    CHECK(h.error_code(0) == -32800);
    CHECK(h.kept->answered());
    h.kept->result("too late");
    h.kept.reset();
    CHECK(h.sent.size() == 1);
  }

  TEST_CASE("an id reused after a cancel: the old reply cannot answer the new request") {
    Harness h;
    h.request(4, "keep");
    Reply old = *h.kept;
    h.cancel(4);
    h.request(4, "keep"); // the client reuses the id
    old.result("stale");
    CHECK(h.sent.size() == 1); // only the -32800
    h.kept->result("fresh");
    REQUIRE(h.sent.size() == 2);
    CHECK(h.sent[1].at("id") == 4);
    CHECK(h.sent[1].at("result") == "fresh");
  }

  TEST_CASE("a handler that throws: -32603 naming the error, once, even if a copy answers later") {
    Harness h;
    h.request(5, "throw");
    REQUIRE(h.sent.size() == 1);
    CHECK(h.error_code(0) == -32603);
    CHECK(std::string(h.sent[0].at("error").at("message").as_string()).find("boom") != std::string::npos);
    h.kept->result("after");
    h.kept.reset();
    CHECK(h.sent.size() == 1);
  }

} // TEST_SUITE
