#include "editors/editor_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fimlsp::test {

namespace {

int pidfd_open(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// This environment with `extra` ("NAME=value") added or replacing; built before fork because the
// child of a threaded process may only call async-signal-safe functions.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    bool replaced = false;
    for (const auto& add : extra)
      replaced = replaced || name_of(add) == name_of(entry);
    if (!replaced) out.push_back(entry);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// In the child: output to the file, stdin from /dev/null, own process group, then exec.
[[noreturn]] void exec_child(char* const* argv, char* const* envp, const char* output_file) {
  ::setpgid(0, 0);
  int in = ::open("/dev/null", O_RDONLY);
  int out = ::open(output_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0) ::_exit(126);
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(out, 2);
  ::execvpe(argv[0], argv, envp);
  ::_exit(127);
}

// Waits for `pid` until the deadline; whether it exited (status in *status).
bool wait_exit(pid_t pid, std::chrono::steady_clock::time_point deadline, int* status) {
  int fd = pidfd_open(pid);
  for (int round = 0; round < 1'000'000; ++round) { // bounded by the deadline; the count is a backstop
    pid_t done = ::waitpid(pid, status, WNOHANG);
    if (done == pid) break;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      if (fd >= 0) ::close(fd);
      return false;
    }
    if (fd >= 0) {
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(left.count())); // readable when the child exits
    } else {
      timespec tick{0, 20'000'000}; // poll interval only (no pidfd on this kernel)
      ::nanosleep(&tick, nullptr);
    }
  }
  if (fd >= 0) ::close(fd);
  return true;
}

} // namespace

ProcessOutcome run_with_deadline(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                 std::chrono::milliseconds deadline, const std::string& output_file) {
  ProcessOutcome outcome;
  if (argv.empty()) return outcome;
  std::vector<std::string> args = argv, environment = merged_environment(env);
  std::vector<char*> arg_ptrs = pointers(args), env_ptrs = pointers(environment);
  pid_t pid = ::fork();
  if (pid < 0) return outcome;
  if (pid == 0) exec_child(arg_ptrs.data(), env_ptrs.data(), output_file.c_str());
  ::setpgid(pid, pid); // also from here, so the group exists before any kill below
  outcome.started = true;

  int status = 0;
  if (!wait_exit(pid, std::chrono::steady_clock::now() + deadline, &status)) {
    outcome.timed_out = true;
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  } else {
    ::kill(-pid, SIGKILL); // servers the editor left behind
  }
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  std::ifstream in(output_file);
  std::ostringstream text;
  text << in.rdbuf();
  outcome.output = text.str();
  return outcome;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string check_results(const std::vector<std::string>& lines, const std::vector<std::string>& expected) {
  std::string problems;
  bool done = false;
  for (const auto& line : lines) {
    if (line.rfind("fail ", 0) == 0) problems += line + "\n";
    if (line == "done") done = true;
  }
  for (const auto& name : expected) {
    bool found = false;
    for (const auto& line : lines)
      found = found || line == "ok " + name;
    if (!found) problems += "missing: ok " + name + "\n";
  }
  if (!done) problems += "the script did not finish (no \"done\")\n";
  return problems;
}

} // namespace fimlsp::test
