#include "fimlsp/protocol/jsonrpc.hpp"
#include <boost/json/parse.hpp>
#include <doctest/doctest.h>

namespace fimlsp::test {
namespace {

using namespace protocol;

template <class T> T as(const Message& m) {
  REQUIRE(std::holds_alternative<T>(m));
  return std::get<T>(m);
}

Invalid invalid(std::string_view body) {
  return as<Invalid>(parse_message(body));
}

} // namespace

TEST_CASE("jsonrpc: requests, notifications and responses are classified") {
  auto r = as<Request>(parse_message(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"a":1}})"));
  CHECK(r.id == Id{std::int64_t{1}});
  CHECK(r.method == "initialize");
  CHECK(r.params == json::parse(R"({"a":1})"));

  auto no_params = as<Request>(parse_message(R"({"jsonrpc":"2.0","id":"x","method":"shutdown"})"));
  CHECK(no_params.params.is_null());
  auto null_params =
      as<Request>(parse_message(R"({"jsonrpc":"2.0","id":2,"method":"shutdown","params":null})"));
  CHECK(null_params.params.is_null());

  auto n = as<Notification>(parse_message(R"({"method":"exit","jsonrpc":"2.0"})"));
  CHECK(n.method == "exit");
  auto array_params = as<Notification>(parse_message(R"({"jsonrpc":"2.0","method":"m","params":[1,2]})"));
  CHECK(array_params.params == json::parse("[1,2]"));

  auto ok = as<Response>(parse_message(R"({"jsonrpc":"2.0","id":7,"result":null})"));
  CHECK(ok.id == Id{std::int64_t{7}});
  CHECK(ok.result.is_null());
  CHECK(ok.error.is_null());
  auto err =
      as<Response>(parse_message(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32601,"message":"x"}})"));
  CHECK_FALSE(err.id.has_value());
  CHECK(err.error.at("code") == -32601);
}

TEST_CASE("jsonrpc: ids are echoed exactly") {
  auto id_of = [](std::string_view id_json) {
    return as<Request>(parse_message(R"({"jsonrpc":"2.0","method":"m","id":)" + std::string(id_json) + "}"))
        .id;
  };
  CHECK(id_of("0") == Id{std::int64_t{0}});
  CHECK(id_of("-42") == Id{std::int64_t{-42}});
  CHECK(id_of("9223372036854775807") == Id{INT64_MAX});
  CHECK(id_of("-9223372036854775808") == Id{INT64_MIN});
  CHECK(id_of(R"("")") == Id{std::string()});
  CHECK(id_of(R"("0")") == Id{std::string("0")});
  CHECK(id_of(R"("a\"b")") == Id{std::string("a\"b")});

  CHECK(to_string(Id{std::int64_t{0}}) == "0");
  CHECK(to_string(Id{std::string("abc")}) == "\"abc\"");
  CHECK(serialize_result(id_of("0"), nullptr) == R"({"jsonrpc":"2.0","id":0,"result":null})");
  CHECK(serialize_result(id_of(R"("7")"), 1) == R"({"jsonrpc":"2.0","id":"7","result":1})");
  CHECK(serialize_result(id_of("-9223372036854775808"), true) ==
        R"({"jsonrpc":"2.0","id":-9223372036854775808,"result":true})");
}

TEST_CASE("jsonrpc: not JSON is a parse error with a null id") {
  for (const char* body : {"", "{", "not json", R"({"jsonrpc":"2.0","id":1,"method":"m")", "{\"a\":1}x"}) {
    CAPTURE(body);
    auto bad = invalid(body);
    CHECK(bad.code == ErrorCode::ParseError);
    CHECK_FALSE(bad.id.has_value());
  }
}

TEST_CASE("jsonrpc: text that is not Unicode is kept, not refused: raw bytes and lone surrogate escapes") {
  auto text_of = [](std::string_view body) {
    const auto n = as<Notification>(parse_message(body));
    return std::string(n.params.at("t").as_string());
  };
  // A Latin-1 byte, as Neovim sends a buffer that is not UTF-8: the bytes as they are.
  CHECK(text_of("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"t\":\"caf\xe9\"}}") == "caf\xe9");
  // Lone surrogates, as JSON.stringify writes a JavaScript string holding one: U+FFFD each, one
  // UTF-16 unit as they were; a pair stays the character it is.
  CHECK(text_of(R"({"jsonrpc":"2.0","method":"m","params":{"t":"a\udcffb\ud83dc"}})") == "a\xef\xbf\xbd"
                                                                                         "b\xef\xbf\xbd"
                                                                                         "c");
  CHECK(text_of(R"({"jsonrpc":"2.0","method":"m","params":{"t":"\ud83d\ude00\ud83d"}})") ==
        "\xf0\x9f\x98\x80\xef\xbf\xbd");
  // An escaped backslash before "udcff" is text, not an escape.
  CHECK(text_of(R"({"jsonrpc":"2.0","method":"m","params":{"t":"\\udcff\udcff"}})") == "\\udcff\xef\xbf\xbd");
}

