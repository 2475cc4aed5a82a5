#pragma once
// A loopback HTTPS server with its own test CA made at start-up, configurable delays and every
// fault on demand. It answers each route in its request shape's format (test_backend_shapes.hpp:
// .../completions, .../fim/completions, .../infill, .../api/generate), streamed when the request
// asks for it, and records what it received.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fimlsp::test {

enum class Fault {
  None,
  Status401,        // the route's error JSON, code "invalid_api_key"
  Status401EchoKey, // the same, quoting the Authorization header it got (as some gateways do)
  Status429,        // with Retry-After: retry_after
  Status500,
  Status503,      // with Retry-After: retry_after
  Drop,           // close the connection before any response
  DropMidStream,  // send headers and the first chunk, then close
  StallHeaders,   // accept the request, never answer
  StallMidStream, // send headers and the first chunk, then nothing
  MalformedSse,   // a data: line that is not JSON
  ErrorChunk,     // a 200 stream whose second event is the route's error JSON
  Redirect,       // 302 Found, Location: https://elsewhere.example/v1/completions?key=secret
  Endless,        // after the chunks, the last one again and again until the client hangs up
                  // (at most kEndlessLimit bytes, so that the test ends even if it never does)
};
inline constexpr std::size_t kEndlessLimit = std::size_t{256} << 20;

// Every fault but None, by the name fim-test-backend --fault takes.
struct NamedFault {
  const char* name;
  Fault fault;
};
inline constexpr NamedFault kFaults[] = {
    {"401", Fault::Status401},
    {"401-echo-key", Fault::Status401EchoKey},
    {"429", Fault::Status429},
    {"500", Fault::Status500},
    {"503", Fault::Status503},
    {"drop", Fault::Drop},
    {"drop-mid-stream", Fault::DropMidStream},
    {"stall-headers", Fault::StallHeaders},
    {"stall-mid-stream", Fault::StallMidStream},
    {"malformed-sse", Fault::MalformedSse},
    {"error-chunk", Fault::ErrorChunk},
    {"redirect", Fault::Redirect},
    {"endless", Fault::Endless},
};

struct Reply {
  std::vector<std::string> chunks{"hello"}; // completion text, one stream event each
  std::chrono::milliseconds first_delay{0}; // before the first chunk (after headers)
  std::chrono::milliseconds chunk_delay{0}; // between chunks
  Fault fault = Fault::None;
  std::string retry_after = "1"; // the header's raw value on 429/503; "" = no header
  // Before each of these chunks the reply waits for the next TestBackend::release() (or the
  // client hanging up): tests order events with this, never with delays. A non-streamed reply
  // waits once if the list is not empty.
  std::vector<std::size_t> hold_before;
};

struct RecordedRequest {
  std::string method, target, authorization, content_type;
  std::string body;
  std::chrono::steady_clock::time_point received;
  std::optional<std::chrono::steady_clock::time_point> client_hung_up; // client closed before the reply ended
  bool completed = false;                                              // the whole reply was sent
  std::chrono::steady_clock::time_point finished;                      // when it was (if completed)
  std::uint64_t connection = 0;                                        // which connection carried it
};

struct BackendOptions {
  bool tls = true;
  bool wrong_host_certificate = false; // certificate for "wrong.example" only
  std::string dir;                     // where ca.pem is written; "" = a fresh temp dir
  bool record_bodies = true;           // false: requests() keeps no bodies (long runs)
};

class TestBackend {
public:
  explicit TestBackend(BackendOptions options = {});
  ~TestBackend(); // stops the server thread
  TestBackend(const TestBackend&) = delete;
  TestBackend& operator=(const TestBackend&) = delete;

  std::uint16_t port() const;
  std::string base_url() const; // "https://127.0.0.1:<port>/v1" (http:// when !tls)
  std::string ca_file() const;  // PEM of the test CA

  // Decides the reply for each request (default: Reply{}); called on the server thread.
  void set_handler(std::function<Reply(const RecordedRequest&)> handler);
  void set_reply(Reply reply); // the same reply for every request

  // Lets every held reply go on to its next hold (releases before a request arrived do not count).
  void release();

  std::vector<RecordedRequest> requests() const;
  std::size_t handshakes() const; // connections accepted (TLS handshakes completed)
  // Waits (bounded by `timeout`) until pred(requests()) holds; returns whether it did.
  bool wait_until(const std::function<bool(const std::vector<RecordedRequest>&)>& pred,
                  std::chrono::milliseconds timeout) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace fimlsp::test
