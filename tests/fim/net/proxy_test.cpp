// Which proxy an endpoint goes through: proxy URLs, the NO_PROXY matrix, and the order of the
// setting and the environment's variables.
#include "fimlsp/fim/net/proxy.hpp"
#include <doctest/doctest.h>
#include <map>

using namespace fimlsp::fim;

namespace {

Endpoint endpoint(const std::string& url) {
  std::string error;
  auto ep = parse_endpoint(url, error);
  REQUIRE_MESSAGE(ep, error);
  return *ep;
}

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

} // namespace

TEST_CASE("proxy URL: host, port, credentials; what is shown never holds them") {
  std::string error;
  auto p = parse_proxy("http://alice:p%40ss%20w%3Ard@Proxy.Corp.Example:3128/", error);
  REQUIRE_MESSAGE(p, error);
  CHECK(p->host == "proxy.corp.example");
  CHECK(p->port == "3128");
  CHECK(p->authorization == "Basic YWxpY2U6cEBzcyB3OnJk"); // alice:p@ss w:rd, percent-decoded
  CHECK(p->shown == "http://proxy.corp.example:3128");

  p = parse_proxy("proxy.corp.example", error); // no scheme: http://, curl's default port
  REQUIRE(p);
  CHECK(p->port == "1080");
  CHECK(p->authorization.empty());
  p = parse_proxy("HTTP://alice@[::1]:8080", error);
  REQUIRE(p);
  CHECK(p->host == "::1");
  CHECK(p->shown == "http://[::1]:8080");
  CHECK(p->authorization == "Basic YWxpY2U6");
}

TEST_CASE("proxy URL: refused with a reason that never repeats the password") {
  struct Case {
    const char* url;
    const char* says;
  };
  for (const Case& c :
       {Case{"https://alice:s3cret@proxy:3128", "is an https:// URL (TLS to the proxy itself)"},
        Case{"socks5://alice:s3cret@proxy:1080", "is a socks5:// URL"},
        Case{"http://alice:s3cret@proxy:0", "has a bad port"},
        Case{"http://alice:s3cret@:3128", "has no host"},
        Case{"http://alice:s3cret@pro xy:3128", "is not a proxy URL"}}) {
    CAPTURE(c.url);
    std::string error;
    CHECK_FALSE(parse_proxy(c.url, error));
    CHECK(error.find(c.says) != std::string::npos);
    CHECK(error.find("s3cret") == std::string::npos);
  }
}

TEST_CASE("NO_PROXY matrix") {
  struct Case {
    const char* no_proxy;
    const char* host;
    const char* port;
    bool direct;
  };
  const Case cases[] = {
      {"", "api.example.com", "443", false},
      {"*", "api.example.com", "443", true},
      {"example.com", "example.com", "443", true},
      {"example.com", "api.example.com", "443", true},  // a domain covers its subdomains
      {".example.com", "api.example.com", "443", true}, // with or without the leading dot
      {".example.com", "example.com", "443", true},
      {"example.com", "badexample.com", "443", false}, // a suffix only at a dot
      {"example.com", "example.com.evil.net", "443", false},
      {"EXAMPLE.com.", "Api.Example.COM", "443", true}, // case and a trailing dot do not matter
      {"corp.example, example.com", "x.example.com", "443", true},
      {"corp.example example.com", "x.example.com", "443", true}, // spaces separate too
      {" corp.example ,, example.org ", "example.org", "443", true},
      {"corp.example", "example.com", "443", false},
      {"example.com:443", "example.com", "443", true}, // an entry with a port matches only that port
      {"example.com:8443", "example.com", "443", false},
      {".example.com:443", "api.example.com", "443", true},
      {"10.1.2.3", "10.1.2.3", "443", true}, // IP addresses, exactly
      {"10.1.2.3", "10.1.2.4", "443", false},
      {"10.1.2.3:443", "10.1.2.3", "443", true},
      {"10.1.2.3:80", "10.1.2.3", "443", false},
      {"10.0.0.0/8", "10.200.3.4", "443", true}, // CIDR ranges
      {"10.0.0.0/8", "11.0.0.1", "443", false},
      {"192.168.1.0/24", "192.168.1.77", "443", true},
      {"192.168.1.0/24", "192.168.2.1", "443", false},
      {"2001:db8::1", "2001:db8::1", "443", true},
      {"[2001:db8::1]:443", "2001:db8::1", "443", true},
      {"[2001:db8::1]:8443", "2001:db8::1", "443", false},
      {"2001:db8::/32", "2001:db8:ffff::9", "443", true},
      {"2001:db8::/32", "2001:db9::9", "443", false},
      {"3.1.2.3", "4.3.1.2.3", "443", false}, // an address is not a domain suffix
      {".", "example.com", "443", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.no_proxy);
    CAPTURE(c.host);
    CAPTURE(c.port);
    CHECK(no_proxy_matches(c.no_proxy, c.host, c.port) == c.direct);
  }
}