TEST_CASE("jsonrpc: JSON that is not JSON-RPC is an invalid request") {
  struct Case {
    const char* body;
    std::optional<Id> id;
  };
  const Case cases[] = {
      {"[]", std::nullopt},
      {"42", std::nullopt},
      {R"({"id":1,"method":"m"})", Id{std::int64_t{1}}},                    // no jsonrpc
      {R"({"jsonrpc":"1.0","id":"a","method":"m"})", Id{std::string("a")}}, // wrong version
      {R"({"jsonrpc":2.0,"id":0,"method":"m"})", Id{std::int64_t{0}}},      // version not a string
      {R"({"jsonrpc":"2.0","id":1.5,"method":"m"})", std::nullopt},         // bad id types
      {R"({"jsonrpc":"2.0","id":true,"method":"m"})", std::nullopt},
      {R"({"jsonrpc":"2.0","id":{},"method":"m"})", std::nullopt},
      {R"({"jsonrpc":"2.0","id":18446744073709551615,"method":"m"})", std::nullopt},
      {R"({"jsonrpc":"2.0","id":null,"method":"m"})", std::nullopt},
      {R"({"jsonrpc":"2.0","id":3,"method":5})", Id{std::int64_t{3}}}, // method not a string
      {R"({"jsonrpc":"2.0","method":["m"]})", std::nullopt},
      {R"({"jsonrpc":"2.0","id":4,"method":"m","params":"s"})", Id{std::int64_t{4}}},
      {R"({"jsonrpc":"2.0","id":"p","method":"m","params":1})", Id{std::string("p")}},
      {R"({"jsonrpc":"2.0","id":5})", Id{std::int64_t{5}}}, // neither method nor result
      {R"({"jsonrpc":"2.0","id":6,"result":1,"error":{}})", Id{std::int64_t{6}}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto bad = invalid(c.body);
    CHECK(bad.code == ErrorCode::InvalidRequest);
    CHECK(bad.id == c.id);
    CHECK_FALSE(bad.message.empty());
  }
}

TEST_CASE("jsonrpc: serializers produce compact JSON that parses back") {
  CHECK(serialize_error(std::nullopt, ErrorCode::ParseError, "Parse error") ==
        R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})");
  CHECK(serialize_error(Id{std::int64_t{0}}, ErrorCode::RequestCancelled, "cancelled") ==
        R"({"jsonrpc":"2.0","id":0,"error":{"code":-32800,"message":"cancelled"}})");
  CHECK(serialize_notification("exit", nullptr) == R"({"jsonrpc":"2.0","method":"exit"})");
  CHECK(serialize_notification("window/logMessage", json::object{{"type", 3}, {"message", "hi \"x\"\n"}}) ==
        R"({"jsonrpc":"2.0","method":"window/logMessage","params":{"type":3,"message":"hi \"x\"\n"}})");

  auto req = serialize_request(Id{std::string("cfg-1")}, "workspace/configuration",
                               json::object{{"items", json::array{json::object{{"section", "fimLsp"}}}}});
  auto r = as<Request>(parse_message(req));
  CHECK(r.id == Id{std::string("cfg-1")});
  CHECK(r.method == "workspace/configuration");
  CHECK(r.params.at("items").at(0).at("section") == "fimLsp");

  auto n = as<Notification>(parse_message(serialize_notification("$/progress", json::array{1, "a"})));
  CHECK(n.params == json::parse(R"([1,"a"])"));

  auto ok =
      as<Response>(parse_message(serialize_result(Id{std::int64_t{-3}}, json::parse(R"({"items":[]})"))));
  CHECK(ok.id == Id{std::int64_t{-3}});
  CHECK(ok.result == json::parse(R"({"items":[]})"));

  auto e = as<Response>(parse_message(serialize_error(Id{std::int64_t{9}}, ErrorCode::InvalidParams, "bad")));
  CHECK(e.error.at("code") == -32602);
  CHECK(e.error.at("message") == "bad");
}

} // namespace fimlsp::test
