// Maps the VS Code settings "fimLsp.*" to the server's settings object (DESIGN.md, "Settings").
// Pure: no "vscode" import, so node --test runs it without VS Code.

// A setting the user has set explicitly (user, workspace or folder), or undefined. Defaults are
// deliberately not sent: the server applies its own defaults, then --config FILE and CLI flags,
// and a default sent from here would silently override those.
export type Lookup = (key: string) => unknown;

export interface ServerSettings {
  provider?: string;
  endpoint?: {
    baseUrl?: string;
    apiKeyEnv?: string;
    caFile?: string | null;
    timeoutMs?: number;
    api?: string;
    proxy?: string | null;
  };
  model?: string;
  template?: string;
  request?: {
    maxTokens?: number;
    temperature?: number | null;
    topP?: number | null;
    stop?: string[];
    seed?: number | null;
    presencePenalty?: number | null;
    stream?: boolean;
  };
  context?: {
    maxPrefixChars?: number;
    maxSuffixChars?: number;
    otherFiles?: boolean;
    maxOtherChars?: number;
    exclude?: string[];
    maxFileBytes?: number;
    maxOpenBytes?: number;
  };
  suggestion?: { maxLines?: number; prefetch?: boolean | null };
  debounceMs?: number | "auto";
}

type Kind =
  | "string"
  | "nullableString"
  | "proxy"
  | "int"
  | "nullableInt"
  | "nullableNumber"
  | "bool"
  | "nullableBool"
  | "strings"
  | "debounce";

// VS Code key (below "fimLsp.") → kind; the server path is the same dotted key.
export const SERVER_KEYS: ReadonlyArray<readonly [string, Kind]> = [
  ["provider", "string"],
  ["endpoint.api", "string"],
  ["endpoint.baseUrl", "string"],
  ["endpoint.apiKeyEnv", "string"],
  ["endpoint.caFile", "nullableString"],
  ["endpoint.timeoutMs", "int"],
  ["endpoint.proxy", "proxy"],
  ["model", "string"],
  ["template", "string"],
  ["request.maxTokens", "int"],
  ["request.temperature", "nullableNumber"],
  ["request.topP", "nullableNumber"],
  ["request.stop", "strings"],
  ["request.seed", "nullableInt"],
  ["request.presencePenalty", "nullableNumber"],
  ["request.stream", "bool"],
  ["context.maxPrefixChars", "int"],
  ["context.maxSuffixChars", "int"],
  ["context.otherFiles", "bool"],
  ["context.maxOtherChars", "int"],
  ["context.exclude", "strings"],
  ["context.maxFileBytes", "int"],
  ["context.maxOpenBytes", "int"],
  ["suggestion.maxLines", "int"],
  ["suggestion.prefetch", "nullableBool"],
  ["debounceMs", "debounce"],
];

// The value to send, or undefined to leave the key out. Range checks are the server's job (it names
// the bad key and keeps the previous settings); here only shapes that cannot be meant are dropped,
// and the empty string of a text box means "not set".
function convert(kind: Kind, value: unknown): unknown {
  switch (kind) {
    case "string":
      return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
    case "nullableString":
      if (value === null) return null;
      if (typeof value !== "string") return undefined;
      return value.trim() === "" ? null : value.trim();
    case "proxy": // "" is meaningful here: no proxy, whatever HTTPS_PROXY says
      if (value === null) return null;
      return typeof value === "string" ? value.trim() : undefined;
    case "int":
      return typeof value === "number" && Number.isInteger(value) ? value : undefined;
    case "nullableInt":
      return value === null || (typeof value === "number" && Number.isInteger(value)) ? value : undefined;
    case "nullableNumber":
      return value === null || (typeof value === "number" && Number.isFinite(value)) ? value : undefined;
    case "bool":
      return typeof value === "boolean" ? value : undefined;
    case "nullableBool":
      return value === null || typeof value === "boolean" ? value : undefined;
    case "strings":
      return Array.isArray(value) ? value.filter((s): s is string => typeof s === "string") : undefined;
    case "debounce":
      if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
      if (typeof value === "string") {
        const text = value.trim().toLowerCase();
        if (text === "auto") return "auto";
        if (/^\d+$/.test(text)) return Number(text);
      }
      return undefined;
  }
}

export function toServerSettings(lookup: Lookup): ServerSettings {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of SERVER_KEYS) {
    const value = convert(kind, lookup(key));
    if (value === undefined) continue;
    const path = key.split(".");
    let node = out;
    for (const part of path.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return out as ServerSettings;
}

export interface LaunchSettings {
  command: string;
  args: string[];
}

// How to start the server: fimLsp.serverPath, else the fim-lsp the platform package carries
// (`bundled`, an absolute path), else "fim-lsp" from PATH; and fimLsp.serverArgs. "--stdio" is
// not added here: vscode-languageclient appends it for the stdio transport.
export function launchSettings(get: Lookup, bundled?: string): LaunchSettings {
  const path = get("serverPath");
  const args = get("serverArgs");
  return {
    command: typeof path === "string" && path.trim() !== "" ? path.trim() : (bundled ?? "fim-lsp"),
    args: Array.isArray(args) ? args.filter((a): a is string => typeof a === "string" && a !== "--stdio") : [],
  };
}

// The key variables of the server's provider presets (fim/src/providers/presets.cpp), for the
// key kept in VS Code's SecretStorage: it goes to the server under the name the server reads.
const PRESET_KEY_ENV: Record<string, string> = {
  dashscope: "DASHSCOPE_API_KEY",
  "dashscope-intl": "DASHSCOPE_API_KEY",
  deepseek: "DEEPSEEK_API_KEY",
  mistral: "MISTRAL_API_KEY",
  codestral: "CODESTRAL_API_KEY",
  ollama: "OLLAMA_API_KEY",
  llamacpp: "LLAMA_API_KEY",
  "openai-compatible": "OPENAI_API_KEY",
};

// fimLsp.endpoint.apiKeyEnv when set, else the provider preset's variable, else DashScope's.
export function apiKeyEnvName(get: Lookup): string {
  const set = get("endpoint.apiKeyEnv");
  if (typeof set === "string" && set.trim() !== "") return set.trim();
  const provider = get("provider");
  return (typeof provider === "string" && PRESET_KEY_ENV[provider]) || "DASHSCOPE_API_KEY";
}

// The server's environment: the editor's, with the stored key (if any) under `name`. Without a
// stored key an exported variable still works.
export function serverEnvironment(
  base: Record<string, string | undefined>,
  name: string,
  storedKey: string | undefined,
): Record<string, string | undefined> {
  return storedKey ? { ...base, [name]: storedKey } : { ...base };
}
