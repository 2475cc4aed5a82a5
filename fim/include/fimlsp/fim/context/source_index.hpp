#pragma once
// The files read from disk for the prompt's context, kept between requests. Reading happens on a
// worker thread; results are applied on the io thread, so lookups need no lock and a request
// never waits for the disk unless a file it needs was never read. Entries are refreshed when
// told (didSave, didChangeWatchedFiles) and, in the background, when their mtime changed.
#include "fimlsp/fim/context/workspace_files.hpp"
#include "fimlsp/fim/prompt/similar_windows.hpp"
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace fimlsp::fim {

struct IndexedFile {
  std::string relative;
  std::shared_ptr<const IndexedText> text;
  FileStamp stamp;
  std::uint64_t version = 0; // changes whenever the text does
  std::chrono::steady_clock::time_point checked;
};

// One entry per import: where it may be (fim/context/imports.hpp).
using ImportCandidates = std::vector<std::vector<std::string>>;

class SourceIndex {
public:
  explicit SourceIndex(boost::asio::any_io_executor ex);
  ~SourceIndex(); // stops the worker; results still queued are dropped
  SourceIndex(const SourceIndex&) = delete;
  SourceIndex& operator=(const SourceIndex&) = delete;

  // New limits forget everything read so far.
  void configure(std::size_t max_bytes, std::vector<std::string> exclude);

  // The files `imports` resolve to under `root`, when resolved already (else nullopt: resolve()).
  // Entries not checked for a while are re-checked in the background.
  std::optional<std::vector<const IndexedFile*>> lookup(const std::string& root,
                                                        const ImportCandidates& imports);
  // Resolves and reads on the worker, then calls `done` on the io thread.
  void resolve(const std::string& root, const ImportCandidates& imports, std::function<void()> done);

  // The module path of root/go.mod: nullptr until read (read_go_module), "" when there is none.
  const std::string* go_module(const std::string& root) const;
  void read_go_module(const std::string& root, std::function<void()> done);

  // The file at `absolute` changed: its entry is dropped (the next request that needs it reads
  // it again). When it appeared or went away, every resolution is dropped too.
  void invalidate(const std::string& absolute, bool created_or_deleted = true);

  std::size_t files() const { return files_.size(); }
  std::size_t bytes() const { return bytes_; }

  static constexpr std::size_t kMaxImports = 16; // per file
  static constexpr std::size_t kMaxFiles = 512;  // kept
  static constexpr std::size_t kMaxBytes = 64 << 20;
  static constexpr auto kRecheckAfter = std::chrono::seconds(2);

private:
  struct Worker;
  struct Read {
    std::string relative;
    ReadResult result;
  };
  void apply(const std::string& root, std::vector<Read> reads);
  void evict();

  boost::asio::any_io_executor ex_;
  std::shared_ptr<Worker> worker_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
  std::size_t max_bytes_ = 1000000;
  std::vector<std::string> exclude_;
  std::uint64_t next_version_ = 1;
  std::unordered_map<std::string, IndexedFile> files_;                    // root + '/' + relative
  std::unordered_map<std::string, std::vector<std::string>> resolutions_; // key → files_ keys
  std::unordered_map<std::string, std::string> go_modules_;               // root → module path
  std::size_t bytes_ = 0;
  std::uint64_t generation_ = 0; // bumped by configure: results of older jobs are dropped
};

} // namespace fimlsp::fim
