#include "fimlsp/fim/plan.hpp"
#include "fimlsp/fim/context/workspace_files.hpp"
#include "fimlsp/fim/prompt/templates.hpp"
#include <algorithm>

namespace fimlsp::fim {

bool has_visible_text(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; });
}

CompletionPlan make_plan(const Settings& settings, const CompletionInput& input) {
  const FimTemplate* tpl = find_template(settings.templateName);
  if (!tpl) tpl = find_template("qwen");
  CompletionPlan plan;
  // What is sent is UTF-8 (a backend refuses a body that is not): a document's bytes that are
  // not (a Latin-1 file) go as U+FFFD, as other files' do.
  plan.prefix = valid_utf8(input.prefix);
  plan.suffix = valid_utf8(input.suffix);
  plan.line_after = valid_utf8(input.line_after);
  plan.language_id = input.language_id;
  plan.prompt = render_prompt(*tpl, plan.prefix, plan.suffix, input.other_files);
  plan.other_files = input.other_files;
  plan.rules.single_line = has_visible_text(input.line_after);
  plan.rules.max_lines = settings.maxLines;
  plan.rules.stops.assign(tpl->stops.begin(), tpl->stops.end());
  plan.rules.stops.insert(plan.rules.stops.end(), settings.request.stop.begin(), settings.request.stop.end());
  plan.model = settings.model;
  plan.request = settings.request;
  return plan;
}

SuggestionPipeline make_pipeline(const CompletionPlan& plan) {
  return SuggestionPipeline(plan.rules, plan.prefix, plan.suffix, plan.line_after, plan.language_id);
}

} // namespace fimlsp::fim
