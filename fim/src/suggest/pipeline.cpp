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
      heads_(head_filters().size()), progress_(clean_up_filters().size()) {}

// Each head filter decides on what the ones before it left; a decision, once made, holds.
bool SuggestionPipeline::decide_head(bool ended) {
  std::size_t start = 0;
  const auto filters = head_filters();
  for (std::size_t i = 0; i < filters.size(); ++i) {
    if (!heads_[i]) {
      heads_[i] = filters[i]->decide(std::string_view(head_).substr(start), ended, texts_->ctx);
      if (!heads_[i]) return false;
      builder_.add_stop(std::string(heads_[i]->stop));
    }
    start = std::min(head_.size(), start + heads_[i]->drop);
    if (heads_[i]->nothing) {
      nothing_ = true;
      break;
    }
  }
  head_done_ = true;
  if (!nothing_) feed(std::string_view(head_).substr(start));
  head_.clear();
  head_.shrink_to_fit();
  return true;
}

// The stop rules, then the filters that can tell early that the suggestion is over.
void SuggestionPipeline::feed(std::string_view piece) {
  if (builder_.append(piece)) return;
  const std::string_view text = builder_.text();
  if (text.find('\n', lines_seen_) == std::string_view::npos) return;
  lines_seen_ = text.size();
  for (const Filter* f : clean_up_filters())
    if (f->ends && f->ends(text, texts_->ctx) != std::string_view::npos) {
      ended_early_ = true;
      return;
    }
}

bool SuggestionPipeline::append(std::string_view piece) {
  if (complete()) return true;
  if (head_done_) {
    feed(piece);
  } else {
    head_ += piece;
    decide_head(false);
  }
  return complete();
}

// Every filter is asked about the streamed text itself: each decides line by line and only
// cuts, so what each keeps of the stream, the chain keeps of it too. Every answer only grows as
// text arrives (a promise about a text holds for every text that continues it).
std::size_t SuggestionPipeline::stable_prefix() {
  if (finished_) return text_.size();
  const std::string_view text = builder_.text();
  std::size_t sure = text.size();
  const auto filters = clean_up_filters();
  for (std::size_t i = 0; i < filters.size(); ++i) {
    Progress& p = progress_[i];
    if (!filters[i]->keeps) return 0;
    if (text.size() > p.seen) {
      const std::size_t kept = filters[i]->keeps(text, p.seen, p.kept, texts_->ctx);
      p.kept = std::clamp(kept, p.kept, text.size());
      p.seen = text.size();
    }
    sure = std::min(sure, p.kept);
  }
  return sure;
}

void SuggestionPipeline::finish() {
  if (finished_) return;
  if (!head_done_) decide_head(true);
  builder_.finish();
  text_ = nothing_ ? std::string() : clean_suggestion(builder_.text(), texts_->ctx);
  finished_ = true;
}

} // namespace fimlsp::fim
