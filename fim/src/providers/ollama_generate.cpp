#include "fimlsp/fim/providers/ollama_generate.hpp"
#include "fimlsp/fim/prompt/other_files.hpp"
#include "fimlsp/fim/providers/request_body.hpp"
#include "json_reply_decoder.hpp"
#include <boost/json/value.hpp>

namespace fimlsp::fim {

namespace {

namespace json = boost::json;

class GenerateDecoder final : public JsonReplyDecoder {
public:
  GenerateDecoder() : JsonReplyDecoder(StreamFraming::Ndjson, "a line with \"done\": true") {}

private:
  void event(const json::object& o, const OnText& on_text) override {
    if (auto* done = o.if_contains("done"); done && done->is_bool() && done->get_bool()) {
      result_.done = true;
      if (o.contains("prompt_eval_count") || o.contains("eval_count"))
        result_.usage = Usage{.prompt_tokens = count(o, "prompt_eval_count"),
                              .completion_tokens = count(o, "eval_count")};
      if (auto* reason = o.if_contains("done_reason"); reason && reason->is_string())
        result_.finish_reason = std::string(reason->get_string());
    }
    if (auto* r = o.if_contains("response"); r && r->is_string()) emit(r->get_string(), on_text);
  }
};

class OllamaGenerate final : public Provider {
public:
  HttpRequest make_request(const CompletionPlan& plan, std::string_view api_key) const override {
    const RequestSettings& r = plan.request;
    JsonBody options;
    if (r.maxTokens) options.integer("num_predict", *r.maxTokens);
    if (r.temperature) options.number("temperature", *r.temperature);
    if (r.topP) options.number("top_p", *r.topP);
    if (!r.stop.empty()) options.strings("stop", r.stop);
    if (r.seed) options.integer("seed", *r.seed);
    if (r.presencePenalty) options.number("presence_penalty", *r.presencePenalty);
    JsonBody body;
    body.string("model", plan.model)
        .string("prompt", commented_snippets(plan.other_files) + plan.prefix)
        .string("suffix", plan.suffix);
    body.boolean("stream", r.stream); // Ollama streams unless told not to
    if (!options.empty()) body.raw("options", options.str());
    // Ollama checks no key itself; one that is set goes to whatever guards it (a reverse proxy).
    return json_post("/api/generate", api_key, "application/x-ndjson, application/json", body.str());
  }
  std::unique_ptr<ReplyDecoder> make_decoder() const override { return std::make_unique<GenerateDecoder>(); }
};

} // namespace

const Provider& ollama_generate() {
  static const OllamaGenerate provider;
  return provider;
}

} // namespace fimlsp::fim
