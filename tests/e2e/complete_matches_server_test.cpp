// `fim-lsp complete` prints exactly what the language server shows: the same files, the same
// backend replies, one pipeline.
#include "support/run_process.hpp"
#include "support/session.hpp"
#include "support/temp_dir.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::test;

namespace {

struct Both {
  std::string server, cli;
  int cli_exit = -1;
};

// The server's inline completion and `complete`'s output for the same file, position (0-based,
// ASCII text) and reply.
Both complete_both(const std::string& text, std::uint32_t line, std::uint32_t character,
                   std::vector<std::string> chunks) {
  Session s;
  Reply reply;
  reply.chunks = std::move(chunks);
  s.backend.set_reply(reply);
  s.open("file:///t.c", text);
  Both both;
  both.server = s.complete_at("file:///t.c", line, character);
  TempDir dir;
  const auto file = dir.write("t.c", text);
  auto r =
      run_process(FIM_LSP_BINARY,
                  {"complete", file + ":" + std::to_string(line + 1) + ":" + std::to_string(character + 1),
                   "--base-url", s.backend.base_url(), "--ca-file", s.backend.ca_file()},
                  {std::string("DASHSCOPE_API_KEY=") + kTestKey});
  both.cli = r.out;
  both.cli_exit = r.exit_code.value_or(-1);
  return both;
}

} // namespace

TEST_SUITE("complete matches the server") {

  TEST_CASE("only white space after the cursor: several lines, from both") {
    const auto both =
        complete_both("int main() {\n  foo(   \n}\n", 1, 6, {"a,\n", "      b);\n", "  bar();"});
    CHECK(both.server == "a,\n      b);"); // the call the cursor is in ends there
    CHECK(both.cli == both.server);
    CHECK(both.cli_exit == 0);
  }

  TEST_CASE("text after the cursor: one line, from both") {
    const auto both = complete_both("x = f(a);\n", 0, 7, {", b);", "\ny = 2\n"});
    CHECK(both.server == ", b");
    CHECK(both.cli == both.server);
  }

  TEST_CASE("the clean-up drops a tail that was streamed as whole lines") {
    // The model writes past its hole: "}" is already the next line of the file.
    const auto both = complete_both("void f() {\n  \n}\n", 1, 2, {"a();\n", "}\n"});
    CHECK(both.server == "a();");
    CHECK(both.cli == both.server);
  }

  TEST_CASE("trailing blank lines streamed as whole lines are not printed") {
    const auto both = complete_both("x = \n", 0, 4, {"1\n", "\n", "\n"});
    CHECK(both.server == "1");
    CHECK(both.cli == both.server);
  }

  TEST_CASE("lines the clean-up keeps are printed; the one it removes is not") {
    const auto both =
        complete_both("def f():\n    \n    return x\n", 1, 4, {"y = 1\n", "    z = 2\n", "    return x\n"});
    CHECK(both.server == "y = 1\n    z = 2");
    CHECK(both.cli == both.server);
  }

  TEST_CASE("nothing left after the clean-up: the server shows nothing, complete exits 1") {
    const auto both = complete_both("void f() {\n  \n}\n", 1, 2, {"\n", "}\n"});
    CHECK(both.server.empty());
    CHECK(both.cli.empty());
    CHECK(both.cli_exit == 1);
  }

} // TEST_SUITE

TEST_SUITE("complete command line") {

  TEST_CASE("options before the position, after it, and around it") {
    TestBackend backend;
    Reply r;
    r.chunks = {"42;"};
    backend.set_reply(r);
    TempDir dir;
    const auto file = dir.write("a.c", "int x = \n");
    const std::vector<std::string> key{"MY_KEY=sk-x", "DASHSCOPE_API_KEY="};
    const std::vector<std::vector<std::string>> orders{
        {"complete", "--base-url", backend.base_url(), "--api-key-env", "MY_KEY", "--ca-file",
         backend.ca_file(), file + ":1:9"},
        {"complete", file + ":1:9", "--base-url", backend.base_url(), "--api-key-env", "MY_KEY", "--ca-file",
         backend.ca_file()},
        {"--base-url=" + backend.base_url(), "complete", "--api-key-env=MY_KEY", file + ":1:9", "--ca-file",
         backend.ca_file()},
        {"complete", "--base-url", backend.base_url(), "--api-key-env", "MY_KEY", "--ca-file",
         backend.ca_file(), "--", file + ":1:9"},
    };
    for (const auto& args : orders) {
      CAPTURE(args.front());
      auto result = run_process(FIM_LSP_BINARY, args, key);
      CHECK(result.exit_code == 0);
      CHECK(result.out == "42;");
      CHECK(result.err.empty());
    }
    CHECK(backend.requests().size() == orders.size());
  }

  TEST_CASE("--help prints the usage of complete and exits 0") {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"complete", "--help"},
                                                 {"complete", "x.c:1:1", "-h"},
                                                 {"--help", "complete"}}) {
      auto r = run_process(FIM_LSP_BINARY, args);
      CHECK(r.exit_code == 0);
      CHECK(r.out.find("Usage: fim-lsp complete FILE:LINE:COL [options]") != std::string::npos);
      CHECK(r.out.find("Exit status") != std::string::npos);
    }
  }

  TEST_CASE("usage errors: no position, two positions, an unknown option") {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"complete"},
                                                 {"complete", "a.c:1:1", "b.c:1:1"},
                                                 {"complete", "--no-such-flag", "a.c:1:1"},
                                                 {"complete", "a.c:1:1", "--model"}}) {
      CAPTURE(args.back());
      auto r = run_process(FIM_LSP_BINARY, args);
      CHECK(r.exit_code == 2);
      CHECK(r.out.empty());
      CHECK_FALSE(r.err.empty());
    }
  }

} // TEST_SUITE
