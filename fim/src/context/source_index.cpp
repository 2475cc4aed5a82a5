#include "fimlsp/fim/context/source_index.hpp"
#include "fimlsp/fim/context/imports.hpp"
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace fimlsp::fim {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxGoFiles = 4; // per package
constexpr std::size_t kMaxReadsPerJob = 32;

std::string resolution_key(const std::string& root, const ImportCandidates& imports) {
  std::string key = root;
  for (std::size_t i = 0; i < imports.size() && i < SourceIndex::kMaxImports; ++i) {
    key += '\n';
    for (auto& c : imports[i])
      key += c + '\t';
  }
  return key;
}

// The io executor, counting as work until the job is done: io_context::run() does not return
// while a read it is to hear about is still under way.
asio::any_io_executor tracked(const asio::any_io_executor& ex) {
  return asio::prefer(ex, asio::execution::outstanding_work.tracked);
}

} // namespace

// One thread that runs blocking file reads in order; stopped and joined by the destructor.
struct SourceIndex::Worker {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void()>> jobs;
  bool stop = false;
  std::thread thread{[this] { run(); }};

  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stop || !jobs.empty(); });
        if (stop) return;
        job = std::move(jobs.front());
        jobs.pop_front();
      }
      job();
    }
  }
  void post(std::function<void()> job) {
    {
      std::lock_guard lock(mutex);
      jobs.push_back(std::move(job));
    }
    wake.notify_one();
  }
  ~Worker() {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    wake.notify_one();
    thread.join();
  }
};

SourceIndex::SourceIndex(asio::any_io_executor ex) : ex_(ex), worker_(std::make_shared<Worker>()) {}

SourceIndex::~SourceIndex() {
  alive_.reset();
  worker_.reset(); // joins
}

void SourceIndex::configure(std::size_t max_bytes, std::vector<std::string> exclude) {
  if (max_bytes == max_bytes_ && exclude == exclude_) return;
  max_bytes_ = max_bytes;
  exclude_ = std::move(exclude);
  files_.clear();
  resolutions_.clear();
  go_modules_.clear();
  bytes_ = 0;
  ++generation_;
}

std::optional<std::vector<const IndexedFile*>> SourceIndex::lookup(const std::string& root,
                                                                   const ImportCandidates& imports) {
  const auto it = resolutions_.find(resolution_key(root, imports));
  if (it == resolutions_.end()) return std::nullopt;
  std::vector<const IndexedFile*> out;
  std::vector<std::string> stale;
  const auto now = std::chrono::steady_clock::now();
  for (auto& key : it->second) {
    auto f = files_.find(key);
    if (f == files_.end()) return std::nullopt; // evicted: read again
    out.push_back(&f->second);
    if (now - f->second.checked > kRecheckAfter) {
      f->second.checked = now; // one re-check at a time
      stale.push_back(f->second.relative);
    }
  }
  if (!stale.empty()) {
    // By mtime, in the background: a changed file is read again, a deleted one dropped.
    std::vector<FileStamp> stamps;
    for (auto& rel : stale)
      stamps.push_back(files_.at(root + "/" + rel).stamp);
    worker_->post([this, alive = std::weak_ptr<char>(alive_), ex = tracked(ex_), root, stale, stamps,
                   max_bytes = max_bytes_, exclude = exclude_, generation = generation_] {
      const ReadLimits limits{max_bytes, exclude};
      std::vector<Read> reads;
      std::vector<std::string> gone;
      for (std::size_t i = 0; i < stale.size(); ++i) {
        ReadResult s = stat_workspace_file(root, stale[i], limits);
        if (s.status != ReadStatus::ok)
          gone.push_back(root + "/" + stale[i]);
        else if (!(s.stamp == stamps[i]))
          reads.push_back({stale[i], read_workspace_file(root, stale[i], limits)});
      }
      if (reads.empty() && gone.empty()) return;
      asio::post(ex, [this, alive, root, reads = std::move(reads), gone, generation]() mutable {
        if (alive.expired() || generation != generation_) return;
        for (auto& g : gone)
          invalidate(g);
        apply(root, std::move(reads));
      });
    });
  }
  return out;
}

