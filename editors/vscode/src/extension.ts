// Thin client: starts `fim-lsp --stdio`, hands it the settings, and lets vscode-languageclient
// (>= 10.0.1, which registers textDocument/inlineCompletion by default) show its ghost text.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as readline from "node:readline";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  MessageType,
  ServerOptions,
  ShowMessageNotification,
  TransportKind,
} from "vscode-languageclient/node";
import { apiKeyEnvName, launchSettings, serverEnvironment, toServerSettings } from "./settings";
import { serverLogLine } from "./server_log";
import { ServerStatus, statusView } from "./status";

const SECTION = "fimLsp";
let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let serverStatus: ServerStatus | undefined; // the server's latest fimLsp/status
let bundled: string | undefined; // the fim-lsp inside a platform package, when there is one
let secrets: vscode.SecretStorage;
const SECRET = "fimLsp.apiKey";

// The platform .vsix carries bin/fim-lsp; an unpacked file may have lost its executable bit.
function findBundled(extensionPath: string): string | undefined {
  const file = path.join(extensionPath, "bin", "fim-lsp");
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    try {
      fs.chmodSync(file, 0o755);
      return file;
    } catch {
      return undefined;
    }
  }
}

// Whether `command` runs at all (`--version`): the message says what to do when it does not.
function checkRuns(command: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, ["--version"], { timeout: 5000 }, (error) => resolve(error ? error.message : undefined));
  });
}

function lines(input: NodeJS.ReadableStream, each: (line: string) => void): void {
  readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on("line", each);
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

// Only what the user set (any scope) goes to the server; see settings.ts.
function serverSettings() {
  const cfg = config();
  return toServerSettings((key) => {
    const seen = cfg.inspect(key);
    const set =
      seen &&
      (seen.globalValue !== undefined || seen.workspaceValue !== undefined || seen.workspaceFolderValue !== undefined);
    return set ? cfg.get(key) : undefined;
  });
}

function enabled(): boolean {
  return config().get<boolean>("enable", true);
}

function showStatus() {
  const view = statusView(enabled(), serverStatus);
  status.text = view.text;
  status.tooltip = view.tooltip;
  status.show();
}

async function start(): Promise<void> {
  const launch = launchSettings((key) => config().get(key), bundled);
  const broken = await checkRuns(launch.command);
  if (broken) {
    void vscode.window.showErrorMessage(
      `fim-lsp does not run (${launch.command}): ${broken}. Install the fim-lsp .vsix built for this platform, ` +
        `or set "fimLsp.serverPath" to a fim-lsp executable.`,
    );
    return;
  }
  const keyEnv = apiKeyEnvName((key) => config().get(key));
  const serverOptions: ServerOptions = {
    command: launch.command,
    args: launch.args,
    transport: TransportKind.stdio, // the client appends --stdio
    options: { env: serverEnvironment(process.env, keyEnv, await secrets.get(SECRET)) },
  };
  const schemes = config().get<string[]>("documentSelector", ["file", "untitled"]);
  const clientOptions: LanguageClientOptions = {
    documentSelector: schemes.map((scheme) => ({ scheme })),
    initializationOptions: serverSettings(),
    outputChannel: output,
    // The server logs on stderr, one line per event with its level: keep that level.
    stdioOptions: {
      stdout: (input, channel) => lines(input, (line) => channel.info(line)),
      stderr: (input, channel) =>
        lines(input, (line) => {
          const { level, text } = serverLogLine(line);
          channel[level](text);
        }),
    },
    middleware: {
      // Turned off: answer nothing without asking the server (it keeps its documents in sync).
      provideInlineCompletionItems: (document, position, context, token, next) =>
        enabled() ? next(document, position, context, token) : undefined,
      provideCompletionItem: (document, position, context, token, next) =>
        enabled() ? next(document, position, context, token) : undefined,
      workspace: {
        // workspace/configuration for section "fimLsp": the server schema, not VS Code's raw keys.
        configuration: (params) => params.items.map((item) => (item.section === SECTION ? serverSettings() : null)),
      },
    },
  };
  client = new LanguageClient(SECTION, "fim-lsp", serverOptions, clientOptions);
  // The server sends fimLsp/status only to clients that ask for it in their capabilities.
  client.registerFeature({
    fillClientCapabilities: (capabilities) => {
      capabilities.experimental = { ...(capabilities.experimental as object | undefined), fimLspStatus: true };
    },
    initialize: () => undefined,
    getState: () => ({ kind: "static" }),
    clear: () => undefined,
  });
  client.onNotification("fimLsp/status", (params: ServerStatus) => {
    serverStatus = params;
    showStatus();
  });
  // In place of the client's own: the server's message about a missing or refused key (it tells
  // each problem once) offers the command that stores one.
  client.onNotification(ShowMessageNotification.type, ({ type, message }) => {
    const show =
      type === MessageType.Error
        ? vscode.window.showErrorMessage
        : type === MessageType.Warning
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    if (!/API key/.test(message)) return void show(message);
    void show(message, "Set API key").then((choice) =>
      choice ? vscode.commands.executeCommand("fimLsp.setApiKey") : undefined,
    );
  });
  serverStatus = undefined;
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      `fim-lsp did not start (${launch.command}): ${message}. Set "fimLsp.serverPath" to the fim-lsp executable.`,
    );
  }
}

