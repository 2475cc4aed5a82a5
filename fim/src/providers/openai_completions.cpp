#include "fimlsp/fim/providers/openai_completions.hpp"
#include "choices_decoder.hpp"
#include "fimlsp/fim/providers/request_body.hpp"
#include "json_reply_decoder.hpp"

namespace fimlsp::fim {

namespace {

class OpenAiCompletions final : public Provider {
public:
  HttpRequest make_request(const CompletionPlan& plan, std::string_view api_key) const override {
    return json_post("/completions", api_key, "text/event-stream, application/json",
                     build_request_body(plan.model, plan.request, plan.prompt));
  }
  std::unique_ptr<ReplyDecoder> make_decoder() const override { return make_choices_decoder(); }
};

} // namespace

const Provider& openai_completions() {
  static const OpenAiCompletions provider;
  return provider;
}

} // namespace fimlsp::fim
