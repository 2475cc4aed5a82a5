#include "fimlsp/fim/settings.hpp"
#include "fimlsp/fim/net/proxy.hpp"
#include "fimlsp/fim/prompt/templates.hpp"
#include "fimlsp/fim/providers/presets.hpp"
#include "fimlsp/fim/providers/registry.hpp"
#include <boost/json/parse.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

namespace fimlsp::fim {

namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxSeed = 2147483647; // 2^31 - 1

std::string number_text(double d) {
  std::ostringstream out;
  out << d;
  return out.str();
}

// Reads the values of one settings object. The first error wins and is kept with its key;
// null always means "back to the default".
class Reader {
public:
  explicit Reader(std::vector<std::string>& warnings) : warnings_(warnings) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  void fail(const std::string& key, const std::string& message) {
    if (error_.empty()) error_ = key + ": " + message;
  }
  void unknown(const std::string& key) { warnings_.push_back("unknown setting \"" + key + "\" ignored"); }

  // An object section: nullptr after an error (null is handled by the caller).
  const json::object* section(const json::value& v, const std::string& key) {
    if (auto* o = v.if_object()) return o;
    fail(key, "must be an object");
    return nullptr;
  }

  void string(const json::value& v, const std::string& key, std::string& out, const std::string& dflt) {
    if (v.is_null()) return void(out = dflt);
    auto* s = v.if_string();
    if (!s || s->empty()) return fail(key, "must be a non-empty string");
    out.assign(s->data(), s->size());
  }

  void string(const json::value& v, const std::string& key, std::optional<std::string>& out) {
    if (v.is_null()) return void(out.reset());
    std::string s;
    string(v, key, s, "");
    if (ok()) out = std::move(s);
  }

