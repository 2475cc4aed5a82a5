// JSON-RPC classification: any body is classified without throwing, and what the server would
// send back about it serializes to JSON that parses as the same kind of message.
#include "fimlsp/protocol/jsonrpc.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace p = fimlsp::protocol;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  p::Message m = p::parse_message(body);

  std::string reply;
  if (auto* r = std::get_if<p::Request>(&m)) {
    reply = p::serialize_result(r->id, r->params);
    auto again = p::parse_message(p::serialize_request(r->id, r->method, r->params));
    FUZZ_CHECK(std::holds_alternative<p::Request>(again));
    FUZZ_CHECK(std::get<p::Request>(again).id == r->id && std::get<p::Request>(again).method == r->method);
  } else if (auto* n = std::get_if<p::Notification>(&m)) {
    auto again = p::parse_message(p::serialize_notification(n->method, n->params));
    FUZZ_CHECK(std::holds_alternative<p::Notification>(again));
    FUZZ_CHECK(std::get<p::Notification>(again).method == n->method);
    return 0;
  } else if (auto* inv = std::get_if<p::Invalid>(&m)) {
    reply = p::serialize_error(inv->id, inv->code, inv->message);
  } else {
    return 0;
  }
  auto back = p::parse_message(reply);
  FUZZ_CHECK(std::holds_alternative<p::Response>(back));
  return 0;
}
