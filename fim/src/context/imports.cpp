#include "fimlsp/fim/context/imports.hpp"
#include <algorithm>
#include <array>
#include <cctype>

namespace fimlsp::fim {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == ';'))
    s.remove_suffix(1);
  return s;
}

bool word_byte(char c) {
  return c == '_' || c == '.' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

// The dotted name at the start of `s` ("a.b.c" of "a.b.c as x").
std::string_view dotted(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && word_byte(s[n]))
    ++n;
  return s.substr(0, n);
}

std::string replace_all(std::string_view s, char from, char to) {
  std::string out(s);
  for (auto& c : out)
    if (c == from) c = to;
  return out;
}

std::string_view directory_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

template <class F> void for_each_line(std::string_view text, F f) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    f(trim(text.substr(0, nl)));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
}

// The quoted strings in `line` ('...', "..." or `...`) that follow `after` (e.g. "from", "require(").
template <class F> void quoted_after(std::string_view line, std::string_view after, F f) {
  for (std::size_t at = line.find(after); at != std::string_view::npos; at = line.find(after, at + 1)) {
    std::size_t i = at + after.size();
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '('))
      ++i;
    if (i >= line.size() || (line[i] != '\'' && line[i] != '"' && line[i] != '`')) continue;
    const auto close = line.find(line[i], i + 1);
    if (close == std::string_view::npos) return;
    f(line.substr(i + 1, close - i - 1));
    at = close; // on after the string
  }
}

void add(std::vector<std::string>& out, std::string path) {
  if (!path.empty()) out.push_back(std::move(path));
}

void python(std::string_view current, std::string_view head, std::vector<std::vector<std::string>>& out) {
  const std::string_view dir = directory_of(current);
  auto module_paths = [&](std::string_view module, std::vector<std::string>& c) {
    // Leading dots: relative to the current package.
    std::size_t dots = 0;
    while (dots < module.size() && module[dots] == '.')
      ++dots;
    const std::string rest = replace_all(module.substr(dots), '.', '/');
    std::vector<std::string> bases;
    if (dots > 0) {
      std::string base(dir);
      for (std::size_t i = 1; i < dots; ++i)
        base = join_path(base, "..");
      bases.push_back(base);
    } else {
      bases = {"", "src", std::string(dir)};
    }
    for (auto& b : bases) {
      if (rest.empty()) continue;
      add(c, join_path(b, rest + ".py"));
      add(c, join_path(b, rest + "/__init__.py"));
    }
    return bases;
  };
  for_each_line(head, [&](std::string_view line) {
    if (line.starts_with("import ")) {
      std::string_view names = line.substr(7);
      while (!names.empty()) {
        const auto comma = names.find(',');
        std::vector<std::string> c;
        module_paths(dotted(trim(names.substr(0, comma))), c);
        if (!c.empty()) out.push_back(std::move(c));
        names.remove_prefix(comma == std::string_view::npos ? names.size() : comma + 1);
      }
    } else if (line.starts_with("from ")) {
      const std::string_view module = dotted(line.substr(5));
      const auto imp = line.find(" import ");
      std::vector<std::string> c;
      const auto bases = module_paths(module, c);
      if (!c.empty()) out.push_back(std::move(c));
      // `from pkg import a, b`: each name may be a module of the package.
      if (imp != std::string_view::npos) {
        std::size_t dots = 0;
        while (dots < module.size() && module[dots] == '.')
          ++dots;
        const std::string package = replace_all(module.substr(dots), '.', '/');
        std::string_view names = line.substr(imp + 8);
        while (!names.empty()) {
          const auto comma = names.find(',');
          const std::string_view name = dotted(trim(names.substr(0, comma)));
          std::vector<std::string> m;
          if (!name.empty() && name.find('.') == std::string_view::npos)
            for (auto& b : bases)
              add(m, join_path(join_path(b, package), std::string(name) + ".py"));
          if (!m.empty()) out.push_back(std::move(m));
          names.remove_prefix(comma == std::string_view::npos ? names.size() : comma + 1);
        }
      }
    }
  });
}

