import { test } from "node:test";
import assert from "node:assert/strict";
import { apiKeyEnvName, launchSettings, SERVER_KEYS, serverEnvironment, toServerSettings } from "../settings";

const from = (values: Record<string, unknown>) => (key: string) => values[key];

test("nothing set sends nothing, so the server's defaults and --config stay in force", () => {
  assert.deepEqual(toServerSettings(from({})), {});
});

test("every key lands at its place in the server schema", () => {
  const settings = toServerSettings(
    from({
      provider: "ollama",
      "endpoint.api": "completions-suffix",
      "endpoint.baseUrl": "https://127.0.0.1:8443/v1",
      "endpoint.apiKeyEnv": "MY_KEY",
      "endpoint.caFile": "/etc/ca.pem",
      "endpoint.timeoutMs": 3000,
      model: "qwen2.5-coder-7b",
      template: "starcoder",
      "request.maxTokens": 64,
      "request.temperature": 0.2,
      "request.topP": null,
      "request.stop": ["\n\n"],
      "request.seed": 7,
      "request.presencePenalty": -1.5,
      "request.stream": false,
      "context.maxPrefixChars": 4000,
      "context.maxSuffixChars": 1000,
      "context.otherFiles": false,
      "context.maxOtherChars": 2000,
      "context.exclude": ["*.env", "private/"],
      "context.maxFileBytes": 50000,
      "context.maxOpenBytes": 1000000,
      "suggestion.maxLines": 3,
      "suggestion.prefetch": true,
      debounceMs: 150,
    }),
  );
  assert.deepEqual(settings, {
    provider: "ollama",
    endpoint: {
      api: "completions-suffix",
      baseUrl: "https://127.0.0.1:8443/v1",
      apiKeyEnv: "MY_KEY",
      caFile: "/etc/ca.pem",
      timeoutMs: 3000,
    },
    model: "qwen2.5-coder-7b",
    template: "starcoder",
    request: {
      maxTokens: 64,
      temperature: 0.2,
      topP: null,
      stop: ["\n\n"],
      seed: 7,
      presencePenalty: -1.5,
      stream: false,
    },
    context: {
      maxPrefixChars: 4000,
      maxSuffixChars: 1000,
      otherFiles: false,
      maxOtherChars: 2000,
      exclude: ["*.env", "private/"],
      maxFileBytes: 50000,
      maxOpenBytes: 1000000,
    },
    suggestion: { maxLines: 3, prefetch: true },
    debounceMs: 150,
  });
});

test("only the keys that are set are sent", () => {
  assert.deepEqual(toServerSettings(from({ model: "m", "request.maxTokens": 10 })), {
    model: "m",
    request: { maxTokens: 10 },
  });
});

test("debounceMs takes a number, 'auto' or a number typed as text", () => {
  assert.deepEqual(toServerSettings(from({ debounceMs: "auto" })), { debounceMs: "auto" });
  assert.deepEqual(toServerSettings(from({ debounceMs: " Auto " })), { debounceMs: "auto" });
  assert.deepEqual(toServerSettings(from({ debounceMs: "250" })), { debounceMs: 250 });
  assert.deepEqual(toServerSettings(from({ debounceMs: 0 })), { debounceMs: 0 });
  assert.deepEqual(toServerSettings(from({ debounceMs: "soon" })), {});
  assert.deepEqual(toServerSettings(from({ debounceMs: -5 })), {});
});

test("an empty text box means unset; an empty caFile clears it", () => {
  assert.deepEqual(toServerSettings(from({ "endpoint.baseUrl": "  ", model: "" })), {});
  assert.deepEqual(toServerSettings(from({ "endpoint.caFile": "" })), { endpoint: { caFile: null } });
  assert.deepEqual(toServerSettings(from({ "endpoint.caFile": null })), { endpoint: { caFile: null } });
});

