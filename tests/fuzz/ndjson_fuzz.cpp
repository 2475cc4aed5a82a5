// The NDJSON framing: any bytes in any split give the same lines as in one piece, none blank,
// none holding a line end.
#include "fimlsp/fim/net/ndjson.hpp"
#include "fuzz_input.hpp"
#include <vector>

namespace {
std::vector<std::string> parse(std::string_view stream, fuzz::Input* splits) {
  std::vector<std::string> lines;
  fimlsp::fim::NdjsonParser nd;
  auto on_line = [&](std::string_view l) { lines.emplace_back(l); };
  if (splits)
    fuzz::in_pieces(stream, *splits, [&](std::string_view piece) { nd.feed(piece, on_line); });
  else
    nd.feed(stream, on_line);
  nd.finish(on_line);
  return lines;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  std::string splits = in.text(32);
  std::string_view stream = in.rest();
  fuzz::Input choices(reinterpret_cast<const std::uint8_t*>(splits.data()), splits.size());
  auto lines = parse(stream, nullptr);
  FUZZ_CHECK(lines == parse(stream, &choices));
  for (const auto& l : lines)
    FUZZ_CHECK(!l.empty() && l.find('\n') == std::string::npos);
  return 0;
}