// `fim-lsp doctor` with the settings and the key the server gets, into the output channel.
async function runDoctor(): Promise<void> {
  const launch = launchSettings((key) => config().get(key), bundled);
  const keyEnv = apiKeyEnvName((key) => config().get(key));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fim-lsp-doctor-"));
  const settingsFile = path.join(dir, "settings.json");
  fs.writeFileSync(settingsFile, JSON.stringify(serverSettings()), { mode: 0o600 });
  const env = serverEnvironment(process.env, keyEnv, await secrets.get(SECRET));
  output.show();
  output.info(`fim-lsp doctor (${launch.command}):`);
  await new Promise<void>((resolve) => {
    execFile(
      launch.command,
      [...launch.args, "doctor", "--config", settingsFile],
      { env, timeout: 60000 },
      (error, stdout, stderr) => {
        for (const line of `${stdout}${stderr}`.split("\n").filter((l) => l !== "")) output.info(line);
        if (error && error.code === undefined) output.error(`doctor did not run: ${error.message}`);
        fs.rmSync(dir, { recursive: true, force: true });
        resolve();
      },
    );
  });
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop().catch(() => undefined);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("fim-lsp", { log: true });
  bundled = findBundled(context.extensionPath);
  secrets = context.secrets;
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.command = "fimLsp.menu";
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    vscode.commands.registerCommand("fimLsp.toggle", async () => {
      await config().update("enable", !enabled(), vscode.ConfigurationTarget.Global);
    }),
    // What the status item offers.
    vscode.commands.registerCommand("fimLsp.menu", async () => {
      const actions: Array<{ label: string; command: string }> = [
        { label: enabled() ? "Turn completions off" : "Turn completions on", command: "fimLsp.toggle" },
        { label: "Set API key", command: "fimLsp.setApiKey" },
        { label: "Show log", command: "fimLsp.showLog" },
        { label: "Run doctor", command: "fimLsp.doctor" },
        { label: "Restart server", command: "fimLsp.restart" },
      ];
      const choice = await vscode.window.showQuickPick(actions, { title: "fim-lsp" });
      if (choice) await vscode.commands.executeCommand(choice.command);
    }),
    vscode.commands.registerCommand("fimLsp.showLog", () => output.show()),
    vscode.commands.registerCommand("fimLsp.doctor", () => runDoctor()),
    vscode.commands.registerCommand("fimLsp.restart", async () => {
      await stop();
      await start();
    }),
    // The key lives in VS Code's SecretStorage, never in settings.json; the server gets it in its
    // environment, so setting or clearing it restarts the server.
    vscode.commands.registerCommand("fimLsp.setApiKey", async () => {
      const name = apiKeyEnvName((key) => config().get(key));
      const key = await vscode.window.showInputBox({
        title: "fim-lsp: API key",
        prompt: `Stored in VS Code's secret storage and given to fim-lsp as $${name}`,
        password: true,
        ignoreFocusOut: true,
      });
      if (!key) return;
      await secrets.store(SECRET, key.trim());
      await stop();
      await start();
    }),
    vscode.commands.registerCommand("fimLsp.clearApiKey", async () => {
      await secrets.delete(SECRET);
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      showStatus();
      const relaunch = ["serverPath", "serverArgs", "documentSelector"].some((key) =>
        event.affectsConfiguration(`${SECTION}.${key}`),
      );
      if (relaunch) {
        await stop();
        await start();
      } else if (client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: serverSettings() },
        });
      }
    }),
  );
  showStatus();
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}
