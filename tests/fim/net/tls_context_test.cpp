#include "fimlsp/fim/net/tls_context.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::fim;

TEST_CASE("tls context: rebuilt only when what it trusts may have changed") {
  fimlsp::test::TempDir dir;
  const auto certs = fimlsp::test::make_test_certificates(false);
  const std::string ca = dir.write("ca.pem", certs.ca_pem);
  std::string error;
  auto first = make_tls_context(ca, error, {});
  REQUIRE(first);
  CHECK(make_tls_context(ca, error, {}) == first);

  const auto other = fimlsp::test::make_test_certificates(false);
  dir.write("ca.pem", other.ca_pem + other.ca_pem); // another CA under the same name
  auto second = make_tls_context(ca, error, {});
  REQUIRE(second);
  CHECK(second != first);
  CHECK(make_tls_context(std::nullopt, error, {}) != second);

  error.clear();
  CHECK_FALSE(make_tls_context(dir.path() + "/missing.pem", error, {}));
  CHECK(error.find("caFile") != std::string::npos);
}
