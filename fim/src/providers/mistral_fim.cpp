#include "fimlsp/fim/providers/mistral_fim.hpp"
#include "choices_decoder.hpp"
#include "fimlsp/fim/prompt/other_files.hpp"
#include "fimlsp/fim/providers/request_body.hpp"
#include "json_reply_decoder.hpp"

namespace fimlsp::fim {

namespace {

class MistralFim final : public Provider {
public:
  HttpRequest make_request(const CompletionPlan& plan, std::string_view api_key) const override {
    const RequestSettings& r = plan.request;
    JsonBody body;
    body.string("model", plan.model)
        .string("prompt", commented_snippets(plan.other_files) + plan.prefix)
        .string("suffix", plan.suffix);
    if (r.maxTokens) body.integer("max_tokens", *r.maxTokens);
    if (r.temperature) body.number("temperature", *r.temperature);
    if (r.topP) body.number("top_p", *r.topP);
    if (!r.stop.empty()) body.strings("stop", r.stop);
    if (r.seed) body.integer("random_seed", *r.seed);
    body.boolean("stream", r.stream); // the last chunk carries the usage unasked
    return json_post("/fim/completions", api_key, "text/event-stream, application/json", body.str());
  }
  std::unique_ptr<ReplyDecoder> make_decoder() const override { return make_choices_decoder(); }
  std::vector<std::string> unsent(const RequestSettings& r) const override {
    if (r.presencePenalty) return {"request.presencePenalty"};
    return {};
  }
};

} // namespace

const Provider& mistral_fim() {
  static const MistralFim provider;
  return provider;
}

} // namespace fimlsp::fim
