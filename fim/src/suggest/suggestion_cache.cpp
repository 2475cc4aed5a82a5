#include "fimlsp/fim/suggest/suggestion_cache.hpp"
#include <algorithm>
#include <array>

namespace fimlsp::fim {

namespace {

// Polynomial hash modulo the Mersenne prime 2^61 - 1: sum of (byte + 1) * B^i over a window,
// so that sliding the window one byte costs O(1) and for_each_earlier_anchor can afford
// thousands of anchors per keystroke. Bytes count from 1 so that zero bytes still count.
constexpr std::uint64_t kMod = (std::uint64_t{1} << 61) - 1;
constexpr std::uint64_t kBase = 0x1F3D5B79A2C4E681ull % kMod;

std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  const unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  std::uint64_t r = static_cast<std::uint64_t>(p & kMod) + static_cast<std::uint64_t>(p >> 61);
  return r >= kMod ? r - kMod : r;
}
std::uint64_t add(std::uint64_t a, std::uint64_t b) {
  return a + b >= kMod ? a + b - kMod : a + b;
}
std::uint64_t sub(std::uint64_t a, std::uint64_t b) {
  return a >= b ? a - b : a + kMod - b;
}
std::uint64_t byte_value(char c) {
  return static_cast<unsigned char>(c) + 1u;
}

const std::array<std::uint64_t, kAnchorWindow + 1>& powers() {
  static const auto table = [] {
    std::array<std::uint64_t, kAnchorWindow + 1> t{};
    t[0] = 1;
    for (std::size_t i = 1; i < t.size(); ++i)
      t[i] = mul(t[i - 1], kBase);
    return t;
  }();
  return table;
}

std::uint64_t poly_hash(std::string_view s) {
  std::uint64_t h = 0;
  for (std::size_t i = s.size(); i-- > 0;)
    h = add(mul(h, kBase), byte_value(s[i]));
  return h;
}

bool starts_code_point(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}

} // namespace

AnchorKey anchor_key(std::string_view prefix, std::string_view suffix, std::uint64_t context) {
  const std::size_t window = std::min(prefix.size(), kAnchorWindow);
  return {poly_hash(prefix.substr(prefix.size() - window)), poly_hash(suffix), context};
}

void for_each_earlier_anchor(std::string_view prefix, std::string_view suffix, std::size_t max_back,
                             const std::function<bool(const AnchorKey& key, std::string_view typed)>& visit) {
  for_each_earlier_anchor(prefix, suffix, max_back, 0, visit);
}

void for_each_earlier_anchor(std::string_view prefix, std::string_view suffix, std::size_t max_back,
                             std::uint64_t context,
                             const std::function<bool(const AnchorKey& key, std::string_view typed)>& visit) {
  AnchorKey key = anchor_key(prefix, suffix, context);
  const auto& pow = powers();
  // The window is prefix[begin, end); each step moves `end` one byte back.
  std::size_t end = prefix.size();
  std::size_t begin = end - std::min(end, kAnchorWindow);
  for (std::size_t back = 0;; ++back) {
    if ((end == prefix.size() || starts_code_point(prefix[end])) && visit(key, prefix.substr(end))) return;
    if (back == max_back || end == 0) return;
    const std::size_t len = end - begin;
    key.prefix_hash = sub(key.prefix_hash, mul(byte_value(prefix[end - 1]), pow[len - 1]));
    --end;
    if (begin > 0) {
      --begin;
      key.prefix_hash = add(mul(key.prefix_hash, kBase), byte_value(prefix[begin]));
    }
  }
}

SuggestionCache::SuggestionCache(std::size_t max_entries, std::size_t max_bytes)
    : max_entries_(max_entries), max_bytes_(max_bytes) {}

void SuggestionCache::erase(std::list<Entry>::iterator it) {
  bytes_ -= it->suggestion.size();
  index_.erase(it->key);
  lru_.erase(it);
}

void SuggestionCache::put(const AnchorKey& key, std::string suggestion) {
  if (auto it = index_.find(key); it != index_.end()) erase(it->second);
  if (suggestion.empty() || suggestion.size() > max_bytes_ || max_entries_ == 0) return;
  bytes_ += suggestion.size();
  longest_ = std::max(longest_, suggestion.size());
  lru_.push_front({key, std::move(suggestion)});
  index_.emplace(key, lru_.begin());
  while (lru_.size() > max_entries_ || bytes_ > max_bytes_)
    erase(std::prev(lru_.end()));
}

std::optional<std::string> SuggestionCache::lookup(std::string_view prefix, std::string_view suffix,
                                                   std::uint64_t ctx) {
  if (lru_.empty()) return std::nullopt;
  std::optional<std::string> rest;
  for_each_earlier_anchor(prefix, suffix, longest_, ctx, [&](const AnchorKey& key, std::string_view typed) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    const std::string& s = it->second->suggestion;
    if (s.size() <= typed.size() || !s.starts_with(typed)) return false; // diverged, or all typed
    rest = s.substr(typed.size());
    lru_.splice(lru_.begin(), lru_, it->second);
    return true;
  });
  return rest;
}

void SuggestionCache::clear() {
  lru_.clear();
  index_.clear();
  bytes_ = 0;
  longest_ = 0;
}

std::size_t SuggestionCache::size() const {
  return lru_.size();
}
std::size_t SuggestionCache::bytes() const {
  return bytes_;
}

} // namespace fimlsp::fim
