#pragma once
// The "context" rows of the benchmark: building the other-file context for a request.
#include <functional>
#include <string>

namespace fimlsp::test {

using Record = std::function<void(const std::string& name, double value)>;

// In this process: a workspace of `files` files on disk, 20 open documents and a current file
// importing five modules; the cost of the context per request while typing in the current file
// and after another document changed.
void context_in_process(const Record& record, int files);
// The real fim-lsp with 20 open documents: the completion overhead with the context.
void context_overhead(const Record& record, int requests);

} // namespace fimlsp::test
