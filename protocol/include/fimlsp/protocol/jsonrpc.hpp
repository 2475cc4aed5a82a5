#pragma once
// JSON-RPC 2.0 messages as LSP uses them.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace fimlsp::protocol {

namespace json = boost::json;

enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  UnknownErrorCode = -32001,
  RequestFailed = -32803,
  ServerCancelled = -32802,
  ContentModified = -32801,
  RequestCancelled = -32800,
};

// A request id exactly as the client sent it (integer or string; 0 included).
using Id = std::variant<std::int64_t, std::string>;
json::value to_json(const Id& id);
std::string to_string(const Id& id); // for logs: 7 or "abc"

struct Request {
  Id id;
  std::string method;
  json::value params; // null when absent
};
struct Notification {
  std::string method;
  json::value params;
};
struct Response { // a reply from the client to a request the server sent
  std::optional<Id> id;
  json::value result;
  json::value error; // null unless the client answered with an error
};
// A body that is not a valid JSON-RPC message: answer with `code` (id null when unknown).
struct Invalid {
  std::optional<Id> id;
  ErrorCode code;
  std::string message;
};
using Message = std::variant<Request, Notification, Response, Invalid>;

// Never throws: not JSON → Invalid{ParseError}; JSON but not JSON-RPC 2.0 → Invalid{InvalidRequest}.
Message parse_message(std::string_view body);

std::string serialize_result(const Id& id, const json::value& result);
std::string serialize_error(const std::optional<Id>& id, ErrorCode code, std::string_view message);
std::string serialize_notification(std::string_view method, const json::value& params);
std::string serialize_request(const Id& id, std::string_view method, const json::value& params);

} // namespace fimlsp::protocol
