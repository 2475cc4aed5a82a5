#include "fimlsp/fim/providers/request_body.hpp"
#include <boost/json/serialize.hpp>
#include <charconv>

namespace fimlsp::fim {

namespace json = boost::json;

std::string float_text(double d) {
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, d).ptr;
  std::string s(buf, end);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

JsonBody& JsonBody::raw(std::string_view name, std::string_view json_text) {
  out_ += out_.size() > 1 ? ",\"" : "\"";
  out_ += name;
  out_ += "\":";
  out_ += json_text;
  return *this;
}

JsonBody& JsonBody::string(std::string_view name, std::string_view value) {
  return raw(name, json::serialize(json::string_view(value)));
}

JsonBody& JsonBody::integer(std::string_view name, long long value) {
  return raw(name, std::to_string(value));
}

JsonBody& JsonBody::number(std::string_view name, double value) {
  return raw(name, float_text(value));
}

JsonBody& JsonBody::boolean(std::string_view name, bool value) {
  return raw(name, value ? "true" : "false");
}

JsonBody& JsonBody::strings(std::string_view name, const std::vector<std::string>& values) {
  std::string list = "[";
  for (auto& v : values)
    list += (list.size() > 1 ? "," : "") + json::serialize(json::string_view(v));
  return raw(name, list + "]");
}

std::string build_request_body(std::string_view model, const RequestSettings& r, std::string_view prompt,
                               const std::string* suffix) {
  JsonBody body;
  body.string("model", model).string("prompt", prompt);
  if (suffix) body.string("suffix", *suffix);
  if (r.maxTokens) body.integer("max_tokens", *r.maxTokens);
  if (r.temperature) body.number("temperature", *r.temperature);
  if (r.topP) body.number("top_p", *r.topP);
  if (r.presencePenalty) body.number("presence_penalty", *r.presencePenalty);
  if (r.seed) body.integer("seed", *r.seed);
  if (!r.stop.empty()) body.strings("stop", r.stop);
  // "stream": false is the API's default, so it is left out like every other unset parameter.
  if (r.stream) body.boolean("stream", true).raw("stream_options", "{\"include_usage\":true}");
  return body.str();
}

} // namespace fimlsp::fim
