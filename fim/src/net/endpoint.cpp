#include "fimlsp/fim/net/endpoint.hpp"
#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>

namespace fimlsp::fim {

namespace urls = boost::urls;

static std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

std::optional<Endpoint> parse_endpoint(std::string_view base_url, std::string& error) {
  auto parsed = urls::parse_uri(base_url);
  if (!parsed) {
    error = "endpoint.baseUrl is not a URL: " + std::string(base_url);
    return std::nullopt;
  }
  const urls::url_view& u = *parsed;
  Endpoint ep;
  const std::string scheme = lower(std::string(u.scheme()));
  if (scheme == "https") {
    ep.tls = true;
  } else if (scheme == "http") {
    ep.tls = false;
  } else {
    error = "endpoint.baseUrl must start with https:// or http://, not " + scheme + "://";
    return std::nullopt;
  }
  // Credentials in the URL would end up in logs; the key belongs in the environment.
  if (u.has_userinfo()) {
    error = "endpoint.baseUrl must not contain user:password@; put the key in the environment";
    return std::nullopt;
  }
  switch (u.host_type()) {
  case urls::host_type::ipv4:
    ep.loopback = u.host_ipv4_address().is_loopback();
    break;
  case urls::host_type::ipv6:
    ep.loopback = u.host_ipv6_address().is_loopback();
    break;
  case urls::host_type::name:
    break;
  default:
    error = "endpoint.baseUrl has an unsupported host: " + std::string(base_url);
    return std::nullopt;
  }
  ep.host = lower(std::string(u.host_address()));
  if (ep.host.empty()) {
    error = "endpoint.baseUrl has no host: " + std::string(base_url);
    return std::nullopt;
  }
  if (u.host_type() == urls::host_type::name) ep.loopback = ep.host == "localhost" || ep.host == "localhost.";

  if (u.has_port() && !u.port().empty()) {
    if (u.port_number() == 0) {
      error = "endpoint.baseUrl has a bad port: " + std::string(u.port());
      return std::nullopt;
    }
    ep.port = std::to_string(u.port_number());
  } else {
    ep.port = ep.tls ? "443" : "80";
  }

  std::string path(u.encoded_path());
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  ep.base_path = std::move(path);
  // Some gateways (Azure's api-version) want a query on every request: keep it.
  if (u.has_query()) ep.query = std::string(u.encoded_query());
  return ep;
}

std::string request_target(const Endpoint& endpoint, std::string_view path) {
  std::string target = endpoint.base_path;
  target += path;
  if (!endpoint.query.empty()) target += "?" + endpoint.query;
  return target;
}

} // namespace fimlsp::fim
