#include "fimlsp/fim/providers/openai_completions.hpp"
#include "fimlsp/fim/net/sse.hpp"
#include "fimlsp/fim/providers/error_reply.hpp"
#include "fimlsp/fim/providers/request_body.hpp"
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>

namespace fimlsp::fim {

namespace {

namespace json = boost::json;

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

std::uint64_t count(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return 0;
  boost::system::error_code ec;
  const auto n = v->to_number<std::uint64_t>(ec);
  return ec ? 0 : n;
}

class CompletionsDecoder final : public ReplyDecoder {
public:
  void start(const ResponseHead& head) override {
    if (head.status / 100 != 2) {
      mode_ = Mode::Failure;
      head_ = head;
    } else {
      mode_ = starts_with_ci(head.field("content-type"), "text/event-stream") ? Mode::Sse : Mode::Whole;
    }
  }

  bool feed(std::string_view bytes, const OnText& on_text) override {
    switch (mode_) {
    case Mode::Failure: // read to the end (the connection stays usable), keep the start
      if (body_.size() < kMaxErrorBody) body_.append(bytes);
      return true;
    case Mode::Whole:
      body_.append(bytes);
      return true;
    case Mode::Sse:
      sse_.feed(bytes, [&](std::string_view data) { payload(data, on_text); });
      return !stopped_;
    }
    return false;
  }

  void finish(const OnText& on_text) override {
    switch (mode_) {
    case Mode::Failure:
      classify_http_failure(head_, body_, result_);
      return;
    case Mode::Whole: // stream: false
      payload(body_, on_text);
      return;
    case Mode::Sse:
      sse_.finish([&](std::string_view data) { payload(data, on_text); });
      if (!stopped_ && !result_.done && !result_.finish_reason) {
        result_.ec = error::network;
        result_.message = "the stream ended before [DONE]";
      }
      return;
    }
  }

private:
  enum class Mode { Sse, Whole, Failure };

  void fail(error e, std::string message) {
    result_.ec = e;
    result_.message = std::move(message);
    stopped_ = true;
  }

  // One payload: a stream chunk, "[DONE]", or a whole non-streamed reply.
  void payload(std::string_view data, const OnText& on_text) {
    if (stopped_) return;
    std::string_view trimmed = data;
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n'))
      trimmed.remove_suffix(1);
    if (trimmed == "[DONE]") {
      result_.done = true;
      return;
    }
    boost::system::error_code ec;
    const json::value v = json::parse(data, ec);
    if (ec || !v.is_object())
      return fail(error::malformed, "malformed payload: " + one_line(std::string(data), 80));
    const auto& o = v.get_object();
    if (auto* err = o.if_contains("error"); err && !err->is_null())
      return fail(error::backend, "the backend reported an error: " + error_text(*err));
    // DashScope sends "usage": null in every chunk but the last.
    if (auto* u = o.if_contains("usage"); u && u->is_object())
      result_.usage = Usage{.prompt_tokens = count(u->get_object(), "prompt_tokens"),
                            .completion_tokens = count(u->get_object(), "completion_tokens")};
    // "choices" may be missing, null or [] (the usage-only last chunk).
    auto* choices = o.if_contains("choices");
    if (!choices || !choices->is_array() || choices->get_array().empty()) return;
    const auto& first = choices->get_array().front();
    if (!first.is_object()) return fail(error::malformed, "malformed payload: choices[0] is not an object");
    const auto& choice = first.get_object();
    std::string_view text;
    if (auto* t = choice.if_contains("text"); t && t->is_string()) {
      text = t->get_string();
    } else if (auto* d = choice.if_contains("delta"); d && d->is_object()) { // chat-style chunks
      if (auto* c = d->get_object().if_contains("content"); c && c->is_string()) text = c->get_string();
    }
    if (auto* f = choice.if_contains("finish_reason"); f && f->is_string())
      result_.finish_reason = std::string(f->get_string());
    if (!text.empty() && !on_text(text)) stopped_ = true;
  }

  Mode mode_ = Mode::Whole;
  ResponseHead head_; // kept for a failure's message
  SseParser sse_;
  std::string body_; // a whole JSON reply, or the start of an error body
  bool stopped_ = false;
};

class OpenAiCompletions final : public Provider {
public:
  HttpRequest make_request(const CompletionPlan& plan, std::string_view api_key) const override {
    HttpRequest r;
    r.method = "POST";
    r.path = "/completions";
    if (!api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + std::string(api_key));
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("Accept", "text/event-stream, application/json");
    r.body = build_request_body(plan.model, plan.request, plan.prompt);
    return r;
  }
  std::unique_ptr<ReplyDecoder> make_decoder() const override {
    return std::make_unique<CompletionsDecoder>();
  }
};

} // namespace

const Provider& openai_completions() {
  static const OpenAiCompletions provider;
  return provider;
}

} // namespace fimlsp::fim
