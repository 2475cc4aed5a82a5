#include "fimlsp/fim/prompt/templates.hpp"
#include <array>

namespace fimlsp::fim {

namespace {

// Stop tokens: what each family emits when the middle is done, or when it starts another file.
constexpr std::array<std::string_view, 5> kQwenStops{"<|endoftext|>", "<|fim_pad|>", "<|file_sep|>",
                                                     "<|repo_name|>", "<|im_end|>"};
constexpr std::array<std::string_view, 1> kCodeGemmaStops{"<|file_separator|>"};
constexpr std::array<std::string_view, 3> kStarCoderStops{"<|endoftext|>", "<file_sep>", "<fim_prefix>"};
constexpr std::array<std::string_view, 1> kCodeLlamaStops{"<EOT>"};
constexpr std::array<std::string_view, 1> kDeepSeekStops{"<｜end▁of▁sentence｜>"};
constexpr std::array<std::string_view, 2> kCodestralStops{"[PREFIX]", "[SUFFIX]"};

const std::array<FimTemplate, 6> kTemplates{{
    // Qwen2.5/Qwen3-Coder, qwen-coder-turbo. The seed's two forms: with no suffix the prompt ends
    // after <|fim_suffix|> ("generate content that follows a given prefix").
    {"qwen", "<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>",
     "<|fim_prefix|>{prefix}<|fim_suffix|>", kQwenStops},
    {"codegemma", "<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>", "", kCodeGemmaStops},
    // StarCoder/StarCoder2, Granite.
    {"starcoder", "<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>", "", kStarCoderStops},
    {"codellama", "<PRE> {prefix} <SUF>{suffix} <MID>", "", kCodeLlamaStops},
    // U+FF5C FULLWIDTH VERTICAL LINE and U+2581 LOWER ONE EIGHTH BLOCK, as the tokenizer spells them.
    {"deepseek", "<｜fim▁begin｜>{prefix}<｜fim▁hole｜>{suffix}<｜fim▁end｜>", "", kDeepSeekStops},
    {"codestral", "[SUFFIX]{suffix}[PREFIX]{prefix}", "", kCodestralStops},
}};

} // namespace

const FimTemplate* find_template(std::string_view name) {
  for (auto& t : kTemplates)
    if (t.name == name) return &t;
  return nullptr;
}

std::span<const FimTemplate> all_templates() {
  return kTemplates;
}

std::string render_prompt(const FimTemplate& t, std::string_view prefix, std::string_view suffix) {
  const std::string_view form = suffix.empty() && !t.prompt_no_suffix.empty() ? t.prompt_no_suffix : t.prompt;
  constexpr std::string_view kPrefix = "{prefix}", kSuffix = "{suffix}";
  std::string out;
  out.reserve(form.size() + prefix.size() + suffix.size());
  // One pass over the template: placeholders inside the user's text are never expanded.
  for (std::size_t i = 0; i < form.size();) {
    if (form.substr(i).starts_with(kPrefix)) {
      out += prefix;
      i += kPrefix.size();
    } else if (form.substr(i).starts_with(kSuffix)) {
      out += suffix;
      i += kSuffix.size();
    } else {
      out += form[i++];
    }
  }
  return out;
}

} // namespace fimlsp::fim
