// `fim-lsp doctor` end to end: every step passing against the loopback backend, and each failure
// stopping at its own step with its own exit code.
#include "support/run_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_backend.hpp"
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <doctest/doctest.h>

using namespace fimlsp::test;

namespace {

const std::string kKey = "sk-doctor-secret-key";

ProcessResult doctor(std::vector<std::string> args, std::vector<std::string> env = {}) {
  args.insert(args.begin(), "doctor");
  env.push_back("HTTPS_PROXY=");
  env.push_back("https_proxy=");
  return run_process(FIM_LSP_BINARY, args, env);
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A loopback port nobody listens on: bound, then closed again.
std::uint16_t closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

} // namespace

TEST_SUITE("doctor") {

  TEST_CASE("all is well: every step passes, with the certificate, the answer and the usage") {
    TestBackend backend;
    Reply r;
    r.chunks = {"a ", "+ b"};
    backend.set_reply(r);
    auto result = doctor({"--base-url", backend.base_url(), "--ca-file", backend.ca_file()},
                         {"DASHSCOPE_API_KEY=" + kKey});
    CHECK(result.exit_code == 0);
    for (const char* step : {"\u2713 settings", "\u2713 api key", "\u2713 resolve", "\u2713 connect",
                             "\u2713 tls", "\u2713 completion", "all checks passed"})
      CHECK_MESSAGE(has(result.out, step), step, "\n", result.out);
    CHECK(has(result.out, "DASHSCOPE_API_KEY is set (" + std::to_string(kKey.size()) + " characters)"));
    CHECK(has(result.out, "host name 127.0.0.1 matches"));
    CHECK(has(result.out, "endpoint.caFile " + backend.ca_file()));
    CHECK(has(result.out, "answered \"a + b\""));
    CHECK(has(result.out, "completion tokens"));
    CHECK_FALSE(has(result.out + result.err, kKey));
    REQUIRE(backend.requests().size() == 1);
    CHECK(backend.requests()[0].authorization == "Bearer " + kKey);
  }

  TEST_CASE("a wrong key fails at the completion request, code 16, and the key is never shown") {
    TestBackend backend;
    Reply refused;
    refused.fault = Fault::Status401EchoKey;
    backend.set_reply(refused);
    auto result = doctor({"--base-url", backend.base_url(), "--ca-file", backend.ca_file()},
                         {"DASHSCOPE_API_KEY=" + kKey});
    CHECK(result.exit_code == 16);
    CHECK(has(result.out, "\u2713 tls"));
    CHECK(has(result.out, "\u2717 completion"));
    CHECK(has(result.out, "refused the key in DASHSCOPE_API_KEY"));
    CHECK_FALSE(has(result.out + result.err, kKey));
  }

  TEST_CASE("an untrusted CA fails at TLS, code 15, naming the trust used") {
    TestBackend backend;
    auto result = doctor({"--base-url", backend.base_url()}, {"DASHSCOPE_API_KEY=" + kKey});
    CHECK(result.exit_code == 15);
    CHECK(has(result.out, "\u2713 connect"));
    CHECK(has(result.out, "\u2717 tls"));
    CHECK(has(result.out, "certificate verify failed"));
    CHECK(has(result.out, "trust: "));
    CHECK(has(result.out, "endpoint.caFile"));
    CHECK(backend.requests().empty());
  }

  TEST_CASE("a closed port fails at connect, code 13") {
    const auto port = closed_port();
    auto result = doctor({"--base-url", "https://127.0.0.1:" + std::to_string(port) + "/v1"},
                         {"DASHSCOPE_API_KEY=" + kKey});
    CHECK(result.exit_code == 13);
    CHECK(has(result.out, "\u2713 resolve"));
    CHECK(has(result.out, "\u2717 connect"));
    CHECK_FALSE(has(result.out, "tls"));
  }

  TEST_CASE("a bad setting fails first, code 10, naming the key") {
    TempDir dir;
    const auto wrong_type = dir.write("wrong.json", R"({"request": {"maxTokens": "many"}})");
    auto refused = doctor({"--config", wrong_type}, {"DASHSCOPE_API_KEY=" + kKey});
    CHECK(refused.exit_code == 10);
    CHECK(has(refused.out, "\u2717 settings"));
    CHECK(has(refused.out, "maxTokens"));
    CHECK_FALSE(has(refused.out, "api key"));

    const auto unknown = dir.write("unknown.json", R"({"modle": "qwen-coder-plus"})");
    auto typo = doctor({"--config", unknown}, {"DASHSCOPE_API_KEY=" + kKey});
    CHECK(typo.exit_code == 10);
    CHECK(has(typo.out, "modle"));
  }

  TEST_CASE("no key for a remote endpoint fails at the key, code 11, before any network step") {
    auto result = doctor({"--base-url", "https://fim.example/v1"}, {"DASHSCOPE_API_KEY="});
    CHECK(result.exit_code == 11);
    CHECK(has(result.out, "\u2717 api key"));
    CHECK(has(result.out, "export DASHSCOPE_API_KEY="));
    CHECK_FALSE(has(result.out, "resolve"));
  }
}