void SourceIndex::resolve(const std::string& root, const ImportCandidates& imports,
                          std::function<void()> done) {
  ImportCandidates bounded(imports.begin(), imports.begin() + std::min(imports.size(), kMaxImports));
  worker_->post([this, alive = std::weak_ptr<char>(alive_), ex = tracked(ex_), root,
                 key = resolution_key(root, imports), bounded = std::move(bounded), done = std::move(done),
                 max_bytes = max_bytes_, exclude = exclude_, generation = generation_]() mutable {
    const ReadLimits limits{max_bytes, exclude};
    std::vector<Read> reads;
    for (auto& candidates : bounded) {
      for (auto& c : candidates) {
        if (reads.size() >= kMaxReadsPerJob) break;
        if (c.ends_with('/')) { // a Go package: its files
          const auto files = go_package_files(root, c, limits, kMaxGoFiles);
          for (auto& f : files) {
            ReadResult r = read_workspace_file(root, f, limits);
            if (r.status == ReadStatus::ok) reads.push_back({f, std::move(r)});
          }
          if (!files.empty()) break;
          continue;
        }
        ReadResult r = read_workspace_file(root, c, limits);
        if (r.status == ReadStatus::missing) continue;
        // Found: used if it may be read, and the next candidates are not tried either way.
        if (r.status == ReadStatus::ok) reads.push_back({c, std::move(r)});
        break;
      }
    }
    asio::post(ex, [this, alive, root, key = std::move(key), reads = std::move(reads), done = std::move(done),
                    generation]() mutable {
      if (alive.expired()) return;
      if (generation == generation_) {
        std::vector<std::string> keys;
        for (auto& r : reads)
          keys.push_back(root + "/" + r.relative);
        apply(root, std::move(reads));
        resolutions_[key] = std::move(keys);
      }
      done();
    });
  });
}

void SourceIndex::apply(const std::string& root, std::vector<Read> reads) {
  const auto now = std::chrono::steady_clock::now();
  for (auto& r : reads) {
    const std::string key = root + "/" + r.relative;
    if (auto old = files_.find(key); old != files_.end()) {
      bytes_ -= old->second.text->text.size();
      files_.erase(old);
    }
    if (r.result.status != ReadStatus::ok) continue;
    IndexedFile f{r.relative, std::make_shared<const IndexedText>(index_text(std::move(r.result.text))),
                  r.result.stamp, next_version_++, now};
    bytes_ += f.text->text.size();
    files_.emplace(key, std::move(f));
  }
  evict();
}

void SourceIndex::evict() {
  // The oldest checked first; resolutions that lose a file are read again when next needed.
  while (files_.size() > kMaxFiles || bytes_ > kMaxBytes) {
    auto oldest = files_.begin();
    for (auto it = files_.begin(); it != files_.end(); ++it)
      if (it->second.checked < oldest->second.checked) oldest = it;
    bytes_ -= oldest->second.text->text.size();
    files_.erase(oldest);
  }
}

const std::string* SourceIndex::go_module(const std::string& root) const {
  const auto it = go_modules_.find(root);
  return it == go_modules_.end() ? nullptr : &it->second;
}

void SourceIndex::read_go_module(const std::string& root, std::function<void()> done) {
  worker_->post([this, alive = std::weak_ptr<char>(alive_), ex = tracked(ex_), root, done = std::move(done),
                 max_bytes = max_bytes_, exclude = exclude_, generation = generation_]() mutable {
    const ReadResult r = read_workspace_file(root, "go.mod", ReadLimits{max_bytes, exclude});
    std::string module = r.status == ReadStatus::ok ? go_module_path(r.text) : "";
    asio::post(ex, [this, alive, root, module = std::move(module), done = std::move(done), generation] {
      if (alive.expired()) return;
      if (generation == generation_) go_modules_[root] = module;
      done();
    });
  });
}

void SourceIndex::invalidate(const std::string& absolute, bool created_or_deleted) {
  if (auto it = files_.find(absolute); it != files_.end()) {
    bytes_ -= it->second.text->text.size();
    files_.erase(it);
  }
  // A file that appeared may be what an import now resolves to.
  if (created_or_deleted) resolutions_.clear();
  for (auto it = go_modules_.begin(); it != go_modules_.end();)
    it = absolute == it->first + "/go.mod" ? go_modules_.erase(it) : std::next(it);
}

} // namespace fimlsp::fim
