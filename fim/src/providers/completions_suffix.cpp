#include "fimlsp/fim/providers/completions_suffix.hpp"
#include "choices_decoder.hpp"
#include "fimlsp/fim/prompt/other_files.hpp"
#include "fimlsp/fim/providers/request_body.hpp"
#include "json_reply_decoder.hpp"

namespace fimlsp::fim {

namespace {

class CompletionsSuffix final : public Provider {
public:
  HttpRequest make_request(const CompletionPlan& plan, std::string_view api_key) const override {
    return json_post("/completions", api_key, "text/event-stream, application/json",
                     build_request_body(plan.model, plan.request,
                                        commented_snippets(plan.other_files) + plan.prefix, &plan.suffix));
  }
  std::unique_ptr<ReplyDecoder> make_decoder() const override { return make_choices_decoder(); }
};

} // namespace

const Provider& completions_suffix() {
  static const CompletionsSuffix provider;
  return provider;
}

} // namespace fimlsp::fim
