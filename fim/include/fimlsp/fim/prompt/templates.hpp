#pragma once
// FIM prompt templates: data, one row per model family.
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace fimlsp::fim {

struct FimTemplate {
  std::string_view name;
  std::string_view prompt;           // with {prefix} and {suffix} placeholders
  std::string_view prompt_no_suffix; // used when the suffix is empty; "" = use `prompt`
  std::span<const std::string_view> stops;
  // Families trained on whole repositories: a header naming the repository ({repo}), one entry per
  // other file ({path}, {text}), then the current file's form ({path}, {prefix}, {suffix}).
  // "" = no such tokens: other files go into the prefix as comments (other_files.hpp).
  std::string_view repo_header = "";
  std::string_view file_entry = "";
  std::string_view repo_prompt = "";
  std::string_view repo_prompt_no_suffix = ""; // "" = use `repo_prompt`
};

const FimTemplate* find_template(std::string_view name); // nullptr when unknown
std::span<const FimTemplate> all_templates();            // for messages and --help
std::string render_prompt(const FimTemplate& t, std::string_view prefix, std::string_view suffix);

// One pass over `form`: each {name} of `values` is replaced, nothing inside a value is expanded.
struct Placeholder {
  std::string_view name; // with its braces, "{prefix}"
  std::string_view value;
};
void expand(std::string& out, std::string_view form, std::initializer_list<Placeholder> values);

} // namespace fimlsp::fim
