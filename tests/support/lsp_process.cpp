#include "support/lsp_process.hpp"
#include "fimlsp/protocol/framing.hpp"
#include "support/run_process.hpp"
#include <boost/json.hpp>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fimlsp::test {

struct LspProcess::Impl {
  pid_t pid = -1;
  int in = -1, out = -1, err = -1;
  std::thread out_reader, err_reader;
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::deque<json::value> unseen; // not yet returned by wait_for
  std::vector<json::value> all;   // everything received
  std::string stderr_text;
  bool out_closed = false;
  std::optional<int> exit_code;
  std::int64_t next_id = 1;

  void read_stdout() {
    protocol::FrameReader reader;
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(out, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      reader.feed(std::string_view(buf, static_cast<std::size_t>(n)));
      std::lock_guard lock(mutex);
      while (auto body = reader.next()) {
        boost::system::error_code ec;
        json::value v = json::parse(*body, ec);
        if (ec) v = json::object{{"unparsable", *body}};
        unseen.push_back(v);
        all.push_back(std::move(v));
      }
      changed.notify_all();
    }
    std::lock_guard lock(mutex);
    out_closed = true;
    changed.notify_all();
  }

  void read_stderr() {
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(err, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      std::lock_guard lock(mutex);
      stderr_text.append(buf, static_cast<std::size_t>(n));
      changed.notify_all();
    }
  }
};

LspProcess::LspProcess(std::vector<std::string> args, std::vector<std::string> env, std::string program)
    : impl_(std::make_unique<Impl>()) {
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
    throw std::runtime_error("pipe failed");

  std::vector<std::string> vars = environment_with(env);
  std::vector<char*> envp, argv{program.data()};
  for (auto& v : vars)
    envp.push_back(v.data());
  for (auto& a : args)
    argv.push_back(a.data());
  envp.push_back(nullptr);
  argv.push_back(nullptr);

  impl_->pid = ::fork();
  if (impl_->pid < 0) throw std::runtime_error("fork failed");
  if (impl_->pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  impl_->in = in[1];
  impl_->out = out[0];
  impl_->err = err[0];
  impl_->out_reader = std::thread([this] { impl_->read_stdout(); });
  impl_->err_reader = std::thread([this] { impl_->read_stderr(); });
}

LspProcess::~LspProcess() {
  close_stdin();
  if (!wait_exit(std::chrono::seconds(2))) {
    ::kill(impl_->pid, SIGKILL);
    wait_exit(std::chrono::seconds(5));
  }
  impl_->out_reader.join();
  impl_->err_reader.join();
  ::close(impl_->out);
  ::close(impl_->err);
}

void LspProcess::send_raw(const std::string& bytes) {
  std::string_view rest = bytes;
  while (!rest.empty()) {
    ssize_t n = ::write(impl_->in, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; // the server is gone; the test's next wait says so
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

void LspProcess::send(const json::value& message) {
  send_raw(framed(json::serialize(message)));
}

std::int64_t LspProcess::request(const std::string& method, const json::value& params) {
  const std::int64_t id = impl_->next_id++;
  send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
  return id;
}

void LspProcess::notify(const std::string& method, const json::value& params) {
  send({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

std::optional<json::value> LspProcess::wait_for(const std::function<bool(const json::value&)>& pred,
                                                std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  std::optional<json::value> found;
  impl_->changed.wait_for(lock, timeout, [&] {
    auto& q = impl_->unseen;
    for (auto it = q.begin(); it != q.end(); ++it) {
      if (pred(*it)) {
        found = std::move(*it);
        q.erase(it);
        return true;
      }
    }
    return impl_->out_closed;
  });
  return found;
}

std::optional<json::value> LspProcess::wait_response(const json::value& id,
                                                     std::chrono::milliseconds timeout) {
  return wait_for(
      [&](const json::value& m) {
        const auto* o = m.if_object();
        return o && !o->contains("method") && o->contains("id") && o->at("id") == id;
      },
      timeout);
}

std::optional<json::value> LspProcess::wait_notification(const std::string& method,
                                                         std::chrono::milliseconds timeout) {
  return wait_for(
      [&](const json::value& m) {
        const auto* o = m.if_object();
        return o && !o->contains("id") && o->contains("method") &&
               o->at("method") == json::string_view(method);
      },
      timeout);
}

std::vector<json::value> LspProcess::received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->all;
}

json::value LspProcess::initialize(const json::value& capabilities,
                                   const json::value& initialization_options) {
  json::object params{{"processId", nullptr},
                      {"clientInfo", {{"name", "fim-lsp-tests"}}},
                      {"rootUri", nullptr},
                      {"capabilities", capabilities}};
  if (!initialization_options.is_null()) params["initializationOptions"] = initialization_options;
  const auto id = request("initialize", params);
  auto reply = wait_response(id);
  if (!reply) throw std::runtime_error("no reply to initialize; stderr: " + stderr_text());
  notify("initialized", json::object());
  return reply->at("result");
}

void LspProcess::close_stdin() {
  if (impl_->in >= 0) ::close(impl_->in);
  impl_->in = -1;
}

std::optional<int> LspProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (impl_->exit_code) return impl_->exit_code;
  // Poll waitpid with a short interval, bounded by `timeout`.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (::waitpid(impl_->pid, &status, WNOHANG) == impl_->pid) {
      impl_->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return impl_->exit_code;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

bool LspProcess::wait_stderr(const std::string& text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout,
                                 [&] { return impl_->stderr_text.find(text) != std::string::npos; });
}

std::string LspProcess::stderr_text() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->stderr_text;
}

int LspProcess::pid() const {
  return impl_->pid;
}

} // namespace fimlsp::test
