#pragma once
// Text functions the clean-up filters share.
#include <algorithm>
#include <array>
#include <string_view>

namespace fimlsp::fim::filter_text {

constexpr std::string_view kSpace = " \t\r\n";

inline bool is_space(char c) {
  return kSpace.find(c) != std::string_view::npos;
}

inline std::string_view trim_end(std::string_view s) {
  const auto last = s.find_last_not_of(kSpace);
  return last == std::string_view::npos ? std::string_view{} : s.substr(0, last + 1);
}

inline std::string_view trim(std::string_view s) {
  s = trim_end(s);
  return s.substr(std::min(s.size(), s.find_first_not_of(kSpace)));
}

// Whether `s` leaves a bracket open that a closing bracket after it would close. Then a tail that
// looks like the text after the cursor is the suggestion's own closing bracket, not a repeat.
inline bool opens_bracket(std::string_view s) {
  constexpr std::array<std::pair<char, char>, 3> kPairs{{{'(', ')'}, {'[', ']'}, {'{', '}'}}};
  return std::any_of(kPairs.begin(), kPairs.end(), [s](auto pair) {
    return std::count(s.begin(), s.end(), pair.first) > std::count(s.begin(), s.end(), pair.second);
  });
}

} // namespace fimlsp::fim::filter_text
