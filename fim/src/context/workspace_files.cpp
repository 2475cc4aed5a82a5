#include "fimlsp/fim/context/workspace_files.hpp"
#include "fimlsp/fim/context/exclude.hpp"
#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace fimlsp::fim {

namespace fs = std::filesystem;

namespace {

// Where `relative` really is, as a path relative to the canonical root; "" with `status` set
// when it is excluded, outside the root or missing.
std::string resolve(const std::string& root, std::string_view relative, const ReadLimits& limits,
                    ReadStatus& status) {
  if (relative.empty() || relative.starts_with('/') || is_excluded(relative, limits.exclude)) {
    status = relative.empty() || relative.starts_with('/') ? ReadStatus::outside_root : ReadStatus::excluded;
    return "";
  }
  std::error_code ec;
  const fs::path real_root = fs::canonical(root, ec);
  if (ec) return status = ReadStatus::missing, "";
  const fs::path real = fs::canonical(real_root / fs::path(std::string(relative)), ec);
  if (ec) return status = ReadStatus::missing, "";
  const std::string r = real_root.string(), p = real.string();
  if (p.size() <= r.size() || !p.starts_with(r) || (p[r.size()] != '/' && r != "/"))
    return status = ReadStatus::outside_root, "";
  std::string inside = p.substr(r == "/" ? 1 : r.size() + 1);
  // A link inside the root to an excluded file is excluded too.
  if (is_excluded(inside, limits.exclude)) return status = ReadStatus::excluded, "";
  status = ReadStatus::ok;
  return p;
}

FileStamp stamp_of(const struct stat& st) {
  return {static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
          static_cast<std::uint64_t>(st.st_size)};
}

std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? b < lo || b > hi : (b & 0xC0) != 0x80) return 0;
  }
  return n;
}

} // namespace

std::string_view to_string(ReadStatus s) {
  switch (s) {
  case ReadStatus::ok:
    return "ok";
  case ReadStatus::excluded:
    return "excluded";
  case ReadStatus::outside_root:
    return "outside the root";
  case ReadStatus::missing:
    return "missing";
  case ReadStatus::not_a_file:
    return "not a regular file";
  case ReadStatus::too_large:
    return "too large";
  case ReadStatus::binary:
    return "binary";
  }
  return "?";
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

ReadResult stat_workspace_file(const std::string& root, std::string_view relative, const ReadLimits& limits) {
  ReadResult r;
  const std::string path = resolve(root, relative, limits, r.status);
  if (path.empty()) return r;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return r.status = ReadStatus::missing, r;
  if (!S_ISREG(st.st_mode)) return r.status = ReadStatus::not_a_file, r;
  r.stamp = stamp_of(st);
  if (r.stamp.size > limits.max_bytes) r.status = ReadStatus::too_large;
  return r;
}

ReadResult read_workspace_file(const std::string& root, std::string_view relative, const ReadLimits& limits) {
  ReadResult r;
  const std::string path = resolve(root, relative, limits, r.status);
  if (path.empty()) return r;
  // The canonical path has no links left: O_NOFOLLOW refuses one swapped in since.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return r.status = ReadStatus::missing, r;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return r.status = ReadStatus::not_a_file, r;
  }
  r.stamp = stamp_of(st);
  if (r.stamp.size > limits.max_bytes) {
    ::close(fd);
    return r.status = ReadStatus::too_large, r;
  }
  std::string bytes(r.stamp.size, '\0');
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  bytes.resize(got); // a file that shrank meanwhile
  if (bytes.find('\0') != std::string::npos) return r.status = ReadStatus::binary, r;
  r.text = valid_utf8(bytes);
  r.status = ReadStatus::ok;
  return r;
}

std::vector<std::string> go_package_files(const std::string& root, std::string_view directory,
                                          const ReadLimits& limits, std::size_t max_files) {
  std::vector<std::string> out;
  std::string dir(directory);
  while (dir.ends_with('/'))
    dir.pop_back();
  ReadStatus status;
  const std::string real = resolve(root, dir, limits, status);
  if (real.empty()) return out;
  std::error_code ec;
  for (fs::directory_iterator it(real, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.ends_with(".go") && !name.ends_with("_test.go")) out.push_back(dir + "/" + name);
    if (out.size() > 256) break; // a generated directory: enough to choose from
  }
  std::sort(out.begin(), out.end());
  if (out.size() > max_files) out.resize(max_files);
  return out;
}

} // namespace fimlsp::fim
