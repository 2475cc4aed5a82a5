#include "fimlsp/protocol/jsonrpc.hpp"
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <limits>

namespace fimlsp::protocol {
namespace {

// An id that JSON-RPC allows and we can echo exactly; a uint64 above int64's range cannot be.
std::optional<Id> read_id(const json::value& v) {
  if (v.is_int64()) return Id{v.get_int64()};
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return Id{static_cast<std::int64_t>(v.get_uint64())};
  if (v.is_string()) return Id{std::string(v.get_string())};
  return std::nullopt;
}

bool is_hex4(std::string_view s) {
  return s.size() >= 4 && std::all_of(s.begin(), s.begin() + 4,
                                      [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// `\uXXXX` escapes of a UTF-16 surrogate that is not half of a pair, as \ufffd: a JavaScript string
// (VS Code's documents) may hold one, Boost 1.81 refuses it, and U+FFFD is one UTF-16 unit too, so
// every position stays where the client has it.
std::string replace_lone_surrogates(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  auto unit_at = [&](std::size_t i) -> int { // the \u escape's code unit at body[i], or -1
    if (i + 6 > body.size() || body[i] != '\\' || body[i + 1] != 'u' || !is_hex4(body.substr(i + 2)))
      return -1;
    return std::stoi(std::string(body.substr(i + 2, 4)), nullptr, 16);
  };
  for (std::size_t i = 0; i < body.size();) {
    if (body[i] != '\\' || i + 1 >= body.size()) {
      out += body[i++];
      continue;
    }
    const int unit = unit_at(i);
    if (unit < 0xD800 || unit > 0xDFFF) { // another escape (or none): copied as it is
      out.append(body.substr(i, 2));
      i += 2;
      continue;
    }
    const int next = unit_at(i + 6);
    if (unit <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) { // a pair
      out.append(body.substr(i, 12));
      i += 12;
      continue;
    }
    out += "\\ufffd";
    i += 6;
  }
  return out;
}

// Raw bytes that are not UTF-8 (a Latin-1 buffer in Neovim, whose encoder passes them through)
// are kept as they are: the document is bytes, and positions count such a byte as one unit.
json::value parse_json(std::string_view body, boost::system::error_code& ec) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  json::value doc = json::parse(body, ec, {}, options);
  // Lone surrogate escapes: Boost 1.81 has no option for them, and reports one as a surrogate
  // error, or as a syntax error when it ends a string: a failed body that holds an escape is
  // tried once more with them replaced.
  if (ec && body.find("\\u") != std::string_view::npos) {
    if (std::string repaired = replace_lone_surrogates(body); repaired != body) {
      ec = {};
      doc = json::parse(repaired, ec, {}, options);
    }
  }
  return doc;
}

Invalid invalid_request(std::optional<Id> id, std::string why) {
  return Invalid{std::move(id), ErrorCode::InvalidRequest, "Invalid request: " + why};
}

json::object envelope() {
  return json::object{{"jsonrpc", "2.0"}};
}

} // namespace

json::value to_json(const Id& id) {
  return std::visit([](const auto& v) { return json::value(v); }, id);
}

std::string to_string(const Id& id) {
  return json::serialize(to_json(id));
}

Message parse_message(std::string_view body) {
  boost::system::error_code ec;
  json::value doc = parse_json(body, ec);
  if (ec) return Invalid{std::nullopt, ErrorCode::ParseError, "Parse error: " + ec.message()};
  const json::object* o = doc.if_object();
  if (!o) return invalid_request(std::nullopt, "not a JSON object");

  std::optional<Id> id;
  const json::value* id_value = o->if_contains("id");
  if (id_value && !id_value->is_null()) {
    id = read_id(*id_value);
    if (!id) return invalid_request(std::nullopt, "id must be an integer or a string");
  }
  const json::value* version = o->if_contains("jsonrpc");
  if (!version || !version->is_string() || version->get_string() != "2.0")
    return invalid_request(id, "\"jsonrpc\" must be \"2.0\"");

  if (const json::value* method = o->if_contains("method")) {
    if (!method->is_string()) return invalid_request(id, "method must be a string");
    json::value params;
    if (const json::value* p = o->if_contains("params")) {
      // null is taken as absent: some clients send "params": null for shutdown and exit.
      if (!p->is_object() && !p->is_array() && !p->is_null())
        return invalid_request(id, "params must be an object or an array");
      params = *p;
    }
    std::string name(method->get_string());
    if (!id_value) return Notification{std::move(name), std::move(params)};
    if (!id) return invalid_request(std::nullopt, "a request id must not be null");
    return Request{std::move(*id), std::move(name), std::move(params)};
  }

  const json::value* result = o->if_contains("result");
  const json::value* error = o->if_contains("error");
  if (!result && !error) return invalid_request(id, "neither a method nor a result or error");
  if (result && error) return invalid_request(id, "a response has both result and error");
  return Response{std::move(id), result ? *result : json::value(), error ? *error : json::value()};
}

std::string serialize_result(const Id& id, const json::value& result) {
  auto o = envelope();
  o["id"] = to_json(id);
  o["result"] = result;
  return json::serialize(o);
}

std::string serialize_error(const std::optional<Id>& id, ErrorCode code, std::string_view message) {
  auto o = envelope();
  o["id"] = id ? to_json(*id) : json::value();
  o["error"] = json::object{{"code", static_cast<int>(code)}, {"message", message}};
  return json::serialize(o);
}

std::string serialize_notification(std::string_view method, const json::value& params) {
  auto o = envelope();
  o["method"] = method;
  if (!params.is_null()) o["params"] = params;
  return json::serialize(o);
}

std::string serialize_request(const Id& id, std::string_view method, const json::value& params) {
  auto o = envelope();
  o["id"] = to_json(id);
  o["method"] = method;
  if (!params.is_null()) o["params"] = params;
  return json::serialize(o);
}

} // namespace fimlsp::protocol
