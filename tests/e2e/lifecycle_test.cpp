// The real fim-lsp binary over pipes: lifecycle, base protocol and every error of the spec.
#include "support/lsp_process.hpp"
#include "support/temp_dir.hpp"
#include <boost/json.hpp>
#include <csignal>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace fimlsp::test;
namespace json = boost::json;

namespace {

std::int64_t error_code(const json::value& reply) {
  return reply.at("error").at("code").as_int64();
}

// A request that fim-lsp answers without a backend: completion on a document that is not open.
std::int64_t probe(LspProcess& p) {
  return p.request("textDocument/inlineCompletion", {{"textDocument", {{"uri", "file:///nowhere"}}},
                                                     {"position", {{"line", 0}, {"character", 0}}}});
}

void expect_alive(LspProcess& p) {
  auto reply = p.wait_response(probe(p));
  REQUIRE(reply);
  CHECK(error_code(*reply) == -32602);
}

} // namespace

TEST_SUITE("lifecycle") {

  TEST_CASE("initialize advertises the capabilities and negotiates the position encoding") {
    SUBCASE("utf-16 by default") {
      LspProcess p;
      auto result = p.initialize();
      auto& caps = result.at("capabilities");
      CHECK(caps.at("positionEncoding") == "utf-16");
      CHECK(caps.at("textDocumentSync") ==
            json::value{{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}});
      CHECK(caps.at("inlineCompletionProvider") == true);
      CHECK(caps.at("completionProvider").at("triggerCharacters").as_array().size() > 0);
      CHECK(result.at("serverInfo").at("name") == "fim-lsp");
    }
    SUBCASE("utf-8 when offered") {
      LspProcess p;
      auto result = p.initialize({{"general", {{"positionEncodings", {"utf-32", "utf-8", "utf-16"}}}}});
      CHECK(result.at("capabilities").at("positionEncoding") == "utf-8");
    }
    SUBCASE("utf-16 when only utf-32 and utf-16 are offered") {
      LspProcess p;
      auto result = p.initialize({{"general", {{"positionEncodings", {"utf-32", "utf-16"}}}}});
      CHECK(result.at("capabilities").at("positionEncoding") == "utf-16");
    }
  }

  TEST_CASE("a request before initialize is refused with -32002, exit still works") {
    LspProcess p;
    auto reply = p.wait_response(probe(p));
    REQUIRE(reply);
    CHECK(error_code(*reply) == -32002);
    p.notify("exit", nullptr);
    CHECK(p.wait_exit() == 1);
  }

  TEST_CASE("shutdown then exit ends with 0; requests after shutdown are refused") {
    LspProcess p;
    p.initialize();
    auto id = p.request("shutdown", nullptr);
    auto reply = p.wait_response(id);
    REQUIRE(reply);
    CHECK(reply->at("result").is_null());
    auto after = p.wait_response(probe(p));
    REQUIRE(after);
    CHECK(error_code(*after) == -32600);
    p.notify("exit", nullptr);
    CHECK(p.wait_exit() == 0);
  }

  TEST_CASE("exit without shutdown ends with 1") {
    LspProcess p;
    p.initialize();
    p.notify("exit", nullptr);
    CHECK(p.wait_exit() == 1);
  }

  TEST_CASE("SIGTERM and SIGINT end the server as exit does: 1, or 0 after shutdown") {
    for (const int signal : {SIGTERM, SIGINT}) {
      CAPTURE(signal);
      LspProcess p;
      p.initialize();
      REQUIRE(::kill(p.pid(), signal) == 0);
      CHECK(p.wait_exit() == 1);
      CHECK(p.wait_stderr(signal == SIGTERM ? "SIGTERM received" : "SIGINT received"));
    }
    LspProcess p;
    p.initialize();
    REQUIRE(p.wait_response(p.request("shutdown", nullptr)));
    REQUIRE(::kill(p.pid(), SIGTERM) == 0);
    CHECK(p.wait_exit() == 0);
  }

  TEST_CASE("stdout closed: the server ends as exit does, without a crash") {
    // By hand rather than LspProcess: the test closes the read end of the server's stdout.
    TempDir dir;
    const std::string err = dir.path() + "/stderr";
    int in[2], out[2];
    REQUIRE(::pipe(in) == 0);
    REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (int fd : {in[0], in[1], out[0], out[1]})
      posix_spawn_file_actions_addclose(&actions, fd);
    char program[] = FIM_LSP_BINARY, stdio[] = "--stdio";
    char* argv[] = {program, stdio, nullptr};
    pid_t pid = -1;
    REQUIRE(::posix_spawn(&pid, program, &actions, nullptr, argv, environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    ::close(out[0]); // nobody reads what the server writes
    const std::string init =
        framed(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}})");
    REQUIRE(::write(in[1], init.data(), init.size()) == static_cast<ssize_t>(init.size()));
    // stdin stays open: only the closed stdout can end the server. Bounded wait for its exit.
    int status = 0;
    pid_t done = 0;
    for (int i = 0; i < 500 && done == 0; ++i) {
      done = ::waitpid(pid, &status, WNOHANG);
      if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (done == 0) ::kill(pid, SIGKILL), ::waitpid(pid, &status, 0);
    ::close(in[1]);
    REQUIRE(done == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    std::ifstream log(err);
    const std::string logged((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    CHECK_MESSAGE(logged.find("stdout closed, exiting") != std::string::npos, logged);
  }

  TEST_CASE("stdin closed: the server exits promptly") {
    LspProcess p;
    p.initialize();
    p.close_stdin();
    CHECK(p.wait_exit().has_value());
  }

  TEST_CASE("a second initialize is refused with -32600") {
    LspProcess p;
    p.initialize();
    auto reply =
        p.wait_response(p.request("initialize", {{"processId", nullptr}, {"capabilities", json::object()}}));
    REQUIRE(reply);
    CHECK(error_code(*reply) == -32600);
  }

  TEST_CASE("malformed input is answered by the spec and the server keeps serving") {
    LspProcess p;
    p.initialize();

    SUBCASE("not JSON: -32700 with id null") {
      p.send_raw(framed("{not json"));
      auto reply = p.wait_for([](const json::value& m) { return m.as_object().contains("error"); });
      REQUIRE(reply);
      CHECK(error_code(*reply) == -32700);
      CHECK(reply->at("id").is_null());
    }
    SUBCASE("JSON but not JSON-RPC: -32600") {
      p.send_raw(framed(R"({"id":7,"method":"shutdown"})"));
      auto reply = p.wait_response(7);
      REQUIRE(reply);
      CHECK(error_code(*reply) == -32600);
      p.send_raw(framed(R"([1,2,3])"));
      auto batch = p.wait_for([](const json::value& m) { return m.as_object().contains("error"); });
      REQUIRE(batch);
      CHECK(error_code(*batch) == -32600);
    }
    SUBCASE("unknown method: -32601; $/ notifications are ignored") {
      p.notify("$/setTrace", {{"value", "off"}});
      p.notify("some/unknownNotification", json::object());
      auto reply = p.wait_response(p.request("textDocument/hover", json::object()));
      REQUIRE(reply);
      CHECK(error_code(*reply) == -32601);
      auto dollar = p.wait_response(p.request("$/unknownRequest", json::object()));
      REQUIRE(dollar);
      CHECK(error_code(*dollar) == -32601);
    }
    SUBCASE("bad params: -32602 naming the field") {
      auto reply = p.wait_response(
          p.request("textDocument/inlineCompletion",
                    {{"textDocument", {{"uri", 42}}}, {"position", {{"line", 0}, {"character", 0}}}}));
      REQUIRE(reply);
      CHECK(error_code(*reply) == -32602);
      CHECK(std::string(reply->at("error").at("message").as_string()).find("textDocument.uri") !=
            std::string::npos);
      auto negative = p.wait_response(
          p.request("textDocument/inlineCompletion", {{"textDocument", {{"uri", "file:///a"}}},
                                                      {"position", {{"line", -1}, {"character", 0}}}}));
      REQUIRE(negative);
      CHECK(error_code(*negative) == -32602);
      CHECK(std::string(negative->at("error").at("message").as_string()).find("position.line") !=
            std::string::npos);
    }
    SUBCASE("string ids, id 0 and large ids are echoed exactly") {
      for (json::value id : {json::value("abc"), json::value(0), json::value(std::int64_t{1} << 53)}) {
        p.send({{"jsonrpc", "2.0"}, {"id", id}, {"method", "nope/nothing"}});
        auto reply = p.wait_response(id);
        REQUIRE(reply);
        CHECK(reply->at("id") == id);
      }
    }
    SUBCASE("a header without Content-Length, and an oversize one, are skipped; the reader resyncs") {
      p.send_raw("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}");
      p.send_raw("Content-Length: 99999999999\r\n\r\n");
      p.send_raw("Content-Length: abc\r\n\r\n");
      expect_alive(p);
    }
    SUBCASE("Content-Type with utf8 is accepted") {
      const std::string body = R"({"jsonrpc":"2.0","id":"ct","method":"nope"})";
      p.send_raw("Content-Length: " + std::to_string(body.size()) +
                 "\r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\n\r\n" + body);
      auto reply = p.wait_response("ct");
      REQUIRE(reply);
      CHECK(error_code(*reply) == -32601);
    }
    SUBCASE("messages delivered one byte at a time") {
      const std::string bytes = framed(R"({"jsonrpc":"2.0","id":"slow","method":"nope"})") +
                                framed(R"({"jsonrpc":"2.0","id":"slow2","method":"nope"})");
      for (char c : bytes)
        p.send_raw(std::string(1, c));
      CHECK(p.wait_response("slow"));
      CHECK(p.wait_response("slow2"));
    }
    SUBCASE("invalid UTF-8, unknown URIs and impossible ranges in document sync are survived") {
      p.notify("textDocument/didOpen", {{"textDocument",
                                         {{"uri", "file:///bad.txt"},
                                          {"languageId", "plaintext"},
                                          {"version", 1},
                                          {"text", "ok\n\xff\xfe broken \xc3\n"}}}});
      p.notify("textDocument/didChange", {{"textDocument", {{"uri", "file:///unknown.txt"}, {"version", 2}}},
                                          {"contentChanges", {{{"text", "x"}}}}});
      p.notify("textDocument/didChange",
               {{"textDocument", {{"uri", "file:///bad.txt"}, {"version", 2}}},
                {"contentChanges",
                 {{{"range",
                    {{"start", {{"line", 1}, {"character", 5}}}, {"end", {{"line", 0}, {"character", 0}}}}},
                   {"text", "x"}}}}});
      p.notify("textDocument/didClose", {{"textDocument", {{"uri", "file:///never-opened.txt"}}}});
      // A position past the end of the document is a clear error, not a crash.
      auto reply = p.wait_response(
          p.request("textDocument/inlineCompletion", {{"textDocument", {{"uri", "file:///bad.txt"}}},
                                                      {"position", {{"line", 99}, {"character", 0}}}}));
      REQUIRE(reply);
      CHECK(error_code(*reply) == -32602);
      expect_alive(p);
    }
  }

  TEST_CASE("$/cancelRequest for an unknown id is ignored") {
    LspProcess p;
    p.initialize();
    p.notify("$/cancelRequest", {{"id", 12345}});
    expect_alive(p);
  }

  TEST_CASE("--clientProcessId: the server exits when that process is gone") {
    const pid_t client = ::fork(); // a stand-in editor
    REQUIRE(client >= 0);
    if (client == 0) {
      ::execl("/bin/sleep", "sleep", "60", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    LspProcess p({"--stdio", "--stdio", "--clientProcessId", std::to_string(client)});
    p.initialize();
    CHECK_FALSE(p.wait_exit(std::chrono::milliseconds(50)));
    ::kill(client, SIGKILL);
    ::waitpid(client, nullptr, 0);
    CHECK(p.wait_exit(std::chrono::seconds(5)).has_value());
  }

  TEST_CASE("--version, --help and a bad flag") {
    {
      LspProcess p({"--version"});
      CHECK(p.wait_exit() == 0);
    }
    {
      LspProcess p({"--help"});
      CHECK(p.wait_exit() == 0);
    }
    {
      LspProcess p({"--no-such-flag"});
      CHECK(p.wait_exit() == 2);
      CHECK(p.wait_stderr("--no-such-flag"));
    }
  }

  TEST_CASE("nothing but LSP frames on stdout, logs on stderr") {
    LspProcess p({"--stdio", "--log-level", "debug"});
    p.initialize();
    expect_alive(p);
    p.notify("exit", nullptr);
    p.wait_exit();
    for (auto& m : p.received())
      CHECK_FALSE(m.as_object().contains("unparsable"));
    CHECK_FALSE(p.stderr_text().empty());
  }

} // TEST_SUITE
