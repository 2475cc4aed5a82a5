#include "fimlsp/fim/suggest/pipeline.hpp"
#include <algorithm>

namespace fimlsp::fim {

SuggestionPipeline::Texts::Texts(std::string p, std::string s, std::string l, std::string lang)
    : prefix(std::move(p)), suffix(std::move(s)), line_after(std::move(l)), language_id(std::move(lang)),
      ctx(prefix, suffix, line_after, language_id) {}

SuggestionPipeline::SuggestionPipeline(StopRules rules, std::string prefix, std::string suffix,
                                       std::string line_after, std::string language_id)
    : builder_(std::move(rules)),
      texts_(std::make_unique<const Texts>(std::move(prefix), std::move(suffix), std::move(line_after),
                                           std::move(language_id))),
      progress_(clean_up_filters().size()) {}

bool SuggestionPipeline::append(std::string_view piece) {
  return builder_.append(piece);
}

// Filter i promises to keep a start of what it is given; what filter i + 1 is given is sure to
// start with that, so it is asked about that start only. Every answer only grows as text
// arrives (a promise about a text holds for every text that continues it).
std::size_t SuggestionPipeline::stable_prefix() {
  if (finished_) return text_.size();
  std::string_view sure = builder_.text();
  const auto filters = clean_up_filters();
  for (std::size_t i = 0; i < filters.size(); ++i) {
    Progress& p = progress_[i];
    if (!filters[i]->keeps) return 0;
    if (sure.size() > p.seen) {
      const std::size_t kept = filters[i]->keeps(sure, p.seen, p.kept, texts_->ctx);
      p.kept = std::clamp(kept, p.kept, sure.size());
      p.seen = sure.size();
    }
    sure = sure.substr(0, p.kept);
  }
  return sure.size();
}

void SuggestionPipeline::finish() {
  if (finished_) return;
  builder_.finish();
  text_ = clean_suggestion(builder_.text(), texts_->ctx);
  finished_ = true;
}

} // namespace fimlsp::fim
