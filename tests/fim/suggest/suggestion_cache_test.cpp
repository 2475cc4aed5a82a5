#include "fimlsp/fim/suggest/suggestion_cache.hpp"
#include <doctest/doctest.h>
#include <string>
#include <vector>

namespace fimlsp::test {

using fim::anchor_key;
using fim::AnchorKey;
using fim::SuggestionCache;

namespace {

const std::string kPrefix = "def add(a, b):\n    ";
const std::string kSuffix = "\n\nprint(add(1, 2))\n";

} // namespace

TEST_CASE("cache: the same cursor gets the whole suggestion") {
  SuggestionCache cache;
  CHECK_FALSE(cache.lookup(kPrefix, kSuffix));
  cache.put(anchor_key(kPrefix, kSuffix), "return a + b");
  CHECK(cache.lookup(kPrefix, kSuffix) == "return a + b");
  CHECK(cache.size() == 1);
  CHECK(cache.bytes() == 12);
}

TEST_CASE("cache: typing the start of a suggestion is answered with exactly the rest") {
  SuggestionCache cache;
  cache.put(anchor_key(kPrefix, kSuffix), "return a + b");
  CHECK(cache.lookup(kPrefix + "r", kSuffix) == "eturn a + b");
  CHECK(cache.lookup(kPrefix + "return a ", kSuffix) == "+ b");
  CHECK(cache.lookup(kPrefix + "return a + ", kSuffix) == "b");
  // Everything typed: nothing left to suggest.
  CHECK_FALSE(cache.lookup(kPrefix + "return a + b", kSuffix));
  // Typing that diverges, or typing past the suggestion.
  CHECK_FALSE(cache.lookup(kPrefix + "retx", kSuffix));
  CHECK_FALSE(cache.lookup(kPrefix + "return a + b;", kSuffix));
  CHECK_FALSE(cache.lookup(kPrefix + "x", kSuffix));
  // The text after the cursor changed.
  CHECK_FALSE(cache.lookup(kPrefix + "r", kSuffix + "x"));
  CHECK_FALSE(cache.lookup(kPrefix, ""));
  // The text before the anchor changed (within the hashed window).
  CHECK_FALSE(cache.lookup("def sub(a, b):\n    r", kSuffix));
}

TEST_CASE("cache: typed-ahead through multi-byte text") {
  SuggestionCache cache;
  const std::string prefix = "s = \"";
  cache.put(anchor_key(prefix, "\"\n"), "你好😀世界");
  CHECK(cache.lookup(prefix + "你", "\"\n") == "好😀世界");
  CHECK(cache.lookup(prefix + "你好😀", "\"\n") == "世界");
  CHECK_FALSE(cache.lookup(prefix + "你们", "\"\n"));
}

TEST_CASE("cache: the nearest earlier cursor that still matches wins") {
  SuggestionCache cache;
  cache.put(anchor_key(kPrefix, kSuffix), "return a + b");
  cache.put(anchor_key(kPrefix + "ret", kSuffix), "urn 0");
  CHECK(cache.lookup(kPrefix + "retu", kSuffix) == "rn 0");
  // Diverged from the newer suggestion, still on the older one.
  CHECK(cache.lookup(kPrefix + "return a", kSuffix) == " + b");
}

TEST_CASE("cache: bounded by entries, least recently used out first") {
  SuggestionCache cache(3, 1 << 20);
  for (int i = 0; i < 3; ++i)
    cache.put(anchor_key("p" + std::to_string(i), ""), "s" + std::to_string(i));
  CHECK(cache.size() == 3);
  CHECK(cache.lookup("p0", "") == "s0"); // p0 is now the most recently used
  cache.put(anchor_key("p3", ""), "s3");
  CHECK(cache.size() == 3);
  CHECK_FALSE(cache.lookup("p1", ""));
  CHECK(cache.lookup("p0", "") == "s0");
  CHECK(cache.lookup("p2", "") == "s2");
  CHECK(cache.lookup("p3", "") == "s3");
  for (int i = 0; i < 100; ++i)
    cache.put(anchor_key("q" + std::to_string(i), ""), "x");
  CHECK(cache.size() == 3);
  CHECK(cache.bytes() == 3);
}

TEST_CASE("cache: bounded by bytes") {
  SuggestionCache cache(100, 10);
  cache.put(anchor_key("a", ""), "1234");
  cache.put(anchor_key("b", ""), "5678");
  CHECK(cache.bytes() == 8);
  cache.put(anchor_key("c", ""), "9012");
  CHECK(cache.bytes() == 8);
  CHECK(cache.size() == 2);
  CHECK_FALSE(cache.lookup("a", ""));
  // Larger than the whole budget: not kept, and the rest stays.
  cache.put(anchor_key("d", ""), "0123456789A");
  CHECK(cache.size() == 2);
  CHECK_FALSE(cache.lookup("d", ""));
  // Exactly the budget: everything else makes room.
  cache.put(anchor_key("e", ""), "0123456789");
  CHECK(cache.size() == 1);
  CHECK(cache.bytes() == 10);
  CHECK(cache.lookup("e", "") == "0123456789");
}

TEST_CASE("cache: a new suggestion for the same cursor replaces the old one; clear empties") {
  SuggestionCache cache;
  const AnchorKey key = anchor_key(kPrefix, kSuffix);
  cache.put(key, "first");
  cache.put(key, "second one");
  CHECK(cache.size() == 1);
  CHECK(cache.bytes() == 10);
  CHECK(cache.lookup(kPrefix, kSuffix) == "second one");
  cache.put(key, ""); // nothing worth keeping: the old one goes too
  CHECK(cache.size() == 0);
  CHECK(cache.bytes() == 0);
  cache.put(key, "again");
  cache.clear();
  CHECK(cache.size() == 0);
  CHECK(cache.bytes() == 0);
  CHECK_FALSE(cache.lookup(kPrefix, kSuffix));
}

TEST_CASE("anchor: only the last kAnchorWindow bytes of the prefix and the whole suffix count") {
  const std::string tail(fim::kAnchorWindow, 'x');
  CHECK(anchor_key("aaa" + tail, "s") == anchor_key("bbb" + tail, "s"));
  CHECK_FALSE(anchor_key(tail + "a", "s") == anchor_key(tail + "b", "s"));
  CHECK_FALSE(anchor_key("a" + tail.substr(1), "s") == anchor_key(tail, "s"));
  CHECK_FALSE(anchor_key("ab", "s") == anchor_key("ba", "s"));
  CHECK_FALSE(anchor_key("a", "s") == anchor_key("a", "t"));
  CHECK_FALSE(anchor_key("a", "") == anchor_key(std::string("a\0", 2), ""));
  CHECK_FALSE(anchor_key("", "") == anchor_key(std::string(1, '\0'), ""));
}

TEST_CASE("anchor: earlier cursors have the keys anchor_key gives them, newest first") {
  // Long enough to slide a full window, then to shrink it below kAnchorWindow.
  std::string prefix;
  for (int i = 0; prefix.size() < fim::kAnchorWindow + 200; ++i)
    prefix += "line " + std::to_string(i) + " 中😀\n";
  const std::string suffix = "}\n";
  for (std::size_t max_back : {std::size_t{0}, std::size_t{7}, std::size_t{150}, prefix.size() + 10}) {
    CAPTURE(max_back);
    std::vector<std::size_t> ends;
    fim::for_each_earlier_anchor(prefix, suffix, max_back, [&](const AnchorKey& key, std::string_view typed) {
      const std::size_t end = prefix.size() - typed.size();
      CHECK(std::string_view(prefix).substr(end) == typed);
      CHECK(key == anchor_key(prefix.substr(0, end), suffix));
      if (end < prefix.size()) CHECK((static_cast<unsigned char>(prefix[end]) & 0xC0) != 0x80);
      ends.push_back(end);
      return false;
    });
    REQUIRE_FALSE(ends.empty());
    CHECK(ends.front() == prefix.size());
    for (std::size_t i = 1; i < ends.size(); ++i)
      CHECK(ends[i] < ends[i - 1]);
    CHECK(prefix.size() - ends.back() <= max_back);
    if (max_back >= prefix.size()) CHECK(ends.back() == 0);
  }
  // Stops as soon as the visitor says so.
  int visits = 0;
  fim::for_each_earlier_anchor(prefix, suffix, 100,
                               [&](const AnchorKey&, std::string_view) { return ++visits == 3; });
  CHECK(visits == 3);
}

} // namespace fimlsp::test
