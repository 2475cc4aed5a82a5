#pragma once
// The inside of a Connection, for the files of fim/src/net that read and write it.
#include "fimlsp/fim/net/connector.hpp"
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>

namespace fimlsp::fim {

struct Connection::Io {
  std::unique_ptr<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls; // one of the two
  std::unique_ptr<boost::beast::tcp_stream> plain;
  boost::beast::flat_buffer buffer;
  bool hostname_mismatch = false; // set by the verify callback, for the error message

  boost::beast::tcp_stream& lowest() { return tls ? boost::beast::get_lowest_layer(*tls) : *plain; }
};

} // namespace fimlsp::fim