void javascript(std::string_view current, std::string_view head, std::vector<std::vector<std::string>>& out) {
  const std::string_view dir = directory_of(current);
  constexpr std::array<std::string_view, 7> kExtensions{".ts",  ".tsx", ".js",  ".jsx",
                                                        ".mjs", ".cjs", ".d.ts"};
  auto spec = [&](std::string_view s) {
    if (!s.starts_with("./") && !s.starts_with("../")) return; // packages are not in the workspace
    std::vector<std::string> c;
    const std::string base = join_path(dir, s);
    if (base.empty()) return;
    const auto slash = base.rfind('/');
    if (base.find('.', slash == std::string::npos ? 0 : slash) != std::string::npos) {
      add(c, base);
      // TypeScript sources import the JavaScript they compile to.
      if (base.ends_with(".js")) add(c, base.substr(0, base.size() - 3) + ".ts");
    }
    for (auto e : kExtensions)
      add(c, base + std::string(e));
    for (auto e : {"/index.ts", "/index.tsx", "/index.js", "/index.jsx"})
      add(c, base + e);
    out.push_back(std::move(c));
  };
  for_each_line(head, [&](std::string_view line) {
    if (line.starts_with("//")) return;
    quoted_after(line, "from", spec);
    quoted_after(line, "require(", spec);
    quoted_after(line, "import(", spec);
    if (line.starts_with("import ")) quoted_after(line, "import", spec);
  });
}

void go(std::string_view head, std::string_view module, std::vector<std::vector<std::string>>& out) {
  if (module.empty()) return;
  bool block = false;
  auto spec = [&](std::string_view s) {
    if (!s.starts_with(module) || (s.size() > module.size() && s[module.size()] != '/')) return;
    const std::string_view rest = s.substr(std::min(s.size(), module.size() + 1));
    out.push_back({rest.empty() ? std::string() : join_path("", rest) + "/"});
    if (out.back().front().empty()) out.pop_back();
  };
  for_each_line(head, [&](std::string_view line) {
    if (block) {
      if (line.starts_with(")")) block = false;
      quoted_after(line, "", spec);
    } else if (line.starts_with("import")) {
      if (line.find('(') != std::string_view::npos && line.find('"') == std::string_view::npos)
        block = true;
      else
        quoted_after(line, "import", spec);
    }
  });
}

void rust(std::string_view current, std::string_view head, std::vector<std::vector<std::string>>& out) {
  const std::string_view dir = directory_of(current);
  const auto slash = current.rfind('/');
  const std::string_view file = current.substr(slash == std::string_view::npos ? 0 : slash + 1);
  // `mod x;` in a/b.rs is a/b/x.rs; in mod.rs, lib.rs or main.rs it is beside it.
  std::string mod_base(dir);
  if (file != "mod.rs" && file != "lib.rs" && file != "main.rs" && file.ends_with(".rs"))
    mod_base = join_path(dir, file.substr(0, file.size() - 3));
  // The crate root: the nearest enclosing src/ directory.
  std::string crate = "src";
  if (const auto at = std::string("/").append(current).rfind("/src/"); at != std::string::npos)
    crate = std::string(current.substr(0, at + 3));
  for_each_line(head, [&](std::string_view line) {
    if (line.starts_with("pub ")) line = trim(line.substr(4));
    if (line.starts_with("mod ") && line.find('{') == std::string_view::npos) {
      const std::string name(dotted(line.substr(4)));
      if (name.empty()) return;
      std::vector<std::string> c;
      add(c, join_path(mod_base, name + ".rs"));
      add(c, join_path(mod_base, name + "/mod.rs"));
      out.push_back(std::move(c));
    } else if (line.starts_with("use crate::")) {
      std::string_view path = line.substr(11);
      std::vector<std::string> segments;
      while (!path.empty() && (std::isalnum(static_cast<unsigned char>(path[0])) || path[0] == '_')) {
        std::size_t n = 0;
        while (n < path.size() && (std::isalnum(static_cast<unsigned char>(path[n])) || path[n] == '_'))
          ++n;
        segments.emplace_back(path.substr(0, n));
        path.remove_prefix(n);
        if (!path.starts_with("::")) break;
        path.remove_prefix(2);
      }
      std::vector<std::string> c;
      // The longest module path first: the last segment may be an item of its parent module.
      for (std::size_t n = segments.size(); n > 0; --n) {
        std::string p;
        for (std::size_t i = 0; i < n; ++i)
          p += (i ? "/" : "") + segments[i];
        add(c, join_path(crate, p + ".rs"));
        add(c, join_path(crate, p + "/mod.rs"));
      }
      if (!c.empty()) out.push_back(std::move(c));
    }
  });
}

void c_family(std::string_view current, std::string_view head, std::vector<std::vector<std::string>>& out) {
  const std::string_view dir = directory_of(current);
  for_each_line(head, [&](std::string_view line) {
    if (!line.starts_with('#')) return;
    line = trim(line.substr(1));
    if (!line.starts_with("include")) return;
    line = trim(line.substr(7));
    if (!line.starts_with('"')) return; // <...> is the system's
    const auto close = line.find('"', 1);
    if (close == std::string_view::npos) return;
    const std::string_view name = line.substr(1, close - 1);
    std::vector<std::string> c;
    for (std::string_view base :
         {dir, std::string_view{}, std::string_view{"include"}, std::string_view{"src"}})
      add(c, join_path(base, name));
    out.push_back(std::move(c));
  });
}

