#pragma once
// fim's one error convention: boost::system::error_code in the `fim` category (plus, where a
// person needs the detail, a diagnostics string beside it), as Boost.MySQL does.
#include <boost/system/error_code.hpp>
#include <type_traits>

namespace fimlsp::fim {

enum class error {
  cancelled = 1, // the caller's cancellation fired
  timeout,       // connect, first byte or the whole request passed its deadline
  connect,       // name resolution or TCP connect failed
  tls,           // handshake or certificate verification failed
  http_status,   // a non-2xx status
  network,       // the connection dropped mid-request
  malformed,     // unparsable HTTP, SSE or JSON
  backend,       // an error payload inside a 2xx reply
  config,        // bad URL, unreadable CA file, key refused over plain HTTP to a remote host
  proxy,         // the proxy cannot be reached, asks for credentials, refuses or closes the tunnel
};

const boost::system::error_category& fim_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept {
  return {static_cast<int>(e), fim_category()};
}

} // namespace fimlsp::fim

template <> struct boost::system::is_error_code_enum<fimlsp::fim::error> : std::true_type {};