test("endpoint.proxy: a URL, \"\" for none, null for the environment's", () => {
  assert.deepEqual(toServerSettings(from({ "endpoint.proxy": " http://proxy:3128 " })), {
    endpoint: { proxy: "http://proxy:3128" },
  });
  assert.deepEqual(toServerSettings(from({ "endpoint.proxy": "" })), { endpoint: { proxy: "" } });
  assert.deepEqual(toServerSettings(from({ "endpoint.proxy": null })), { endpoint: { proxy: null } });
  assert.deepEqual(toServerSettings(from({ "endpoint.proxy": 3128 })), {});
});

test("values of the wrong shape are dropped, range checks are left to the server", () => {
  assert.deepEqual(
    toServerSettings(
      from({
        "endpoint.timeoutMs": "5000",
        "request.maxTokens": 1.5,
        "request.stream": "yes",
        "request.stop": "\n",
        "request.seed": 2.5,
      }),
    ),
    {},
  );
  // Out of range but well-formed: passed on, so the server's message names the key.
  assert.deepEqual(toServerSettings(from({ "request.temperature": 5 })), { request: { temperature: 5 } });
  assert.deepEqual(toServerSettings(from({ "request.stop": ["a", 3, "b"] })), { request: { stop: ["a", "b"] } });
});

test("every key mirrored by package.json and only those", async () => {
  const { readFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const manifest = JSON.parse(await readFile(join(__dirname, "..", "..", "package.json"), "utf8"));
  const contributed = Object.keys(manifest.contributes.configuration.properties)
    .map((k: string) => k.replace(/^fimLsp\./, ""))
    .filter((k: string) => !["enable", "serverPath", "serverArgs", "documentSelector", "trace.server"].includes(k));
  assert.deepEqual(contributed.sort(), SERVER_KEYS.map(([k]) => k).sort());
});

test("launch: serverPath or fim-lsp from PATH; --stdio is left to the language client", () => {
  assert.deepEqual(launchSettings(from({})), { command: "fim-lsp", args: [] });
  assert.deepEqual(launchSettings(from({ serverPath: " /opt/fim-lsp ", serverArgs: ["--stdio", "--log-level", "debug"] })), {
    command: "/opt/fim-lsp",
    args: ["--log-level", "debug"],
  });
});

test("the server: fimLsp.serverPath, else the packaged fim-lsp (an absolute path, no PATH needed), else PATH", () => {
  const packaged = "/ext/fim-lsp-0.1.0/bin/fim-lsp";
  assert.equal(launchSettings(from({}), packaged).command, packaged);
  assert.equal(launchSettings(from({ serverPath: " /opt/fim-lsp " }), packaged).command, "/opt/fim-lsp");
  assert.equal(launchSettings(from({ serverPath: "" }), packaged).command, packaged);
  assert.equal(launchSettings(from({})).command, "fim-lsp");
});

test("the stored key goes to the server under the variable it reads: the setting, the preset's, DashScope's", () => {
  assert.equal(apiKeyEnvName(from({})), "DASHSCOPE_API_KEY");
  assert.equal(apiKeyEnvName(from({ provider: "mistral" })), "MISTRAL_API_KEY");
  assert.equal(apiKeyEnvName(from({ provider: "mistral", "endpoint.apiKeyEnv": " MY_KEY " })), "MY_KEY");
  const base = { PATH: "/usr/bin", DASHSCOPE_API_KEY: "sk-exported" };
  assert.deepEqual(serverEnvironment(base, "DASHSCOPE_API_KEY", "sk-stored"), {
    PATH: "/usr/bin",
    DASHSCOPE_API_KEY: "sk-stored",
  });
  // No stored key: an exported variable still works; the editor's environment is not changed.
  assert.deepEqual(serverEnvironment(base, "DASHSCOPE_API_KEY", undefined), base);
  assert.equal(base.DASHSCOPE_API_KEY, "sk-exported");
});
