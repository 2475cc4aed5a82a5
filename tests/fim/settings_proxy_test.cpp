// endpoint.proxy: unset by default, "" for none, an http:// URL checked when it is set.
#include "fimlsp/fim/settings.hpp"
#include <boost/json/parse.hpp>
#include <doctest/doctest.h>

using namespace fimlsp::fim;
namespace json = boost::json;

TEST_CASE("settings: endpoint.proxy") {
  const Settings base;
  CHECK_FALSE(base.endpoint.proxy);

  auto r = apply_settings(base, json::parse(R"({"endpoint": {"proxy": "http://u:p@proxy.corp:3128"}})"));
  REQUIRE(r.settings);
  CHECK(r.settings->endpoint.proxy == "http://u:p@proxy.corp:3128");
  CHECK(r.warnings.empty());

  r = apply_settings(*r.settings, json::parse(R"({"endpoint": {"proxy": ""}})"));
  REQUIRE(r.settings);
  CHECK(r.settings->endpoint.proxy == "");

  r = apply_settings(*r.settings, json::parse(R"({"endpoint": {"proxy": null}})"));
  REQUIRE(r.settings);
  CHECK_FALSE(r.settings->endpoint.proxy);
}

TEST_CASE("settings: a bad endpoint.proxy is refused, naming the key, never the password") {
  const Settings base;
  struct Case {
    const char* json;
    const char* says;
  };
  for (const Case& c :
       {Case{R"({"endpoint": {"proxy": "https://u:s3cret@proxy:3128"}})",
             "endpoint.proxy: is an https:// URL (TLS to the proxy itself), which fim-lsp does "
             "not support"},
        Case{R"({"endpoint": {"proxy": "socks5://u:s3cret@proxy:1080"}})",
             "endpoint.proxy: is a socks5:// URL: fim-lsp supports only http:// proxies"},
        Case{R"({"endpoint": {"proxy": 3128}})",
             "endpoint.proxy: must be an http:// proxy URL, or \"\" for none"}}) {
    CAPTURE(c.json);
    auto r = apply_settings(base, json::parse(c.json));
    CHECK_FALSE(r.settings);
    CHECK(r.error.starts_with(c.says));
    CHECK(r.error.find("s3cret") == std::string::npos);
  }
}
