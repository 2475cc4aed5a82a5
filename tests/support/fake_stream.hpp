#pragma once
// A CompletionStream for the engine's tests: records each stream it is asked for; the test
// pushes its text pieces and ends it with the outcome it chooses. Nothing touches a socket.
#include "fimlsp/fim/completion_stream.hpp"
#include <boost/asio/any_io_executor.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fimlsp::test {

class FakeStream final : public fim::CompletionStream {
public:
  struct Call {
    fim::CompletionPlan plan;
    std::string api_key;
    fim::Clock::time_point deadline;
    bool cancelled = false; // the engine emitted the cancellation signal
    bool stopped = false;   // on_text asked to stop
    bool ended = false;     // stream() has returned
    struct Wake;
    std::shared_ptr<Wake> wake;
    std::deque<std::string> pieces;
    std::optional<fim::StreamOutcome> end;
  };

  explicit FakeStream(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}

  boost::system::error_code configure(const fim::Settings& settings, std::string& diagnostics) override;
  void prewarm() override { ++prewarms; }
  boost::asio::awaitable<fim::StreamOutcome> stream(fim::CompletionPlan plan, std::string api_key,
                                                    OnText on_text, boost::asio::cancellation_slot cancel,
                                                    fim::Clock::time_point deadline) override;

  // Streams in the order they were started. The stream sees a push or an end when the
  // executor next runs.
  std::size_t size() const { return calls_.size(); }
  const Call& operator[](std::size_t i) const { return *calls_.at(i); }
  void push(std::size_t i, std::string piece);
  void end(std::size_t i, fim::StreamOutcome outcome = {});
  std::size_t running() const;

  // What configure answers.
  boost::system::error_code configure_error;
  std::string configure_diagnostics;
  int configures = 0;
  int prewarms = 0;

private:
  boost::asio::any_io_executor ex_;
  std::vector<std::shared_ptr<Call>> calls_;
};

// A failed stream's outcome, as the HTTP client reports it.
fim::StreamOutcome http_status(int status, std::optional<std::chrono::milliseconds> retry_after = {});
fim::StreamOutcome failed(fim::error e);

} // namespace fimlsp::test
