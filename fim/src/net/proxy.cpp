#include "fimlsp/fim/net/proxy.hpp"
#include <algorithm>
#include <array>
#include <boost/algorithm/string/case_conv.hpp>
#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <openssl/evp.h>

namespace fimlsp::fim {

namespace urls = boost::urls;

namespace {

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// An IP address as 16 bytes (IPv4 mapped into IPv6), so that both families compare alike.
std::optional<std::array<unsigned char, 16>> ip_bytes(std::string_view s) {
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (auto v4 = urls::parse_ipv4_address(s)) return urls::ipv6_address(*v4).to_bytes();
  if (auto v6 = urls::parse_ipv6_address(s)) return v6->to_bytes();
  return std::nullopt;
}

bool same_prefix(const std::array<unsigned char, 16>& a, const std::array<unsigned char, 16>& b, int bits) {
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

// One NO_PROXY entry (lower case, trimmed) against the endpoint's host (lower case, no brackets).
bool entry_matches(std::string_view entry, std::string_view host, std::string_view port) {
  if (entry == "*") return true;
  // Split off ":port": "[v6]:port", "name:port", "v4:port"; a bare IPv6 address has several colons.
  std::string_view name = entry, want_port;
  if (entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string_view::npos) return false;
    name = entry.substr(1, close - 1);
    if (entry.size() > close + 1) {
      if (entry[close + 1] != ':') return false;
      want_port = entry.substr(close + 2);
    }
  } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
    const auto colon = entry.find(':');
    name = entry.substr(0, colon);
    want_port = entry.substr(colon + 1);
  }
  if (!want_port.empty() && want_port != port) return false;

  const auto host_ip = ip_bytes(host);
  // A CIDR range: 10.0.0.0/8, fd00::/8.
  if (const auto slash = name.find('/'); slash != std::string_view::npos) {
    const auto net = ip_bytes(name.substr(0, slash));
    int bits = -1;
    const auto digits = name.substr(slash + 1);
    std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (!net || !host_ip || bits < 0) return false;
    const bool v4 = urls::parse_ipv4_address(name.substr(0, slash)).has_value();
    if (v4) bits += 96;
    return bits <= 128 && same_prefix(*net, *host_ip, bits);
  }
  if (const auto ip = ip_bytes(name)) return host_ip && *ip == *host_ip;

  // A domain: itself and every name under it, with or without the leading dot.
  while (!name.empty() && name.front() == '.')
    name.remove_prefix(1);
  while (!name.empty() && name.back() == '.')
    name.remove_suffix(1);
  while (!host.empty() && host.back() == '.')
    host.remove_suffix(1);
  if (name.empty() || host_ip) return false;
  return host == name ||
         (host.size() > name.size() && host.ends_with(name) && host[host.size() - name.size() - 1] == '.');
}

std::optional<std::string> first_set(const EnvLookup& env, std::initializer_list<const char*> names,
                                     std::string& which) {
  for (const char* n : names)
    if (auto v = env(n); v && !v->empty()) {
      which = n;
      return v;
    }
  return std::nullopt;
}

} // namespace

