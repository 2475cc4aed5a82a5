#include "fimlsp/fim/net/endpoint.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::fim;

TEST_CASE("endpoint: DashScope's default base URL") {
  std::string error;
  auto ep = parse_endpoint("https://dashscope.aliyuncs.com/compatible-mode/v1", error);
  REQUIRE(ep);
  CHECK(ep->tls);
  CHECK(ep->host == "dashscope.aliyuncs.com");
  CHECK(ep->port == "443");
  CHECK(request_target(*ep, "/completions") == "/compatible-mode/v1/completions");
  CHECK_FALSE(ep->loopback);
}

TEST_CASE("endpoint: ports, trailing slashes, queries and loopback hosts") {
  std::string error;
  auto a = parse_endpoint("http://localhost:8080/v1/", error);
  REQUIRE(a);
  CHECK_FALSE(a->tls);
  CHECK(a->port == "8080");
  CHECK(request_target(*a, "/completions") == "/v1/completions");
  CHECK(a->loopback);

  auto b = parse_endpoint("http://127.3.4.5", error);
  REQUIRE(b);
  CHECK(b->port == "80");
  CHECK(b->base_path.empty());
  CHECK(request_target(*b, "/completions") == "/completions");
  CHECK(b->loopback);

  auto c = parse_endpoint("https://[::1]:8443/v1", error);
  REQUIRE(c);
  CHECK(c->host == "::1");
  CHECK(c->loopback);

  auto d = parse_endpoint("https://Example.COM/openai?api-version=1", error);
  REQUIRE(d);
  CHECK(d->host == "example.com");
  CHECK(d->query == "api-version=1");
  CHECK(request_target(*d, "/completions") == "/openai/completions?api-version=1");
  CHECK_FALSE(d->loopback);

  auto e = parse_endpoint("http://128.0.0.1/v1", error);
  REQUIRE(e);
  CHECK_FALSE(e->loopback);
  auto f = parse_endpoint("http://localhost.example.com/v1", error);
  REQUIRE(f);
  CHECK_FALSE(f->loopback);
}

TEST_CASE("endpoint: what is refused says why") {
  for (const char* bad :
       {"ftp://host/v1", "not a url", "https://user:secret@host/v1", "https:///v1", "https://host:0/"}) {
    CAPTURE(bad);
    std::string error;
    CHECK_FALSE(parse_endpoint(bad, error));
    CHECK_FALSE(error.empty());
  }
}
