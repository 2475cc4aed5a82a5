#pragma once
// What the fuzz targets share: a reader that turns the fuzz bytes into choices (structure-aware
// targets), and a check that stops the run on a broken property under libFuzzer and the replay
// driver alike. (libFuzzer's FuzzedDataProvider.h is clang's only, and the replay build is g++'s.)
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                                     \
  do {                                                                                                       \
    if (!(cond)) {                                                                                           \
      std::fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #cond);                       \
      std::abort();                                                                                          \
    }                                                                                                        \
  } while (0)

namespace fuzz {

// Reads the input front to back; past its end every read gives zeros / empty strings.
class Input {
public:
  Input(const std::uint8_t* data, std::size_t size) : bytes_(reinterpret_cast<const char*>(data), size) {}

  bool empty() const { return bytes_.empty(); }
  std::uint8_t byte() {
    if (bytes_.empty()) return 0;
    auto b = static_cast<std::uint8_t>(bytes_.front());
    bytes_.remove_prefix(1);
    return b;
  }
  // A number in [0, bound] (bound < 2^32), from up to four bytes.
  std::uint32_t number(std::uint32_t bound) {
    std::uint32_t v = 0;
    for (std::uint32_t range = bound; range != 0; range >>= 8)
      v = (v << 8) | byte();
    return bound == UINT32_MAX ? v : v % (bound + 1);
  }
  // A string of up to `max` bytes, its length first.
  std::string text(std::size_t max) {
    std::size_t n = std::min<std::size_t>({number(static_cast<std::uint32_t>(max)), bytes_.size()});
    std::string s(bytes_.substr(0, n));
    bytes_.remove_prefix(n);
    return s;
  }
  std::string_view rest() {
    auto r = bytes_;
    bytes_ = {};
    return r;
  }

private:
  std::string_view bytes_;
};

// `bytes` cut into pieces whose lengths the input chooses (each ≥ 1), for split invariance.
template <class Fn> void in_pieces(std::string_view bytes, Input& choices, Fn&& fn) {
  while (!bytes.empty()) {
    std::size_t n = 1 + choices.number(255) % bytes.size();
    fn(bytes.substr(0, n));
    bytes.remove_prefix(n);
  }
}

// Well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
inline bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d >> 6) != 2) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr std::uint32_t min_of[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_of[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

} // namespace fuzz
