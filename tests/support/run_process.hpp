#pragma once
// Runs a program to completion with captured output: for command-line tests.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fimlsp::test {

struct ProcessResult {
  std::optional<int> exit_code; // nullopt: killed after the timeout
  std::string out, err;
};

// `env` entries ("NAME=value") are added to the environment, "NAME=" entries remove NAME; stdin
// is read from the file `stdin_path`.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(30),
                          const std::string& stdin_path = "/dev/null");

// The environment with `changes` applied, as above.
std::vector<std::string> environment_with(const std::vector<std::string>& changes);

} // namespace fimlsp::test
