#include "fimlsp/fim/context/exclude.hpp"
#include <cctype>
#include <vector>

namespace fimlsp::fim {

namespace {

bool same_letter(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const auto slash = path.find('/');
    if (slash != 0) out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

} // namespace

bool glob_match(std::string_view p, std::string_view t) {
  while (!p.empty()) {
    if (p.starts_with("**")) {
      while (!p.empty() && p.front() == '*')
        p.remove_prefix(1);
      // "**/" also matches no directory at all.
      if (p.starts_with('/') && glob_match(p.substr(1), t)) return true;
      for (std::size_t i = 0; i <= t.size(); ++i)
        if (glob_match(p, t.substr(i))) return true;
      return false;
    }
    if (p.front() == '*') {
      p.remove_prefix(1);
      for (std::size_t i = 0; i <= t.size(); ++i) {
        if (glob_match(p, t.substr(i))) return true;
        if (i < t.size() && t[i] == '/') break;
      }
      return false;
    }
    if (t.empty()) return false;
    if (p.front() == '?' ? t.front() == '/' : !same_letter(p.front(), t.front())) return false;
    p.remove_prefix(1);
    t.remove_prefix(1);
  }
  return t.empty();
}

bool is_excluded(std::string_view relative, std::span<const std::string> patterns) {
  const auto parts = components(relative);
  for (std::string_view pattern : patterns) {
    if (pattern.starts_with('/')) pattern.remove_prefix(1);
    if (pattern.empty()) continue;
    const bool directory = pattern.ends_with('/');
    if (directory) pattern.remove_suffix(1);
    if (pattern.find('/') == std::string_view::npos) {
      // The file name itself counts only for patterns that are not directory patterns.
      const std::size_t last = directory ? parts.size() - (parts.empty() ? 0 : 1) : parts.size();
      for (std::size_t i = 0; i < last; ++i)
        if (glob_match(pattern, parts[i])) return true;
    } else if (directory) {
      std::string prefix;
      for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        prefix += (i ? "/" : "") + std::string(parts[i]);
        if (glob_match(pattern, prefix)) return true;
      }
    } else if (glob_match(pattern, relative)) {
      return true;
    }
  }
  return false;
}

} // namespace fimlsp::fim
