#pragma once
// The `provider` presets: for each backend a user runs, the endpoint, request shape, model,
// template and key variable it needs. A preset fills in only what the user has not set.
#include <span>
#include <string_view>

namespace fimlsp::fim {

struct ProviderPreset {
  std::string_view name;
  std::string_view base_url;
  std::string_view api; // endpoint.api
  std::string_view model;
  std::string_view template_name;
  std::string_view api_key_env; // a local server needs no key: unset is fine on loopback
};

// nullptr for a name no preset has.
const ProviderPreset* find_preset(std::string_view name);
std::span<const ProviderPreset> all_presets();

} // namespace fimlsp::fim
