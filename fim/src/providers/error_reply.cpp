#include "fimlsp/fim/providers/error_reply.hpp"
#include "fimlsp/fim/net/endpoint.hpp"
#include "fimlsp/fim/providers/retry_after.hpp"
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace fimlsp::fim {

namespace json = boost::json;

std::string one_line(std::string s, std::size_t max) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

std::string error_text(const json::value& err) {
  if (err.is_string()) return one_line(std::string(err.get_string()));
  if (!err.is_object()) return one_line(json::serialize(err));
  const auto& o = err.get_object();
  std::string msg;
  if (auto* m = o.if_contains("message"); m && m->is_string())
    msg = std::string(m->get_string());
  else if (m && !m->is_null()) // Mistral's validation errors: {"message": {"detail": [...]}}
    msg = json::serialize(*m);
  if (auto* c = o.if_contains("code"); c && !c->is_null())
    msg += (msg.empty() ? "" : " ") + std::string("(") +
           (c->is_string() ? std::string(c->get_string()) : json::serialize(*c)) + ")";
  if (msg.empty()) msg = json::serialize(err);
  return one_line(msg);
}

void classify_http_failure(const ResponseHead& head, std::string_view body, DecodedReply& out) {
  // A redirect is never followed: the key must not go to another host. Only the host it names
  // is said (the rest of Location may carry anything).
  if (head.status >= 300 && head.status < 400) {
    out.ec = error::config;
    std::string error;
    const auto to = parse_endpoint(head.field("location"), error);
    out.message = "the endpoint answered HTTP " + std::to_string(head.status) + " " + head.reason +
                  ", a redirect to " + (to ? to->host : std::string("another address")) +
                  ": redirects are not followed, so that the API key stays with endpoint.baseUrl; set "
                  "endpoint.baseUrl to the address the endpoint names";
    return;
  }
  out.ec = error::http_status;
  if (head.status == 429 || head.status == 503)
    out.retry_after = parse_retry_after(head.field("retry-after-ms"), head.field("retry-after"),
                                        std::chrono::system_clock::now());
  std::string detail;
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  // {"error": ...} (OpenAI, DashScope, DeepSeek, llama.cpp, Ollama), else a top-level "message"
  // (Mistral) or "detail" (FastAPI-style servers), else the body's start.
  const json::object* o = !ec ? v.if_object() : nullptr;
  const json::value* err = o ? o->if_contains("error") : nullptr;
  const json::value* detail_field = o ? o->if_contains("detail") : nullptr;
  if (err && !err->is_null())
    detail = error_text(*err);
  else if (o && o->contains("message"))
    detail = error_text(v);
  else if (detail_field && !detail_field->is_null())
    detail = error_text(*detail_field);
  else
    detail = one_line(std::string(body));
  out.message =
      "HTTP " + std::to_string(head.status) + " " + head.reason + (detail.empty() ? "" : ": " + detail);
}

} // namespace fimlsp::fim
