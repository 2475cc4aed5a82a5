// Base-protocol framing: any bytes in any split give the same bodies as in one piece, never one
// over the cap, and every body framed again reads back as itself.
#include "fimlsp/protocol/framing.hpp"
#include "fuzz_input.hpp"
#include <vector>

namespace {
constexpr std::size_t kCap = 4096; // small, so that the fuzzer reaches the cap

std::vector<std::string> drain(fimlsp::protocol::FrameReader& r) {
  std::vector<std::string> out;
  while (auto body = r.next())
    out.push_back(std::move(*body));
  return out;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using fimlsp::protocol::FrameReader;
  fuzz::Input in(data, size);
  std::string splits = in.text(32);
  std::string_view stream = in.rest();

  FrameReader whole({}, kCap);
  whole.feed(stream);
  auto bodies = drain(whole);

  FrameReader split({}, kCap);
  fuzz::Input choices(reinterpret_cast<const std::uint8_t*>(splits.data()), splits.size());
  std::vector<std::string> split_bodies;
  fuzz::in_pieces(stream, choices, [&](std::string_view piece) {
    split.feed(piece);
    for (auto& b : drain(split))
      split_bodies.push_back(std::move(b));
  });
  FUZZ_CHECK(bodies == split_bodies);

  for (const auto& body : bodies) {
    FUZZ_CHECK(body.size() <= kCap);
    FrameReader again({}, kCap);
    again.feed(fimlsp::protocol::frame(body));
    auto back = drain(again);
    FUZZ_CHECK(back.size() == 1 && back[0] == body);
  }
  return 0;
}
