#include "fimlsp/fim/error.hpp"
#include <string>

namespace fimlsp::fim {

namespace {

class Category final : public boost::system::error_category {
public:
  const char* name() const noexcept override { return "fim"; }
  std::string message(int ev) const override {
    switch (static_cast<error>(ev)) {
    case error::cancelled:
      return "cancelled";
    case error::timeout:
      return "timeout";
    case error::connect:
      return "connect";
    case error::tls:
      return "tls";
    case error::http_status:
      return "http status";
    case error::network:
      return "network";
    case error::malformed:
      return "malformed reply";
    case error::backend:
      return "backend error";
    case error::config:
      return "configuration";
    case error::proxy:
      return "proxy";
    }
    return "unknown fim error";
  }
};

} // namespace

const boost::system::error_category& fim_category() noexcept {
  static const Category category;
  return category;
}

} // namespace fimlsp::fim
