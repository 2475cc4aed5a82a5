#pragma once
// `fim-lsp doctor`: checks, step by step, what a completion needs, one line each with the fix.
#include "fimlsp/fim/settings.hpp"
#include <ostream>

namespace fimlsp::server {

// Exit codes of `doctor`: 0 when every step passed, else the first failing step's.
enum DoctorExit : int {
  kDoctorOk = 0,
  kDoctorSettings = 10,   // a setting refused or unknown, bad baseUrl, template or request shape
  kDoctorKey = 11,        // the API key variable is not set (or would go over plain HTTP)
  kDoctorResolve = 12,    // the endpoint's (or the proxy's) host name does not resolve
  kDoctorConnect = 13,    // TCP connect to the endpoint (or the proxy) failed
  kDoctorProxy = 14,      // the proxy is unusable, refused the tunnel or asked for credentials
  kDoctorTls = 15,        // TLS handshake, certificate verification or host name match failed
  kDoctorKeyRefused = 16, // the completion request was answered 401 or 403
  kDoctorCompletion = 17, // the completion request failed otherwise (model, status, timeout, reply)
};

// `settings` as the command line built them (defaults → --config FILE → flags), refused or not.
int run_doctor(const fim::SettingsResult& settings, std::ostream& out);

} // namespace fimlsp::server