TEST_CASE("proxy choice: variables by scheme, lower case first, ALL_PROXY last; the setting overrides") {
  const auto https = endpoint("https://api.example.com/v1");
  const auto http = endpoint("http://models.example.com:8000/v1");
  struct Case {
    const char* name;
    std::map<std::string, std::string> env;
    std::optional<std::string> setting;
    std::optional<std::string> https_proxy, http_proxy; // the host each endpoint goes through
  };
  const std::vector<Case> cases{
      {"none", {}, std::nullopt, std::nullopt, std::nullopt},
      {"HTTPS_PROXY is for https only", {{"HTTPS_PROXY", "s:1"}}, std::nullopt, "s", std::nullopt},
      {"HTTP_PROXY is for http only", {{"HTTP_PROXY", "h:1"}}, std::nullopt, std::nullopt, "h"},
      {"lower case wins",
       {{"https_proxy", "lo:1"}, {"HTTPS_PROXY", "up:1"}},
       std::nullopt,
       "lo",
       std::nullopt},
      {"ALL_PROXY for both", {{"ALL_PROXY", "a:1"}}, std::nullopt, "a", "a"},
      {"all_proxy lower case", {{"all_proxy", "a:1"}}, std::nullopt, "a", "a"},
      {"the scheme's variable before ALL_PROXY",
       {{"ALL_PROXY", "a:1"}, {"https_proxy", "s:1"}},
       std::nullopt,
       "s",
       "a"},
      {"an empty variable is unset", {{"https_proxy", ""}, {"ALL_PROXY", "a:1"}}, std::nullopt, "a", "a"},
      {"the setting overrides", {{"HTTPS_PROXY", "s:1"}, {"HTTP_PROXY", "h:1"}}, "set:1", "set", "set"},
      {"\"\" turns it off", {{"HTTPS_PROXY", "s:1"}, {"ALL_PROXY", "a:1"}}, "", std::nullopt, std::nullopt},
      {"NO_PROXY applies to the variables",
       {{"HTTPS_PROXY", "s:1"}, {"NO_PROXY", "api.example.com"}},
       std::nullopt,
       std::nullopt,
       std::nullopt},
      {"no_proxy lower case",
       {{"ALL_PROXY", "a:1"}, {"no_proxy", ".example.com"}},
       std::nullopt,
       std::nullopt,
       std::nullopt},
      {"NO_PROXY applies to the setting too, as curl",
       {{"NO_PROXY", "models.example.com"}},
       "set:1",
       "set",
       std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const auto env = env_of(c.env);
    auto got = choose_proxy(https, c.setting, env);
    CHECK(got.error.empty());
    CHECK((got.proxy ? std::optional(got.proxy->host) : std::nullopt) == c.https_proxy);
    got = choose_proxy(http, c.setting, env);
    CHECK((got.proxy ? std::optional(got.proxy->host) : std::nullopt) == c.http_proxy);
  }
}

TEST_CASE("proxy choice: where it came from, for messages and the log") {
  auto got = choose_proxy(endpoint("https://api.example.com/v1"), std::nullopt,
                          env_of({{"HTTPS_PROXY", "http://u:secret@proxy:3128"}}));
  REQUIRE(got.proxy);
  CHECK(got.proxy->source == "HTTPS_PROXY");
  CHECK(got.reason == "proxy http://proxy:3128 (from HTTPS_PROXY) for api.example.com:443");
  got = choose_proxy(endpoint("https://api.example.com/v1"), "http://proxy:3128", env_of({}));
  REQUIRE(got.proxy);
  CHECK(got.proxy->source == "endpoint.proxy");
  got = choose_proxy(endpoint("https://api.example.com/v1"), std::nullopt,
                     env_of({{"HTTPS_PROXY", "proxy:3128"}, {"NO_PROXY", "example.com"}}));
  CHECK_FALSE(got.proxy);
  CHECK(got.reason == "no proxy for api.example.com: NO_PROXY lists it");
}

TEST_CASE("proxy choice: loopback endpoints never use the proxy") {
  for (const char* url : {"https://127.0.0.1:8443/v1", "http://localhost:11434/v1", "http://127.9.9.9/v1",
                          "https://[::1]:8012"}) {
    CAPTURE(url);
    for (const std::optional<std::string>& setting :
         {std::optional<std::string>(), std::optional<std::string>("p:1")}) {
      auto got = choose_proxy(endpoint(url), setting, env_of({{"HTTPS_PROXY", "p:1"}, {"ALL_PROXY", "p:1"}}));
      CHECK_FALSE(got.proxy);
      CHECK(got.error.empty());
      CHECK(got.reason.find("loopback") != std::string::npos);
    }
  }
}

TEST_CASE("proxy choice: an unusable proxy variable is an error with the fix, without the password") {
  auto got = choose_proxy(endpoint("https://api.example.com/v1"), std::nullopt,
                          env_of({{"HTTPS_PROXY", "https://u:secret@proxy:3128"}}));
  CHECK_FALSE(got.proxy);
  CHECK(
      got.error ==
      "the proxy URL in HTTPS_PROXY is an https:// URL (TLS to the proxy itself), which fim-lsp does not "
      "support: use the proxy's http:// address (the connection to an https:// endpoint stays TLS inside the "
      "tunnel); or set endpoint.proxy to \"\" to connect directly");
  got = choose_proxy(endpoint("https://api.example.com/v1"), std::nullopt,
                     env_of({{"all_proxy", "socks5h://u:secret@proxy:1080"}}));
  CHECK(
      got.error.starts_with("the proxy URL in all_proxy is a socks5h:// URL: fim-lsp supports only http://"));
  CHECK(got.error.find("secret") == std::string::npos);
}
