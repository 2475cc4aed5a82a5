#include "support/test_certificates.hpp"
#include <memory>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdexcept>

namespace fimlsp::test {

namespace {

template <auto Free> struct Deleter {
  template <class T> void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what + " failed");
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

Cert make_cert(EVP_PKEY* key, const char* cn, long serial, X509* issuer) {
  Cert cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7 * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509* signer = issuer ? issuer : cert.get();
  add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
  add_ext(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  return cert;
}

void sign(X509* cert, EVP_PKEY* key) {
  check(X509_sign(cert, key, EVP_sha256()) > 0, "X509_sign");
}

std::string pem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string pem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "PEM key");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

} // namespace

TestCertificates make_test_certificates(bool wrong_host) {
  // EC keys: generating two RSA keys per test would dominate the test time.
  Key ca_key(EVP_EC_gen("P-256"));
  Key server_key(EVP_EC_gen("P-256"));
  check(ca_key && server_key, "EVP_EC_gen");

  Cert ca = make_cert(ca_key.get(), "fim-lsp test CA", 1, nullptr);
  add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  sign(ca.get(), ca_key.get());

  const char* cn = wrong_host ? "wrong.example" : "127.0.0.1";
  Cert server = make_cert(server_key.get(), cn, 2, ca.get());
  add_ext(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
  add_ext(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  add_ext(server.get(), ca.get(), NID_subject_alt_name,
          wrong_host ? "DNS:wrong.example" : "IP:127.0.0.1,DNS:localhost,DNS:backend.fim.test");
  sign(server.get(), ca_key.get());

  return {pem(ca.get()), pem(server.get()), pem(server_key.get())};
}

} // namespace fimlsp::test
