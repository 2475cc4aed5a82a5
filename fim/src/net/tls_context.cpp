#include "fimlsp/fim/net/tls_context.hpp"
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <openssl/x509.h>
#include <utility>
#include <vector>

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

// Which of the three ways load_system_trust takes.
std::string system_trust() {
  const std::string dir = X509_get_default_cert_dir();
  const char* file_env = std::getenv(X509_get_default_cert_file_env());
  const char* dir_env = std::getenv(X509_get_default_cert_dir_env());
  if (file_env || dir_env) {
    std::string out;
    if (file_env) out += std::string(X509_get_default_cert_file_env()) + "=" + file_env;
    if (dir_env)
      out += (out.empty() ? "" : ", ") + std::string(X509_get_default_cert_dir_env()) + "=" + dir_env;
    return out;
  }
  if (has_hash_links(dir)) return "the system store " + dir;
  return "OpenSSL's default paths " + std::string(X509_get_default_cert_file()) + " and " + dir;
}

// What a context was built from: the same inputs give the same trust, so a configuration
// change (editors send several at start-up) does not parse the trust store again.
struct Inputs {
  std::string ca_file;
  std::filesystem::file_time_type ca_mtime{};
  std::uintmax_t ca_size = 0;
  std::string cert_file_env, cert_dir_env;
  bool operator==(const Inputs&) const = default;
};

Inputs inputs_of(const std::optional<std::string>& ca_file) {
  Inputs in;
  if (ca_file && !ca_file->empty()) {
    in.ca_file = *ca_file;
    std::error_code ec;
    in.ca_mtime = std::filesystem::last_write_time(in.ca_file, ec);
    in.ca_size = std::filesystem::file_size(in.ca_file, ec);
  }
  const char* file = std::getenv(X509_get_default_cert_file_env());
  const char* dir = std::getenv(X509_get_default_cert_dir_env());
  in.cert_file_env = file ? file : "";
  in.cert_dir_env = dir ? dir : "";
  return in;
}

std::shared_ptr<ssl::context> build(const std::optional<std::string>& ca_file, std::string& error,
                                    const std::function<void(const std::string&)>& warn) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  error_code ec;
  ctx->set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1,
                   ec);
  ctx->set_verify_mode(ssl::verify_peer, ec);
  // The CA file first: a bad one fails before the system store is parsed.
  if (ca_file && !ca_file->empty()) {
    ctx->load_verify_file(*ca_file, ec);
    if (ec) {
      error = "cannot read endpoint.caFile " + *ca_file + ": " + ec.message();
      return nullptr;
    }
  }
  load_system_trust(*ctx, ec);
  if (ec && warn) warn("cannot load the system trust store: " + ec.message());
  return ctx;
}

} // namespace

std::string describe_trust(const std::optional<std::string>& ca_file) {
  std::string out = system_trust();
  if (ca_file && !ca_file->empty()) out += " + endpoint.caFile " + *ca_file;
  return out;
}

std::shared_ptr<ssl::context> make_tls_context(const std::optional<std::string>& ca_file, std::string& error,
                                               const std::function<void(const std::string&)>& warn) {
  // The context is never changed after it is built (verification is set per stream), so
  // connections of several configurations may share it. A few are kept: settings may switch
  // back and forth between CA files.
  static std::mutex mutex;
  static std::vector<std::pair<Inputs, std::shared_ptr<ssl::context>>> recent; // newest last
  constexpr std::size_t kKept = 4;
  Inputs in = inputs_of(ca_file);
  std::lock_guard lock(mutex);
  for (auto it = recent.begin(); it != recent.end(); ++it)
    if (it->first == in) {
      auto ctx = it->second;
      std::rotate(it, it + 1, recent.end());
      return ctx;
    }
  auto ctx = build(ca_file, error, warn);
  if (!ctx) return nullptr;
  if (recent.size() == kKept) recent.erase(recent.begin());
  recent.emplace_back(std::move(in), ctx);
  return ctx;
}

} // namespace fimlsp::fim