std::optional<Proxy> parse_proxy(std::string_view url, std::string& error) {
  std::string text(url);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  // curl's reading: no scheme means http://.
  if (text.find("://") == std::string::npos) text = "http://" + text;
  const std::string scheme = boost::algorithm::to_lower_copy(std::string(text.substr(0, text.find("://"))));
  if (scheme == "https") {
    error = "is an https:// URL (TLS to the proxy itself), which fim-lsp does not support: use the "
            "proxy's http:// address (the connection to an https:// endpoint stays TLS inside the tunnel)";
    return std::nullopt;
  }
  if (scheme != "http") {
    error = "is a " + scheme + ":// URL: fim-lsp supports only http:// proxies";
    return std::nullopt;
  }
  auto parsed = urls::parse_uri(text);
  if (!parsed) {
    error = "is not a proxy URL (expected http://[user:password@]host[:port])";
    return std::nullopt;
  }
  const urls::url_view& u = *parsed;
  Proxy p;
  switch (u.host_type()) {
  case urls::host_type::name:
  case urls::host_type::ipv4:
  case urls::host_type::ipv6:
    break;
  default:
    error = "has an unsupported host (expected http://[user:password@]host[:port])";
    return std::nullopt;
  }
  p.host = boost::algorithm::to_lower_copy(std::string(u.host_address()));
  if (p.host.empty()) {
    error = "has no host (expected http://[user:password@]host[:port])";
    return std::nullopt;
  }
  if (u.has_port() && !u.port().empty()) {
    if (u.port_number() == 0) {
      error = "has a bad port: " + std::string(u.port());
      return std::nullopt;
    }
    p.port = std::to_string(u.port_number());
  } else {
    p.port = "1080";
  }
  if (u.has_userinfo()) p.authorization = "Basic " + base64(u.user() + ":" + u.password());
  const std::string host = p.host.find(':') != std::string::npos ? "[" + p.host + "]" : p.host;
  p.shown = "http://" + host + ":" + p.port;
  return p;
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view host, std::string_view port) {
  const std::string h = boost::algorithm::to_lower_copy(std::string(host));
  const std::string list = boost::algorithm::to_lower_copy(std::string(no_proxy));
  std::size_t i = 0;
  while (i < list.size()) {
    const auto end = list.find_first_of(", \t", i);
    const std::string_view entry = std::string_view(list).substr(i, end == std::string::npos ? end : end - i);
    if (!entry.empty() && entry_matches(entry, h, port)) return true;
    if (end == std::string::npos) break;
    i = end + 1;
  }
  return false;
}

EnvLookup process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

std::string proxy_refusal(const Proxy& p, std::string_view to, int status, std::string_view reason) {
  const std::string who = "the proxy " + p.shown + " (from " + p.source + ")";
  const std::string got =
      " (HTTP " + std::to_string(status) + (reason.empty() ? "" : " " + std::string(reason)) + ")";
  if (status == 407 && p.authorization.empty())
    return who + " asks for a user name and password" + got + ": put them in " + p.source +
           " as http://user:password@" + p.shown.substr(7) + " (percent-encode special characters)";
  if (status == 407)
    return who + " refused the user name and password in its URL" + got + ": correct them in " + p.source +
           " (percent-encode special characters)";
  const std::string dest(to);
  return who + " refused the tunnel to " + dest + got + ": ask its administrators to allow CONNECT to " +
         dest + ", or, if the endpoint is reachable without the proxy, add its host to NO_PROXY or set " +
         "endpoint.proxy to \"\"";
}

ProxyChoice choose_proxy(const Endpoint& endpoint, const std::optional<std::string>& setting,
                         const EnvLookup& env) {
  ProxyChoice c;
  std::string url, source;
  if (setting) {
    if (setting->empty()) {
      c.reason = "no proxy: endpoint.proxy is \"\"";
      return c;
    }
    url = *setting;
    source = "endpoint.proxy";
  } else {
    auto found = endpoint.tls
                     ? first_set(env, {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}, source)
                     : first_set(env, {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"}, source);
    if (!found) return c;
    url = std::move(*found);
  }
  if (endpoint.loopback) {
    c.reason = "no proxy for " + endpoint.host + ": a loopback endpoint is reached directly";
    return c;
  }
  std::string which;
  if (auto list = first_set(env, {"no_proxy", "NO_PROXY"}, which);
      list && no_proxy_matches(*list, endpoint.host, endpoint.port)) {
    c.reason = "no proxy for " + endpoint.host + ": " + which + " lists it";
    return c;
  }
  std::string error;
  c.proxy = parse_proxy(url, error);
  if (!c.proxy) {
    c.error =
        "the proxy URL in " + source + " " + error + "; or set endpoint.proxy to \"\" to connect directly";
    return c;
  }
  c.proxy->source = source;
  c.reason = "proxy " + c.proxy->shown + " (from " + source + ") for " + endpoint.host + ":" + endpoint.port;
  return c;
}

} // namespace fimlsp::fim
