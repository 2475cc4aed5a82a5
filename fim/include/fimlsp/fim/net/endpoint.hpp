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
  std::string target;    // path of {baseUrl}/completions, e.g. "/compatible-mode/v1/completions"
  bool loopback = false; // localhost, 127.0.0.0/8 or ::1
};

// Parses endpoint.baseUrl (http or https). nullopt with `error` set for anything else.
std::optional<Endpoint> parse_endpoint(std::string_view base_url, std::string& error);

} // namespace fimlsp::fim
