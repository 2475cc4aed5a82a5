#include "editors/editor_process.hpp"
#include "support/temp_dir.hpp"

#include <cerrno>
#include <csignal>
#include <doctest/doctest.h>
#include <poll.h>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

using namespace fimlsp::test;

TEST_SUITE("editors") {
  TEST_CASE("editor process helper: exit code, output, environment") {
    TempDir dir;
    auto run = run_with_deadline({"sh", "-c", "echo \"$FIM_X\"; echo err >&2; exit 3"}, {"FIM_X=hello"},
                                 std::chrono::seconds(10), dir.path() + "/out");
    CHECK(run.started);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code == 3);
    CHECK(run.output == "hello\nerr\n");
  }

  TEST_CASE("editor process helper: a hung program and its children are killed at the deadline") {
    TempDir dir;
    auto started = std::chrono::steady_clock::now();
    auto run = run_with_deadline({"sh", "-c", "sleep 60 & echo $! > " + dir.path() + "/child; wait"}, {},
                                 std::chrono::milliseconds(300), dir.path() + "/out");
    CHECK(run.timed_out);
    CHECK(run.signal == SIGKILL);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
    auto child = read_lines(dir.path() + "/child");
    REQUIRE(child.size() == 1);
    // The grandchild got the same SIGKILL: its pidfd turns readable once it has exited.
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, std::stoi(child[0]), 0));
    if (fd >= 0) {
      pollfd p{fd, POLLIN, 0};
      CHECK(::poll(&p, 1, 5000) == 1);
      ::close(fd);
    } else {
      CHECK(errno == ESRCH); // already gone
    }
  }

  TEST_CASE("editor result files: every expected check passed and the script finished") {
    CHECK(check_results({"ok a", "ok b", "done"}, {"a", "b"}).empty());
    CHECK_FALSE(check_results({"ok a", "done"}, {"a", "b"}).empty());
    CHECK_FALSE(check_results({"ok a", "ok b", "fail c: x", "done"}, {"a", "b"}).empty());
    CHECK_FALSE(check_results({"ok a", "ok b"}, {"a", "b"}).empty());
  }
}
