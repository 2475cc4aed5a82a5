#pragma once
// A connection Target for a base URL, as HttpClient::configure makes one (tests of fim/net).
#include "fimlsp/fim/net/connector.hpp"
#include "fimlsp/fim/net/tls_context.hpp"
#include <doctest/doctest.h>
#include <memory>
#include <optional>
#include <string>

namespace fimlsp::test {

inline std::shared_ptr<const fim::Target> target_for(const std::string& base_url,
                                                     std::optional<std::string> ca_file) {
  std::string error;
  auto ep = fim::parse_endpoint(base_url, error);
  REQUIRE(ep);
  auto t = std::make_shared<fim::Target>();
  t->endpoint = *ep;
  if (ep->tls) {
    t->ctx = fim::make_tls_context(ca_file, error, [](const std::string&) {});
    REQUIRE(t->ctx);
  }
  return t;
}

} // namespace fimlsp::test
