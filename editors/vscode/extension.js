// Starts `lawtrace lsp` (or the command in the setting lawtrace.server.command) for .lt files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("lawtrace").get("server.command", ["lawtrace", "lsp"]);
  client = new LanguageClient(
    "lawtrace",
    "lawtrace",
    { command, args },
    { documentSelector: [{ language: "lawtrace" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
