#pragma once
// A throw-away CA and a server certificate signed by it, made with OpenSSL 3 at start-up.
#include <string>

namespace fimlsp::test {

struct TestCertificates {
  std::string ca_pem;          // the CA certificate (what clients trust)
  std::string server_cert_pem; // for 127.0.0.1, localhost and backend.fim.test (reached through the
                               // test proxy), or only "wrong.example"
  std::string server_key_pem;
};

TestCertificates make_test_certificates(bool wrong_host);

} // namespace fimlsp::test
