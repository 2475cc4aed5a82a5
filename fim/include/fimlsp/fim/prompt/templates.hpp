#pragma once
// FIM prompt templates: data, one row per model family.
#include <span>
#include <string>
#include <string_view>

namespace fimlsp::fim {

struct FimTemplate {
  std::string_view name;
  std::string_view prompt;           // with {prefix} and {suffix} placeholders
  std::string_view prompt_no_suffix; // used when the suffix is empty; "" = use `prompt`
  std::span<const std::string_view> stops;
};

const FimTemplate* find_template(std::string_view name); // nullptr when unknown
std::span<const FimTemplate> all_templates();            // for messages and --help
std::string render_prompt(const FimTemplate& t, std::string_view prefix, std::string_view suffix);

} // namespace fimlsp::fim
