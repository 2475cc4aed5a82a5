#include "fimlsp/fim/providers/registry.hpp"
#include "fimlsp/fim/providers/openai_completions.hpp"
#include <utility>

namespace fimlsp::fim {

const Provider* find_provider(std::string_view api) {
  static const std::pair<std::string_view, const Provider*> providers[] = {
      {"completions", &openai_completions()},
  };
  for (const auto& [name, provider] : providers)
    if (name == api) return provider;
  return nullptr;
}

} // namespace fimlsp::fim
