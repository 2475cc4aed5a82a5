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
    // Repository form (the Qwen2.5-Coder model card): <|repo_name|>, then <|file_sep|> per file.
    {"qwen", "<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>",
     "<|fim_prefix|>{prefix}<|fim_suffix|>", kQwenStops, "<|repo_name|>{repo}\n",
     "<|file_sep|>{path}\n{text}",
     "<|file_sep|>{path}\n<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>",
     "<|file_sep|>{path}\n<|fim_prefix|>{prefix}<|fim_suffix|>"},
    {"codegemma", "<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>", "", kCodeGemmaStops},
    // StarCoder/StarCoder2, Granite.
    // StarCoder2's repository form puts the current file's path after <fim_prefix>.
    {"starcoder", "<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>", "", kStarCoderStops,
     "<repo_name>{repo}", "<file_sep>{path}\n{text}",
     "<file_sep><fim_prefix>{path}\n{prefix}<fim_suffix>{suffix}<fim_middle>"},
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

void expand(std::string& out, std::string_view form, std::initializer_list<Placeholder> values) {
  // One pass over the template: placeholders inside the user's text are never expanded.
  for (std::size_t i = 0; i < form.size();) {
    const Placeholder* hit = nullptr;
    if (form[i] == '{')
      for (auto& v : values)
        if (form.substr(i).starts_with(v.name)) hit = &v;
    if (hit) {
      out += hit->value;
      i += hit->name.size();
    } else {
      out += form[i++];
    }
  }
}

std::string render_prompt(const FimTemplate& t, std::string_view prefix, std::string_view suffix) {
  const std::string_view form = suffix.empty() && !t.prompt_no_suffix.empty() ? t.prompt_no_suffix : t.prompt;
  std::string out;
  out.reserve(form.size() + prefix.size() + suffix.size());
  expand(out, form, {{"{prefix}", prefix}, {"{suffix}", suffix}});
  return out;
}

} // namespace fimlsp::fim
