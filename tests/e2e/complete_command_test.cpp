// `fim-lsp complete FILE:LINE:COL` end to end.
#include "support/run_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_backend.hpp"
#include <boost/json.hpp>
#include <doctest/doctest.h>
#include <filesystem>

using namespace fimlsp::test;

TEST_SUITE("complete command") {

  TEST_CASE("prints the backend's completion, with the same settings as the server") {
    TestBackend backend;
    Reply r;
    r.chunks = {"return ", "a + b;"};
    backend.set_reply(r);
    TempDir dir;
    const auto file = dir.write("add.c", "// \xe6\x97\xa5\xe6\x9c\xac\nint add(int a, int b) {\n  \n}\n");
    const auto config = dir.write("config.json", R"({"model": "from-config", "request": {"seed": 7}})");
    auto result = run_process(FIM_LSP_BINARY,
                              {"complete", file + ":3:3", "--config", config, "--base-url",
                               backend.base_url(), "--ca-file", backend.ca_file(), "--model", "from-flag"},
                              {"DASHSCOPE_API_KEY=sk-complete-secret"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "return a + b;");
    REQUIRE(backend.requests().size() == 1);
    auto body = boost::json::parse(backend.requests()[0].body);
    CHECK(body.at("model") == "from-flag");
    CHECK(body.at("seed") == 7);
    CHECK(body.at("prompt") == "<|fim_prefix|>// \xe6\x97\xa5\xe6\x9c\xac\nint add(int a, int b) {\n  "
                               "<|fim_suffix|>\n}\n<|fim_middle|>");
    CHECK(result.err.find("sk-complete-secret") == std::string::npos);
  }

  TEST_CASE("a provider from --config: its shape, its key variable; what it cannot send is said") {
    TestBackend backend;
    Reply r;
    r.chunks = {"return ", "a + b;"};
    backend.set_reply(r);
    TempDir dir;
    const auto file = dir.write("add.c", "int add(int a, int b) {\n  \n}\n");
    const auto config = dir.write(
        "config.json", R"({"provider": "mistral", "request": {"presencePenalty": 0.5, "stream": false}})");
    auto result = run_process(FIM_LSP_BINARY,
                              {"complete", file + ":2:3", "--config", config, "--base-url",
                               backend.base_url(), "--ca-file", backend.ca_file()},
                              {"MISTRAL_API_KEY=sk-mistral-secret"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "return a + b;");
    REQUIRE(backend.requests().size() == 1);
    CHECK(backend.requests()[0].target == "/v1/fim/completions");
    CHECK(backend.requests()[0].authorization == "Bearer sk-mistral-secret");
    auto body = boost::json::parse(backend.requests()[0].body);
    CHECK(body.at("model") == "codestral-latest");
    CHECK(body.at("suffix") == "\n}\n");
    CHECK_FALSE(body.as_object().contains("presence_penalty"));
    CHECK(result.err.find("endpoint.api \"mistral-fim\" has no field for request.presencePenalty") !=
          std::string::npos);
    CHECK(result.err.find("sk-mistral-secret") == std::string::npos);

    // --provider on the command line: the llama.cpp server's /infill, no key needed on loopback.
    auto infill = run_process(FIM_LSP_BINARY,
                              {"complete", file + ":2:3", "--provider", "llamacpp", "--base-url",
                               backend.base_url(), "--ca-file", backend.ca_file()},
                              {});
    CHECK(infill.exit_code == 0);
    CHECK(infill.out == "return a + b;");
    REQUIRE(backend.requests().size() == 2);
    CHECK(backend.requests()[1].target == "/v1/infill");
    CHECK(backend.requests()[1].authorization.empty());
  }

  TEST_CASE("the files it includes go into the prompt, as the server sends them") {
    TestBackend backend;
    Reply r;
    r.chunks = {"0.2);"};
    backend.set_reply(r);
    TempDir dir;
    dir.write("tax.h", "double apply_tax(double amount, double rate);\n");
    dir.write(".env", "TAX_SECRET=ENV_MARKER_c0de apply_tax\n");
    const auto file = dir.write("main.c", "#include \"tax.h\"\n#include \".env\"\ndouble t = apply_tax(10, ");
    auto result = run_process(FIM_LSP_BINARY, {"complete", file + ":3:26", "--base-url", backend.base_url(),
                                               "--ca-file", backend.ca_file()});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "0.2);");
    const std::string name = std::filesystem::path(dir.path()).filename().string();
    CHECK(backend.requests().at(0).body.find("ENV_MARKER_c0de") == std::string::npos);
    CHECK(boost::json::parse(backend.requests().at(0).body).at("prompt") ==
          boost::json::value(
              "<|repo_name|>" + name +
              "\n<|file_sep|>tax.h\ndouble apply_tax(double amount, double rate);\n"
              "<|file_sep|>main.c\n<|fim_prefix|>#include \"tax.h\"\n#include \".env\"\ndouble t = "
              "apply_tax(10, <|fim_suffix|>"));
  }

  TEST_CASE("--json: the text, the usage and the timing in one object; stdin named by --path or --language") {
    TestBackend backend;
    Reply r;
    r.chunks = {"return ", "s"}; // the stream runs to its end, where the usage comes
    backend.set_reply(r);
    TempDir dir;
    const std::string text = "def total(xs):\n    s = sum(xs)\n    \n\ndef other():\n    pass\n";
    const auto file = dir.write("stats.py", text);
    const std::vector<std::string> endpoint{"--base-url", backend.base_url(), "--ca-file", backend.ca_file()};
    const std::vector<std::string> key{"DASHSCOPE_API_KEY=sk-complete-secret"};
    auto args = [&](std::vector<std::string> a) {
      a.insert(a.end(), endpoint.begin(), endpoint.end());
      return a;
    };

    auto json = run_process(FIM_LSP_BINARY, args({"complete", file + ":3:5", "--json"}), key);
    CHECK(json.exit_code == 0);
    const auto v = boost::json::parse(json.out);
    CHECK(v.at("text") == "return s");
    REQUIRE(v.at("usage").is_object());
    CHECK(v.at("usage").at("completionTokens").to_number<int>() > 0);
    CHECK(v.at("timing").at("totalMs").to_number<double>() >=
          v.at("timing").at("firstTextMs").to_number<double>());

    // The same text from stdin: the extension of --path, or --language, names the language
    // (here: a ```python fence goes only in a Python document).
    r.chunks = {"```python\n", "return s\n```\nThis returns the sum."};
    backend.set_reply(r);
    auto unnamed =
        run_process(FIM_LSP_BINARY, args({"complete", "-:3:5"}), key, std::chrono::seconds(30), file);
    CHECK(unnamed.exit_code == 0);
    CHECK(unnamed.out.starts_with("```python"));
    for (const auto& naming :
         std::vector<std::vector<std::string>>{{"--path", "stats.py"}, {"--language", "python"}}) {
      auto from_stdin = args({"complete", "-:3:5"});
      from_stdin.insert(from_stdin.end(), naming.begin(), naming.end());
      auto piped = run_process(FIM_LSP_BINARY, from_stdin, key, std::chrono::seconds(30), file);
      CHECK(piped.exit_code == 0);
      CHECK(piped.out == "return s");
    }
    // --path names stdin only; stdin shorter than LINE is a usage error like a file.
    CHECK(run_process(FIM_LSP_BINARY, args({"complete", file + ":3:5", "--path", "x.py"}), key).exit_code ==
          2);
    CHECK(run_process(FIM_LSP_BINARY, args({"complete", "-:30:1"}), key, std::chrono::seconds(30), file)
              .exit_code == 2);
  }

  TEST_CASE("column in characters on a non-ASCII line") {
    TestBackend backend;
    Reply r;
    r.chunks = {"!"};
    backend.set_reply(r);
    TempDir dir;
    const auto file = dir.write("u.txt", "\xf0\x9f\x98\x80\xe6\x97\xa5x");
    auto result = run_process(FIM_LSP_BINARY, {"complete", file + ":1:3", "--base-url", backend.base_url(),
                                               "--ca-file", backend.ca_file()});
    CHECK(result.exit_code == 0);
    CHECK(boost::json::parse(backend.requests().at(0).body).at("prompt") ==
          "<|fim_prefix|>\xf0\x9f\x98\x80\xe6\x97\xa5<|fim_suffix|>x<|fim_middle|>");
  }

  TEST_CASE("exit codes and messages say what went wrong") {
    TempDir dir;
    const auto file = dir.write("a.txt", "a = ");
    SUBCASE("no key for a remote endpoint") {
      auto r = run_process(FIM_LSP_BINARY, {"complete", file + ":1:5"}, {"DASHSCOPE_API_KEY="});
      CHECK(r.exit_code == 3);
      CHECK(r.err.find("DASHSCOPE_API_KEY") != std::string::npos);
    }
    SUBCASE("HTTP status") {
      TestBackend backend;
      Reply reply;
      reply.fault = Fault::Status401;
      backend.set_reply(reply);
      auto r = run_process(
          FIM_LSP_BINARY,
          {"complete", file + ":1:5", "--base-url", backend.base_url(), "--ca-file", backend.ca_file()},
          {"DASHSCOPE_API_KEY=sk-bad"});
      CHECK(r.exit_code == 4);
      CHECK(r.err.find("401") != std::string::npos);
      CHECK(r.err.find("sk-bad") == std::string::npos);
    }
    SUBCASE("TLS") {
      BackendOptions o;
      o.wrong_host_certificate = true;
      TestBackend backend(o);
      auto r = run_process(FIM_LSP_BINARY, {"complete", file + ":1:5", "--base-url", backend.base_url(),
                                            "--ca-file", backend.ca_file()});
      CHECK(r.exit_code == 5);
      CHECK_FALSE(r.err.empty());
    }
    SUBCASE("bad position and missing file") {
      CHECK(run_process(FIM_LSP_BINARY, {"complete", file + ":9:1"}).exit_code == 2);
      CHECK(run_process(FIM_LSP_BINARY, {"complete", dir.path() + "/missing.txt:1:1"}).exit_code == 2);
      CHECK(run_process(FIM_LSP_BINARY, {"complete", "nonsense"}).exit_code == 2);
    }
  }

} // TEST_SUITE