void java(std::string_view current, std::string_view head, std::vector<std::vector<std::string>>& out) {
  // The source root is the file's directory without its package's directories.
  std::string root(directory_of(current));
  std::vector<std::string_view> imports;
  for_each_line(head, [&](std::string_view line) {
    if (line.starts_with("package ")) {
      const std::string package = replace_all(dotted(trim(line.substr(8))), '.', '/');
      if (root == package)
        root.clear();
      else if (root.ends_with("/" + package))
        root.resize(root.size() - package.size() - 1);
    } else if (line.starts_with("import ")) {
      line = trim(line.substr(7));
      const bool is_static = line.starts_with("static ");
      if (is_static) line = trim(line.substr(7));
      std::string_view name = dotted(line);
      if (name.size() < line.size() && line[name.size()] == '*') return; // a whole package
      if (is_static && name.rfind('.') != std::string_view::npos) name = name.substr(0, name.rfind('.'));
      imports.push_back(name);
    }
  });
  for (auto name : imports) {
    std::vector<std::string> c;
    add(c, join_path(root, replace_all(name, '.', '/') + ".java"));
    if (!c.empty()) out.push_back(std::move(c));
  }
}

} // namespace

std::string join_path(std::string_view base, std::string_view relative) {
  std::vector<std::string_view> parts;
  bool escaped = false;
  auto push = [&](std::string_view path) {
    while (!path.empty()) {
      const auto slash = path.find('/');
      const std::string_view part = path.substr(0, slash);
      if (part == "..") {
        if (parts.empty())
          escaped = true;
        else
          parts.pop_back();
      } else if (!part.empty() && part != ".") {
        parts.push_back(part);
      }
      path.remove_prefix(slash == std::string_view::npos ? path.size() : slash + 1);
    }
  };
  push(base);
  push(relative);
  if (escaped) return "";
  std::string out;
  for (auto p : parts)
    out += (out.empty() ? "" : "/") + std::string(p);
  return out;
}

std::string_view import_language(std::string_view id, std::string_view path) {
  if (id == "python") return "python";
  if (id == "javascript" || id == "typescript" || id == "javascriptreact" || id == "typescriptreact")
    return "javascript";
  if (id == "go" || id == "rust" || id == "java") return id;
  if (id == "c" || id == "cpp" || id == "objective-c" || id == "objective-cpp") return "c";
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return "";
  const std::string_view ext = path.substr(dot + 1);
  if (ext == "py") return "python";
  for (auto e : {"js", "jsx", "ts", "tsx", "mjs", "cjs"})
    if (ext == e) return "javascript";
  if (ext == "go") return "go";
  if (ext == "rs") return "rust";
  if (ext == "java") return "java";
  for (auto e : {"c", "h", "cc", "cpp", "cxx", "hpp", "hh", "hxx", "m", "mm"})
    if (ext == e) return "c";
  return "";
}

std::vector<std::vector<std::string>> import_candidates(std::string_view language, std::string_view current,
                                                        std::string_view head, std::string_view go_module) {
  std::vector<std::vector<std::string>> out;
  if (language == "python")
    python(current, head, out);
  else if (language == "javascript")
    javascript(current, head, out);
  else if (language == "go")
    go(head, go_module, out);
  else if (language == "rust")
    rust(current, head, out);
  else if (language == "c")
    c_family(current, head, out);
  else if (language == "java")
    java(current, head, out);
  // A file does not import itself; each candidate once.
  for (auto& c : out) {
    std::erase(c, std::string(current));
    for (std::size_t i = 0; i < c.size(); ++i)
      c.erase(std::remove(c.begin() + static_cast<std::ptrdiff_t>(i) + 1, c.end(), c[i]), c.end());
  }
  std::erase_if(out, [](const auto& c) { return c.empty(); });
  return out;
}

std::string go_module_path(std::string_view go_mod) {
  std::string found;
  for_each_line(go_mod, [&](std::string_view line) {
    if (found.empty() && line.starts_with("module ")) {
      std::string_view m = trim(line.substr(7));
      if (m.size() >= 2 && m.front() == '"' && m.back() == '"') m = m.substr(1, m.size() - 2);
      found = m;
    }
  });
  return found;
}

} // namespace fimlsp::fim
