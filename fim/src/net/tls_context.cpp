#include "fimlsp/fim/net/tls_context.hpp"
#include <cstdlib>
#include <filesystem>
#include <openssl/x509.h>

namespace fimlsp::fim {

namespace ssl = boost::asio::ssl;
using boost::system::error_code;

namespace {

bool has_hash_links(const std::string& dir) {
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() == 10 && name.ends_with(".0") && name.find_first_not_of("0123456789abcdef") == 8)
      return true;
  }
  return false;
}

// The system trust store. OpenSSL's default paths parse the whole bundle file (25-35 ms for
// Debian's) on every configure, delaying the first request; the hashed directory
// (c_rehash links, as Debian's ca-certificates keeps) is read lazily, one certificate per
// handshake. SSL_CERT_FILE / SSL_CERT_DIR, when set, are honoured exactly as OpenSSL would.
void load_system_trust(ssl::context& ctx, error_code& ec) {
  const std::string dir = X509_get_default_cert_dir();
  if (std::getenv(X509_get_default_cert_file_env()) || std::getenv(X509_get_default_cert_dir_env()) ||
      !has_hash_links(dir))
    return (void)ctx.set_default_verify_paths(ec);
  ctx.add_verify_path(dir, ec);
}

} // namespace

std::shared_ptr<ssl::context> make_tls_context(const std::optional<std::string>& ca_file, std::string& error,
                                               const std::function<void(const std::string&)>& warn) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  error_code ec;
  ctx->set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1,
                   ec);
  ctx->set_verify_mode(ssl::verify_peer, ec);
  load_system_trust(*ctx, ec);
  if (ec && warn) warn("cannot load the system trust store: " + ec.message());
  if (ca_file && !ca_file->empty()) {
    ctx->load_verify_file(*ca_file, ec);
    if (ec) {
      error = "cannot read endpoint.caFile " + *ca_file + ": " + ec.message();
      return nullptr;
    }
  }
  return ctx;
}

} // namespace fimlsp::fim
