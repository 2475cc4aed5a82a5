#pragma once
// Reply factories and waits the test suites share.
#include "support/test_backend.hpp"
#include <chrono>
#include <string>
#include <vector>

namespace fimlsp::test {

inline Reply ok(std::string text) {
  Reply r;
  r.chunks = {std::move(text)};
  return r;
}

// A reply that waits for a TestBackend::release() before each chunk listed in `holds`.
inline Reply held(std::vector<std::string> chunks, std::vector<std::size_t> holds = {0}) {
  Reply r;
  r.chunks = std::move(chunks);
  r.hold_before = std::move(holds);
  return r;
}

// Mid-stream faults strike at the second event, so there are two.
inline Reply fault(Fault f) {
  Reply r;
  r.chunks = {"un", "used"};
  r.fault = f;
  return r;
}

// Whether request `index` has arrived / its client hung up, waiting up to `timeout`.
inline bool received(const TestBackend& b, std::size_t count,
                     std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
  return b.wait_until([count](const std::vector<RecordedRequest>& rs) { return rs.size() >= count; },
                      timeout);
}
inline bool hung_up(const TestBackend& b, std::size_t index,
                    std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
  return b.wait_until(
      [index](const std::vector<RecordedRequest>& rs) {
        return rs.size() > index && rs[index].client_hung_up;
      },
      timeout);
}

} // namespace fimlsp::test
