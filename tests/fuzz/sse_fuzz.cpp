// The SSE parser: any bytes in any split give the same events and fields as in one piece.
#include "fimlsp/fim/net/sse.hpp"
#include "fuzz_input.hpp"
#include <vector>

namespace {
// Every event's data and every other field, in order, as one list.
std::vector<std::string> parse(std::string_view stream, fuzz::Input* splits) {
  std::vector<std::string> seen;
  fimlsp::fim::SseParser sse;
  sse.on_other_field = [&](std::string_view field, std::string_view value) {
    seen.push_back("field " + std::string(field) + "=" + std::string(value));
  };
  auto on_data = [&](std::string_view d) { seen.push_back("data " + std::string(d)); };
  if (splits)
    fuzz::in_pieces(stream, *splits, [&](std::string_view piece) { sse.feed(piece, on_data); });
  else
    sse.feed(stream, on_data);
  sse.finish(on_data);
  return seen;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  std::string splits = in.text(32);
  std::string_view stream = in.rest();
  fuzz::Input choices(reinterpret_cast<const std::uint8_t*>(splits.data()), splits.size());
  FUZZ_CHECK(parse(stream, nullptr) == parse(stream, &choices));
  return 0;
}
