#pragma once
#include <string>

namespace fimlsp::test {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name (making its directories) and returns the full path.
  std::string write(const std::string& name, const std::string& content) const;

private:
  std::string path_;
};

} // namespace fimlsp::test
