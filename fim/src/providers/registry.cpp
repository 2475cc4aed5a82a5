#include "fimlsp/fim/providers/registry.hpp"
#include "fimlsp/fim/providers/completions_suffix.hpp"
#include "fimlsp/fim/providers/llamacpp_infill.hpp"
#include "fimlsp/fim/providers/mistral_fim.hpp"
#include "fimlsp/fim/providers/ollama_generate.hpp"
#include "fimlsp/fim/providers/openai_completions.hpp"
#include <vector>

namespace fimlsp::fim {

namespace {

struct Entry {
  std::string_view name;
  const Provider& (*provider)();
};

// One line per shape.
constexpr Entry kProviders[] = {
    {"completions", openai_completions},  {"completions-suffix", completions_suffix},
    {"mistral-fim", mistral_fim},         {"llamacpp-infill", llamacpp_infill},
    {"ollama-generate", ollama_generate},
};

} // namespace

const Provider* find_provider(std::string_view api) {
  for (const auto& e : kProviders)
    if (e.name == api) return &e.provider();
  return nullptr;
}

std::span<const std::string_view> provider_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& e : kProviders)
      v.push_back(e.name);
    return v;
  }();
  return names;
}

} // namespace fimlsp::fim
