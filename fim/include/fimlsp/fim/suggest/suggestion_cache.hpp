#pragma once
// Typed-ahead: recent suggestions keyed by hashes of the text around the cursor (never a copy
// of the document), so that typing the start of a suggestion is answered with its remainder.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fimlsp::fim {

// Identifies a cursor position by the text around it: a hash of the last kAnchorWindow bytes of
// the prefix and a hash of the whole suffix.
// `context` is the fingerprint of whatever else went into the prompt (other files), 0 for none.
struct AnchorKey {
  std::uint64_t prefix_hash = 0;
  std::uint64_t suffix_hash = 0;
  std::uint64_t context = 0;
  bool operator==(const AnchorKey&) const = default;
};
inline constexpr std::size_t kAnchorWindow = 256;

AnchorKey anchor_key(std::string_view prefix, std::string_view suffix, std::uint64_t context = 0);

// Calls visit(key, typed) for the cursor now and each earlier cursor position up to max_back
// bytes back (only at UTF-8 boundaries), newest first: `key` is the anchor of
// prefix[0, prefix.size() - typed.size()) with the same suffix. Stops when visit returns true.
void for_each_earlier_anchor(std::string_view prefix, std::string_view suffix, std::size_t max_back,
                             const std::function<bool(const AnchorKey& key, std::string_view typed)>& visit);
// The same with the keys' `context` set.
void for_each_earlier_anchor(std::string_view prefix, std::string_view suffix, std::size_t max_back,
                             std::uint64_t context,
                             const std::function<bool(const AnchorKey& key, std::string_view typed)>& visit);

class SuggestionCache {
public:
  SuggestionCache(std::size_t max_entries = 256, std::size_t max_bytes = std::size_t{1} << 20);

  void put(const AnchorKey& key, std::string suggestion);
  // When `prefix` is a cached anchor's prefix followed by text that starts its suggestion
  // (same suffix), the rest of that suggestion; nullopt otherwise (also when nothing is left).
  std::optional<std::string> lookup(std::string_view prefix, std::string_view suffix,
                                    std::uint64_t context = 0);
  void clear();

  std::size_t size() const;  // entries
  std::size_t bytes() const; // suggestion bytes held

private:
  struct Entry {
    AnchorKey key;
    std::string suggestion;
  };
  struct KeyHash {
    std::size_t operator()(const AnchorKey& k) const {
      return k.prefix_hash ^ (k.suffix_hash * 0x9E3779B97F4A7C15ull) ^ (k.context * 0xC2B2AE3D27D4EB4Full);
    }
  };
  void erase(std::list<Entry>::iterator it);

  std::size_t max_entries_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::size_t longest_ = 0; // longest suggestion since clear(): how far back lookup looks
  std::list<Entry> lru_;    // most recently used first
  std::unordered_map<AnchorKey, std::list<Entry>::iterator, KeyHash> index_;
};

} // namespace fimlsp::fim
