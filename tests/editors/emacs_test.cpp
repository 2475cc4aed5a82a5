// Real Emacs (batch) + eglot against the real fim-lsp and the loopback test backend:
// completion-at-point, and the ghost text of editors/emacs/fim-lsp.el, driven by emacs_eglot.el.
#include "editors/editor_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_backend.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <string>

using namespace fimlsp::test;

TEST_SUITE("editors") {
  TEST_CASE(
      "editor emacs: eglot completion-at-point, fim-lsp-mode ghost text and TAB, survives a bad backend") {
    std::string emacs = find_on_path("emacs");
    if (emacs.empty() && std::getenv("FIM_SKIP_EDITOR_TESTS")) {
      MESSAGE("emacs not installed and FIM_SKIP_EDITOR_TESTS set: skipped");
      return;
    }
    REQUIRE_MESSAGE(
        !emacs.empty(),
        "emacs is not on PATH (apt-get install emacs-nox elpa-eglot, or set FIM_SKIP_EDITOR_TESTS=1)");

    TestBackend backend;
    // "FAULT" in the document: HTTP 500; anything else: "_value(42)" in two chunks.
    backend.set_handler([](const RecordedRequest& request) {
      Reply reply;
      reply.chunks = {"_value", "(42)"};
      if (request.body.find("FAULT") != std::string::npos) reply.fault = Fault::Status500;
      return reply;
    });
    TempDir work;
    std::string result = work.path() + "/result.txt";
    // -q rather than -Q: Debian's eglot 1.9 is a site package, which -Q would hide.
    ProcessOutcome run = run_with_deadline(
        {emacs, "-q", "--batch", "-l", FIM_SOURCE_DIR "/tests/editors/emacs_eglot.el"},
        {"FIM_LSP_BINARY=" FIM_LSP_BINARY, "FIM_BASE_URL=" + backend.base_url(),
         "FIM_CA_FILE=" + backend.ca_file(), "FIM_EDITORS_DIR=" FIM_SOURCE_DIR "/editors",
         "FIM_WORK_DIR=" + work.path(), "FIM_RESULT=" + result, "DASHSCOPE_API_KEY=", "HOME=" + work.path()},
        std::chrono::seconds(120), work.path() + "/emacs.log");

    INFO("emacs output:\n" << run.output);
    REQUIRE(run.started);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code == 0);
    std::string problems = check_results(read_lines(result), {"attached",
                                                              "fim-lsp-mode on",
                                                              "capf ascii",
                                                              "status ready",
                                                              "status lighter",
                                                              "capf after edit",
                                                              "capf non-ascii",
                                                              "ghost timer armed",
                                                              "ghost shown",
                                                              "ghost text",
                                                              "ghost TAB bound",
                                                              "ghost accepted",
                                                              "ghost cleared after accept",
                                                              "TAB unbound without ghost",
                                                              "second ghost shown",
                                                              "typing clears ghost",
                                                              "request in flight",
                                                              "stale reply came",
                                                              "stale reply not shown",
                                                              "typed text intact",
                                                              "fault inline answered",
                                                              "fault nothing shown",
                                                              "fault capf no error",
                                                              "fault server alive",
                                                              "capf after fault",
                                                              "ghost after fault"});
    CHECK_MESSAGE(problems.empty(), problems);
  }
}
