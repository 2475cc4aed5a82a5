#pragma once
// Runs an editor (or any program) to completion with extra environment variables and a hard
// deadline, for the real-editor tests. The child gets its own process group, so the language
// servers it starts are killed with it.
#include <chrono>
#include <string>
#include <vector>

namespace fimlsp::test {

struct ProcessOutcome {
  bool started = false;   // fork/exec worked
  bool timed_out = false; // killed at the deadline
  int exit_code = -1;     // when it exited
  int signal = 0;         // when a signal ended it
  std::string output;     // stdout + stderr (stdin is /dev/null)
};

// `env` entries are "NAME=value"; they are added to this process's environment.
ProcessOutcome run_with_deadline(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                 std::chrono::milliseconds deadline, const std::string& output_file);

// Lines of a text file ("" when it does not exist).
std::vector<std::string> read_lines(const std::string& path);

// The program's full path if it is on PATH, else "".
std::string find_on_path(const std::string& program);

// For the editor scripts' result files ("ok NAME" / "fail NAME: DETAIL" / "done"): every line of
// `expected` must be there as "ok NAME", nothing may fail, and the script must have finished.
// Returns "" when all holds, else what did not.
std::string check_results(const std::vector<std::string>& lines, const std::vector<std::string>& expected);

} // namespace fimlsp::test
