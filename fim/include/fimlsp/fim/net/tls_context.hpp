#pragma once
// The client TLS context: peer verification always on; the system trust store plus endpoint.caFile.
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace fimlsp::fim {

// nullptr with `error` set when `ca_file` cannot be read; a problem with the system trust
// store goes to `warn` (the endpoint may still be trusted through `ca_file`). The same inputs
// (ca_file with its size and mtime, SSL_CERT_FILE, SSL_CERT_DIR) give back the context built
// last time: parsing a bundle costs tens of ms, and editors reconfigure in bursts.
std::shared_ptr<boost::asio::ssl::context>
make_tls_context(const std::optional<std::string>& ca_file, std::string& error,
                 const std::function<void(const std::string&)>& warn);

// Where the trust comes from, for a person: "the system store /etc/ssl/certs + endpoint.caFile F".
std::string describe_trust(const std::optional<std::string>& ca_file);

} // namespace fimlsp::fim