  // An integer in [lo, hi]; a JSON number with a fraction is refused.
  std::optional<std::int64_t> integer(const json::value& v, const std::string& key, std::int64_t lo,
                                      std::int64_t hi) {
    std::optional<std::int64_t> n;
    if (v.is_int64())
      n = v.get_int64();
    else if (v.is_uint64())
      n = v.get_uint64() > static_cast<std::uint64_t>(hi) ? hi + 1
                                                          : static_cast<std::int64_t>(v.get_uint64());
    else if (v.is_double() && std::trunc(v.get_double()) == v.get_double() && std::abs(v.get_double()) < 1e18)
      n = static_cast<std::int64_t>(v.get_double());
    if (!n || *n < lo || *n > hi) {
      fail(key, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
      return std::nullopt;
    }
    return n;
  }

  template <class T>
  void integer(const json::value& v, const std::string& key, std::int64_t lo, std::int64_t hi, T& out,
               T dflt) {
    if (v.is_null()) return void(out = dflt);
    if (auto n = integer(v, key, lo, hi)) out = static_cast<T>(*n);
  }

  template <class T>
  void integer(const json::value& v, const std::string& key, std::int64_t lo, std::int64_t hi,
               std::optional<T>& out, std::optional<T> dflt) {
    if (v.is_null()) return void(out = dflt);
    if (auto n = integer(v, key, lo, hi)) out = static_cast<T>(*n);
  }

  // A number; `range` describes the interval for the message, `in_range` checks it.
  template <class InRange>
  void number(const json::value& v, const std::string& key, std::optional<double>& out, const char* range,
              InRange in_range) {
    if (v.is_null()) return void(out.reset());
    if (!v.is_number()) return fail(key, std::string("must be a number in ") + range);
    const double d = v.to_number<double>();
    if (!in_range(d)) return fail(key, std::string("must be in ") + range + ", got " + number_text(d));
    out = d;
  }

  void boolean(const json::value& v, const std::string& key, bool& out, bool dflt) {
    if (v.is_null()) return void(out = dflt);
    if (!v.is_bool()) return fail(key, "must be true or false");
    out = v.get_bool();
  }

  // The API takes a string or an array of strings; both are accepted here.
  void strings(const json::value& v, const std::string& key, std::vector<std::string>& out) {
    if (v.is_null()) return out.clear();
    std::vector<std::string> list;
    auto add = [&](const json::value& item) {
      auto* s = item.if_string();
      if (!s || s->empty()) return false;
      list.emplace_back(s->data(), s->size());
      return true;
    };
    bool good = true;
    if (auto* a = v.if_array())
      for (auto& item : *a)
        good = good && add(item);
    else
      good = add(v);
    if (!good) return fail(key, "must be a non-empty string or an array of non-empty strings");
    out = std::move(list);
  }

  // A list of globs; null is the default list, [] excludes nothing.
  void globs(const json::value& v, const std::string& key, std::vector<std::string>& out,
             const std::vector<std::string>& dflt) {
    if (v.is_null()) return void(out = dflt);
    auto* a = v.if_array();
    std::vector<std::string> list;
    bool good = a != nullptr;
    if (a)
      for (auto& item : *a) {
        auto* s = item.if_string();
        good = good && s && !s->empty();
        if (good) list.emplace_back(s->data(), s->size());
      }
    if (!good) return fail(key, "must be an array of non-empty glob strings");
    out = std::move(list);
  }

private:
  std::vector<std::string>& warnings_;
  std::string error_;
};

std::string api_names() {
  std::string names;
  for (auto name : provider_names())
    names += (names.empty() ? "" : ", ") + std::string(name);
  return names;
}

std::string preset_names() {
  std::string names;
  for (auto& p : all_presets())
    names += (names.empty() ? "" : ", ") + std::string(p.name);
  return names;
}

// A preset key set to a value is the user's from then on; set to null it is the preset's again.
void mark(bool& user_set, const json::value& v, bool& preset_touched) {
  user_set = !v.is_null();
  preset_touched = preset_touched || v.is_null();
}

// null: the environment decides; "": no proxy; else a proxy URL, checked now (the error never
// repeats the URL, which may hold a password).
void read_proxy(Reader& r, const json::value& v, const std::string& key, std::optional<std::string>& out) {
  if (v.is_null()) return out.reset();
  auto* s = v.if_string();
  if (!s) return r.fail(key, "must be an http:// proxy URL, or \"\" for none");
  std::string url(s->data(), s->size()), error;
  if (!url.empty() && !parse_proxy(url, error)) return r.fail(key, error);
  out = std::move(url);
}

void read_endpoint(Reader& r, const json::object& o, EndpointSettings& e, PresetKeys& set, bool& touched) {
  const EndpointSettings d;
  for (auto& [k, v] : o) {
    const std::string key = "endpoint." + std::string(k);
    if (k == "baseUrl" || k == "apiKeyEnv" || k == "api")
      mark(k == "baseUrl" ? set.baseUrl : k == "api" ? set.api : set.apiKeyEnv, v, touched);
    if (k == "baseUrl") {
      r.string(v, key, e.baseUrl, d.baseUrl);
      if (r.ok() && !e.baseUrl.starts_with("https://") && !e.baseUrl.starts_with("http://"))
        r.fail(key, "must be an https:// (or http://) URL, got \"" + e.baseUrl + "\"");
    } else if (k == "apiKeyEnv") {
      r.string(v, key, e.apiKeyEnv, d.apiKeyEnv);
      if (r.ok() && e.apiKeyEnv.find('=') != std::string::npos)
        r.fail(key, "must be the name of an environment variable");
    } else if (k == "api") {
      r.string(v, key, e.api, d.api);
      if (r.ok() && !find_provider(e.api))
        r.fail(key, "unknown request shape \"" + e.api + "\" (known: " + api_names() + ")");
    } else if (k == "caFile") {
      r.string(v, key, e.caFile);
    } else if (k == "timeoutMs") {
      r.integer(v, key, 1, 600000, e.timeoutMs, d.timeoutMs);
    } else if (k == "proxy") {
      read_proxy(r, v, key, e.proxy);
    } else {
      r.unknown(key);
    }
    if (!r.ok()) return;
  }
}

void read_request(Reader& r, const json::object& o, RequestSettings& q) {
  const RequestSettings d;
  for (auto& [k, v] : o) {
    const std::string key = "request." + std::string(k);
    if (k == "maxTokens") {
      r.integer(v, key, 1, std::numeric_limits<int>::max(), q.maxTokens, d.maxTokens);
    } else if (k == "temperature") {
      r.number(v, key, q.temperature, "[0, 2)", [](double x) { return x >= 0 && x < 2; });
    } else if (k == "topP") {
      r.number(v, key, q.topP, "(0, 1]", [](double x) { return x > 0 && x <= 1; });
    } else if (k == "presencePenalty") {
      r.number(v, key, q.presencePenalty, "[-2, 2]", [](double x) { return x >= -2 && x <= 2; });
    } else if (k == "seed") {
      r.integer(v, key, 0, kMaxSeed, q.seed, d.seed);
    } else if (k == "stop") {
      r.strings(v, key, q.stop);
    } else if (k == "stream") {
      r.boolean(v, key, q.stream, d.stream);
    } else {
      r.unknown(key);
    }
    if (!r.ok()) return;
  }
}

void read_context(Reader& r, const json::object& o, ContextSettings& c) {
  const ContextSettings d;
  constexpr std::int64_t kMaxChars = 1 << 20;
  for (auto& [k, v] : o) {
    const std::string key = "context." + std::string(k);
    if (k == "maxPrefixChars")
      r.integer(v, key, 0, kMaxChars, c.maxPrefixChars, d.maxPrefixChars);
    else if (k == "maxSuffixChars")
      r.integer(v, key, 0, kMaxChars, c.maxSuffixChars, d.maxSuffixChars);
    else if (k == "otherFiles")
      r.boolean(v, key, c.otherFiles, d.otherFiles);
    else if (k == "maxOtherChars")
      r.integer(v, key, 0, kMaxChars, c.maxOtherChars, d.maxOtherChars);
    else if (k == "maxFileBytes")
      r.integer(v, key, 0, std::int64_t{1} << 30, c.maxFileBytes, d.maxFileBytes);
    else if (k == "maxOpenBytes")
      r.integer(v, key, 0, std::int64_t{1} << 40, c.maxOpenBytes, d.maxOpenBytes);
    else if (k == "exclude")
      r.globs(v, key, c.exclude, d.exclude);
    else
      r.unknown(key);
    if (!r.ok()) return;
  }
}

void read_suggestion(Reader& r, const json::object& o, Settings& s) {
  for (auto& [k, v] : o) {
    const std::string key = "suggestion." + std::string(k);
    if (k == "maxLines") {
      r.integer(v, key, 1, 1000, s.maxLines, Settings{}.maxLines);
    } else if (k == "prefetch") {
      bool on = false;
      r.boolean(v, key, on, false);
      s.prefetch = v.is_null() ? std::nullopt : std::optional<bool>(on);
    } else
      r.unknown(key);
    if (!r.ok()) return;
  }
}

std::string template_names() {
  std::string names;
  for (auto& t : all_templates())
    names += (names.empty() ? "" : ", ") + std::string(t.name);
  return names;
}

// Fills in the preset's keys that the user has not set.
void apply_preset(Settings& s) {
  const ProviderPreset* p = find_preset(s.provider);
  if (!p) return; // refused where it was read
  if (!s.userSet.baseUrl) s.endpoint.baseUrl = p->base_url;
  if (!s.userSet.api) s.endpoint.api = p->api;
  if (!s.userSet.apiKeyEnv) s.endpoint.apiKeyEnv = p->api_key_env;
  if (!s.userSet.model) s.model = p->model;
  if (!s.userSet.templateName) s.templateName = p->template_name;
}

// `preset_touched`: the provider changed or a preset key went back to it.
void read_root(Reader& r, const json::object& root, Settings& s, bool& preset_touched) {
  const Settings d;
  for (auto& [k, v] : root) {
    const std::string key(k);
    if (k == "model") mark(s.userSet.model, v, preset_touched);
    if (k == "template") mark(s.userSet.templateName, v, preset_touched);
    // A section set to null goes back to its defaults as a whole.
    const json::object* o = nullptr;
    if (k == "endpoint" || k == "request" || k == "context" || k == "suggestion")
      o = v.is_null() ? nullptr : r.section(v, key);
    if (k == "endpoint") {
      if (v.is_null()) {
        s.endpoint = d.endpoint;
        s.userSet.baseUrl = s.userSet.api = s.userSet.apiKeyEnv = false;
        preset_touched = true;
      } else if (o) {
        read_endpoint(r, *o, s.endpoint, s.userSet, preset_touched);
      }
    } else if (k == "request") {
      if (v.is_null())
        s.request = d.request;
      else if (o)
        read_request(r, *o, s.request);
    } else if (k == "context") {
      if (v.is_null())
        s.context = d.context;
      else if (o)
        read_context(r, *o, s.context);
    } else if (k == "suggestion") {
      if (v.is_null())
        s.maxLines = d.maxLines, s.prefetch = d.prefetch;
      else if (o)
        read_suggestion(r, *o, s);
    } else if (k == "provider") {
      r.string(v, key, s.provider, d.provider);
      if (r.ok() && !find_preset(s.provider))
        r.fail(key, "unknown provider \"" + s.provider + "\" (known: " + preset_names() + ")");
      preset_touched = true;
    } else if (k == "model") {
      r.string(v, key, s.model, d.model);
    } else if (k == "template") {
      std::string name;
      r.string(v, key, name, d.templateName);
      if (r.ok() && !find_template(name))
        r.fail(key, "unknown template \"" + name + "\" (known: " + template_names() + ")");
      if (r.ok()) s.templateName = name;
    } else if (k == "debounceMs") {
      if (v.is_null() || (v.is_string() && v.get_string() == "auto"))
        s.debounceMs.reset();
      else if (!v.is_number())
        r.fail(key, "must be \"auto\" or a number of milliseconds");
      else
        r.integer(v, key, 0, 10000, s.debounceMs, d.debounceMs);
    } else {
      r.unknown(key);
    }
    if (!r.ok()) return;
  }
}

} // namespace

std::vector<std::string> default_context_exclude() {
  // Secrets and keys, version control, dependencies and build outputs.
  return {".env*",        "*.pem",     "*.key",         "*.p12",    "*.pfx",        "id_rsa*",
          "id_dsa*",      "id_ecdsa*", "id_ed25519*",   "*secret*", "*credential*", "*password*",
          ".npmrc",       ".pypirc",   ".netrc",        ".git/",    ".hg/",         ".svn/",
          ".ssh/",        ".aws/",     "node_modules/", "vendor/",  ".venv/",       "venv/",
          "__pycache__/", "build/",    "dist/",         "out/",     "target/",      "bin/",
          "obj/",         ".next/",    "*.min.js",      "*.map",    "*.lock",       "package-lock.json"};
}

SettingsResult apply_settings(const Settings& base, const json::value& value) {
  SettingsResult result;
  if (value.is_null()) {
    result.settings = base;
    return result;
  }
  auto* root = value.if_object();
  if (!root) {
    result.error = "settings: must be a JSON object";
    return result;
  }
  Settings s = base;
  Reader r(result.warnings);
  bool preset_touched = false;
  read_root(r, *root, s, preset_touched);
  if (r.ok() && preset_touched) apply_preset(s);
  // The seed: "Because both temperature and top_p control text diversity, set only one of them."
  if (r.ok() && s.request.temperature && s.request.topP)
    r.fail("request.temperature", "cannot be set together with request.topP (set only one of them)");
  if (!r.ok()) {
    result.error = r.error();
    return result;
  }
  result.settings = std::move(s);
  return result;
}

SettingsResult apply_settings_file(const Settings& base, const std::string& path) {
  SettingsResult result;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    result.error = path + ": cannot read: " + std::strerror(errno);
    return result;
  }
  // Config files are written by hand: comments and trailing commas are fine.
  json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  boost::system::error_code ec;
  json::value value = json::parse(text.str(), ec, {}, options);
  if (ec) {
    result.error = path + ": not valid JSON: " + ec.message();
    return result;
  }
  result = apply_settings(base, value);
  if (!result.settings) result.error = path + ": " + result.error;
  for (auto& w : result.warnings)
    w = path + ": " + w;
  return result;
}

std::string read_api_key(const Settings& s) {
  const char* raw = std::getenv(s.endpoint.apiKeyEnv.c_str());
  std::string_view key = raw ? raw : "";
  // Keys pasted from files often carry a newline.
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = key.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "";
  key = key.substr(first, key.find_last_not_of(kSpace) - first + 1);
  return std::string(key);
}

} // namespace fimlsp::fim
