// Compiled against fim_core's include root only: this include must fail (see tests/CMakeLists.txt).
#include "fimlsp/fim/engine.hpp"
#include "fimlsp/protocol/jsonrpc.hpp"
