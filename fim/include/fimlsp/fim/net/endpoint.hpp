#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fimlsp::fim {

struct Endpoint {
  bool tls = true;
  std::string host;      // without brackets for IPv6
  std::string port;      // "443" when not given for https, "80" for http
  std::string base_path; // baseUrl's path without a trailing '/', e.g. "/compatible-mode/v1"
  std::string query;     // baseUrl's query without '?' (Azure's api-version), sent on every request
  bool loopback = false; // localhost, 127.0.0.0/8 or ::1
};

// Parses endpoint.baseUrl (http or https). nullopt with `error` set for anything else.
std::optional<Endpoint> parse_endpoint(std::string_view base_url, std::string& error);

// The request target of `path` (e.g. "/completions") under the endpoint's base path.
std::string request_target(const Endpoint& endpoint, std::string_view path);

} // namespace fimlsp::fim
