#pragma once
// Which HTTP proxy (if any) connections to an endpoint go through, as curl decides it: the
// endpoint.proxy setting, else https_proxy / http_proxy / all_proxy (either case), minus the
// hosts NO_PROXY lists; loopback endpoints never use one.
#include "fimlsp/fim/net/endpoint.hpp"
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fimlsp::fim {

struct Proxy {
  std::string host;          // without brackets for IPv6
  std::string port;          // 1080 when the URL has none, as curl
  std::string authorization; // "Basic ..." from the URL's user:password, "" without
  std::string shown;         // "http://host:port" for messages: never the credentials
  std::string source;        // where it came from: "endpoint.proxy" or the variable's name
};

// Parses a proxy URL: [http://][user[:password]@]host[:port][/]. The user and password are
// percent-decoded. https:// (TLS to the proxy itself) and other schemes are refused in `error`,
// which never holds the credentials.
std::optional<Proxy> parse_proxy(std::string_view url, std::string& error);

// Whether a NO_PROXY list (entries separated by commas or spaces: `*`, host names and domain
// suffixes with or without a leading dot, IP addresses, CIDR ranges, each with an optional
// :port) says to connect to host:port directly.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host, std::string_view port);

// Looks up an environment variable: nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
EnvLookup process_environment();

struct ProxyChoice {
  std::optional<Proxy> proxy; // none: connect directly
  std::string error;          // a proxy is configured but unusable (the message has the fix)
  std::string reason;         // for the log: why this choice, "" when no proxy is configured at all
};

// The proxy for `endpoint`: `setting` (endpoint.proxy; "" = none) overrides the environment's
// proxy variables; NO_PROXY applies to either.
ProxyChoice choose_proxy(const Endpoint& endpoint, const std::optional<std::string>& setting,
                         const EnvLookup& env);

// What to tell the user when the proxy answers `status` instead of opening the way to `to`
// (host:port): 407 asks for credentials, anything else refuses.
std::string proxy_refusal(const Proxy& proxy, std::string_view to, int status, std::string_view reason);

} // namespace fimlsp::fim
