// Whatever the backend does, every request is answered in time, the user is told what to fix
// once, the key never shows, and the next request works.
#include "fimlsp/fim/backend_stream.hpp"
#include "support/replies.hpp"
#include "support/session.hpp"
#include "support/temp_dir.hpp"
#include <doctest/doctest.h>

using namespace fimlsp::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::string shown_message(Session& s) {
  auto m = s.lsp.wait_notification("window/showMessage");
  return m ? std::string(m->at("params").at("message").as_string()) : "";
}

} // namespace

TEST_SUITE("backend faults") {

  TEST_CASE("every fault: an empty result within endpoint.timeoutMs, and the next request works") {
    for (Fault f : {Fault::Status500, Fault::Drop, Fault::DropMidStream, Fault::StallHeaders,
                    Fault::StallMidStream, Fault::MalformedSse, Fault::ErrorChunk}) {
      CAPTURE(static_cast<int>(f));
      Session s({{"endpoint", {{"timeoutMs", 800}}}});
      s.backend.set_reply(fault(f));
      s.open("file:///f.txt", "a = ");
      const auto start = std::chrono::steady_clock::now();
      CHECK(s.inline_text(s.inline_request("file:///f.txt", 0, 4), 3s) == "");
      // Answered within the timeout (checked loosely: the bound is the contract, not a benchmark).
      CHECK(std::chrono::steady_clock::now() - start < 2s);
      s.backend.set_reply(ok("1"));
      s.change("file:///f.txt", 0, 4, 0, 4, " ");
      CHECK(s.complete_at("file:///f.txt", 0, 5) == "1");
      CHECK(s.lsp.stderr_text().find(kTestKey) == std::string::npos);
    }
  }

  TEST_CASE("a reply that never stops is cut at maxTokens' worth of bytes, its connection closed") {
    Session s({{"request", {{"maxTokens", 8}}}});
    Reply r = ok("x = ");
    r.chunks.push_back(std::string(500, 'y'));
    r.fault = Fault::Endless;
    s.backend.set_reply(r);
    s.open("file:///e.txt", "a = ");
    const std::string text = s.complete_at("file:///e.txt", 0, 4);
    CHECK(text.starts_with("x = yyy"));
    CHECK(text.size() <= 8 * fimlsp::fim::kReplyBytesPerToken + fimlsp::fim::kReplyMargin);
    CHECK(s.backend.wait_until([](const auto& rs) { return rs.size() == 1 && rs[0].client_hung_up; }, 5s));
    CHECK(s.lsp.wait_stderr("cut there and its connection closed"));
    s.backend.set_reply(ok("1"));
    s.change("file:///e.txt", 0, 4, 0, 4, " ");
    CHECK(s.complete_at("file:///e.txt", 0, 5) == "1");
  }

  TEST_CASE("401: one showMessage naming the key variable, never the key") {
    Session s;
    s.backend.set_reply(fault(Fault::Status401));
    s.open("file:///k.txt", "a = ");
    CHECK(s.complete_at("file:///k.txt", 0, 4) == "");
    const std::string message = shown_message(s);
    CHECK(message.find("DASHSCOPE_API_KEY") != std::string::npos);
    CHECK(message.find(kTestKey) == std::string::npos);
    CHECK(s.complete_at("file:///k.txt", 0, 3) == "");
    // A failure is told before its request is answered: by now a second message would be here.
    CHECK(s.messages_shown() == 1);
    CHECK(s.lsp.stderr_text().find(kTestKey) == std::string::npos);
  }

  TEST_CASE("a redirect is never followed: told once with the host it names, a configuration problem") {
    Session s;
    s.backend.set_reply(fault(Fault::Redirect));
    s.open("file:///r.txt", "a = ");
    CHECK(s.complete_at("file:///r.txt", 0, 4) == "");
    const std::string message = shown_message(s);
    CHECK_MESSAGE(message.find("redirect to elsewhere.example") != std::string::npos, message);
    CHECK(message.find("endpoint.baseUrl") != std::string::npos);
    CHECK(message.find("secret") == std::string::npos);
    CHECK(s.complete_at("file:///r.txt", 0, 3) == "");
    CHECK(s.messages_shown() == 1);
    CHECK(s.backend.requests().size() == 2); // each request went to the endpoint only
    CHECK(s.lsp.stderr_text().find(kTestKey) == std::string::npos);
  }

  TEST_CASE("429: no request to the endpoint before Retry-After has passed") {
    Session s;
    Reply r = fault(Fault::Status429);
    r.retry_after = "30";
    s.backend.set_reply(r);
    s.open("file:///r.txt", "a = ");
    CHECK(s.complete_at("file:///r.txt", 0, 4) == "");
    s.backend.set_reply(ok("1"));
    CHECK(s.complete_at("file:///r.txt", 0, 3) == "");
    CHECK(s.backend.requests().size() == 1);
  }

  TEST_CASE("no API key for a remote endpoint: told once, no request") {
    Session s({{"endpoint", {{"baseUrl", "https://dashscope.example.invalid/compatible-mode/v1"}}}}, {}, {},
              {"DASHSCOPE_API_KEY="});
    s.open("file:///n.txt", "a = ");
    CHECK(s.complete_at("file:///n.txt", 0, 4) == "");
    CHECK(shown_message(s).find("DASHSCOPE_API_KEY") != std::string::npos);
    // The host does not exist, so "no request" is seen in the server's own trace instead.
    CHECK(s.lsp.stderr_text().find("stream started") == std::string::npos);
    CHECK(s.lsp.stderr_text().find("prewarm") == std::string::npos);
  }

  TEST_CASE("the key is never sent over plain HTTP to a non-loopback host") {
    Session s({{"endpoint", {{"baseUrl", "http://192.0.2.1:9/v1"}}}});
    s.open("file:///h.txt", "a = ");
    CHECK(s.complete_at("file:///h.txt", 0, 4) == "");
    const std::string message = shown_message(s);
    CHECK(message.find("HTTP") != std::string::npos);
    CHECK(message.find(kTestKey) == std::string::npos);
  }

  TEST_CASE("plain HTTP to a loopback server works (llama.cpp, Ollama)") {
    BackendOptions plain;
    plain.tls = false;
    Session s({}, {}, plain);
    s.backend.set_reply(ok("local"));
    s.open("file:///l.txt", "a = ");
    CHECK(s.complete_at("file:///l.txt", 0, 4) == "local");
  }

  TEST_CASE("TLS: a certificate for another host name is refused, with the fix in the message") {
    BackendOptions wrong;
    wrong.wrong_host_certificate = true;
    Session s({}, {}, wrong);
    s.backend.set_reply(ok("never"));
    s.open("file:///w.txt", "a = ");
    CHECK(s.complete_at("file:///w.txt", 0, 4) == "");
    CHECK(shown_message(s).find("caFile") != std::string::npos);
    CHECK(s.backend.requests().empty());
  }

  TEST_CASE("TLS: a server whose CA is not trusted is refused") {
    Session s({{"endpoint", {{"caFile", nullptr}}}});
    s.backend.set_reply(ok("never"));
    s.open("file:///u.txt", "a = ");
    CHECK(s.complete_at("file:///u.txt", 0, 4) == "");
    CHECK(shown_message(s).find("certificate") != std::string::npos);
    CHECK(s.backend.requests().empty());
  }

  TEST_CASE("TLS: the CA trusted through SSL_CERT_FILE") {
    TempDir dir;
    BackendOptions o;
    o.dir = dir.path(); // the backend writes its CA to dir/ca.pem
    Session s({{"endpoint", {{"caFile", nullptr}}}}, {}, o,
              {std::string("DASHSCOPE_API_KEY=") + kTestKey, "SSL_CERT_FILE=" + dir.path() + "/ca.pem"});
    s.backend.set_reply(ok("trusted"));
    s.open("file:///e.txt", "a = ");
    CHECK(s.complete_at("file:///e.txt", 0, 4) == "trusted");
  }

} // TEST_SUITE
