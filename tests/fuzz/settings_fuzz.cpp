// The settings schema: any JSON is accepted or refused with the key named, never thrown on, and
// settings it accepts are accepted again when applied on top of themselves with nothing new.
#include "fimlsp/fim/settings.hpp"
#include "fuzz_input.hpp"
#include <boost/json/parse.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  auto v = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  auto result = fimlsp::fim::apply_settings(fimlsp::fim::Settings{}, v);
  FUZZ_CHECK(result.settings.has_value() == result.error.empty());
  if (result.settings) {
    auto again = fimlsp::fim::apply_settings(*result.settings, boost::json::object{});
    FUZZ_CHECK(again.settings.has_value());
  }
  return 0;
}
