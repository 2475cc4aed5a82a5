#include "fimlsp/fim/providers/llamacpp_infill.hpp"
#include "fimlsp/fim/providers/error_reply.hpp"
#include "fimlsp/fim/providers/request_body.hpp"
#include "json_reply_decoder.hpp"
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace fimlsp::fim {

namespace {

namespace json = boost::json;

class InfillDecoder final : public JsonReplyDecoder {
public:
  InfillDecoder() : JsonReplyDecoder(StreamFraming::Sse, "an event with \"stop\": true") {}

private:
  void event(const json::object& o, const OnText& on_text) override {
    if (auto* stop = o.if_contains("stop"); stop && stop->is_bool() && stop->get_bool()) {
      result_.done = true;
      if (o.contains("tokens_predicted") || o.contains("tokens_evaluated"))
        result_.usage = Usage{.prompt_tokens = count(o, "tokens_evaluated"),
                              .completion_tokens = count(o, "tokens_predicted")};
      if (auto* type = o.if_contains("stop_type"); type && type->is_string())
        result_.finish_reason = std::string(type->get_string());
    }
    if (auto* c = o.if_contains("content"); c && c->is_string()) emit(c->get_string(), on_text);
  }

  // Older servers send a stream's error as "error: {json}" instead of a data: event.
  void sse_field(std::string_view field, std::string_view value) override {
    if (field != "error") return;
    boost::system::error_code ec;
    const json::value v = json::parse(value, ec);
    fail(error::backend,
         "the backend reported an error: " + (ec ? one_line(std::string(value)) : error_text(v)));
  }
};

class LlamacppInfill final : public Provider {
public:
  HttpRequest make_request(const CompletionPlan& plan, std::string_view api_key) const override {
    const RequestSettings& r = plan.request;
    JsonBody body;
    body.string("input_prefix", plan.prefix).string("input_suffix", plan.suffix);
    // Other files' snippets, as the server's own repository context.
    json::array extra;
    for (const auto& s : plan.other_files.snippets)
      extra.push_back(json::object{{"filename", s.path}, {"text", s.text}});
    body.raw("input_extra", json::serialize(extra));
    if (r.maxTokens) body.integer("n_predict", *r.maxTokens);
    if (r.temperature) body.number("temperature", *r.temperature);
    if (r.topP) body.number("top_p", *r.topP);
    if (!r.stop.empty()) body.strings("stop", r.stop);
    if (r.seed) body.integer("seed", *r.seed);
    body.boolean("stream", r.stream).boolean("cache_prompt", true);
    return json_post("/infill", api_key, "text/event-stream, application/json", body.str());
  }
  std::unique_ptr<ReplyDecoder> make_decoder() const override { return std::make_unique<InfillDecoder>(); }
  std::vector<std::string> unsent(const RequestSettings& r) const override {
    if (r.presencePenalty) return {"request.presencePenalty"};
    return {};
  }
};

} // namespace

const Provider& llamacpp_infill() {
  static const LlamacppInfill provider;
  return provider;
}

} // namespace fimlsp::fim
