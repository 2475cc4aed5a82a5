// Real Neovim (0.7+, headless) against the real fim-lsp and the loopback test backend: popup
// completion through editors/nvim/lua/fim_lsp/legacy.lua (omnifunc), driven by nvim_popup.lua.
#include "editors/editor_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_backend.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <string>

using namespace fimlsp::test;

namespace {

// The document decides the reply: "FAULT" stalls (the server's 3 s timeout answers it),
// "def add" gets two lines, anything else "_value(42)" in two chunks.
Reply nvim_reply(const RecordedRequest& request) {
  Reply reply;
  reply.chunks = {"_value", "(42)"};
  if (request.body.find("FAULT") != std::string::npos)
    reply.fault = Fault::StallHeaders;
  else if (request.body.find("def add") != std::string::npos)
    reply.chunks = {"(a, b):\n", "    return a + b"};
  return reply;
}

} // namespace

TEST_SUITE("editors") {
  TEST_CASE("editor nvim: omnifunc popup completion lands, non-ASCII, multi-line, survives a bad backend") {
    std::string nvim = find_on_path("nvim");
    if (nvim.empty() && std::getenv("FIM_SKIP_EDITOR_TESTS")) {
      MESSAGE("nvim not installed and FIM_SKIP_EDITOR_TESTS set: skipped");
      return;
    }
    REQUIRE_MESSAGE(!nvim.empty(),
                    "nvim is not on PATH (apt-get install neovim, or set FIM_SKIP_EDITOR_TESTS=1)");

    TestBackend backend;
    backend.set_handler(nvim_reply);
    TempDir work;
    std::string result = work.path() + "/result.txt";
    ProcessOutcome run =
        run_with_deadline({nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-S",
                           FIM_SOURCE_DIR "/tests/editors/nvim_popup.lua"},
                          {"FIM_LSP_BINARY=" FIM_LSP_BINARY, "FIM_BASE_URL=" + backend.base_url(),
                           "FIM_CA_FILE=" + backend.ca_file(), "FIM_EDITORS_DIR=" FIM_SOURCE_DIR "/editors",
                           "FIM_WORK_DIR=" + work.path(), "FIM_RESULT=" + result,
                           "DASHSCOPE_API_KEY=", "XDG_CONFIG_HOME=" + work.path(),
                           "XDG_DATA_HOME=" + work.path(), "XDG_STATE_HOME=" + work.path()},
                          std::chrono::seconds(120), work.path() + "/nvim.log");

    INFO("nvim output:\n" << run.output);
    REQUIRE(run.started);
    CHECK_FALSE(run.timed_out);
    std::string problems = check_results(
        read_lines(result), {"attached", "omnifunc set", "ascii popup shown", "ascii", "status ready",
                             "status text", "after edit popup shown", "after edit", "non-ascii popup shown",
                             "non-ascii", "multi-line popup shown", "multi-line", "fault answered",
                             "fault offers nothing", "fault keeps server", "fault no lua error",
                             "after fault popup shown", "after fault", "no lua error"});
    CHECK_MESSAGE(problems.empty(), problems);

    // The server sliced the non-ASCII line at the right place: the prompt holds the whole prefix.
    bool saw_unicode = false;
    for (const auto& request : backend.requests())
      saw_unicode = saw_unicode || request.body.find("日本") != std::string::npos ||
                    request.body.find("\\u65e5\\u672c") != std::string::npos;
    CHECK(saw_unicode);
  }
}
