#!/usr/bin/env node
/**
 * `npm start`: build, then run the app the best way this machine allows.
 *
 * 1. `electron-vite build` (stops here with its exit code if it fails).
 * 2. If the Electron binary is installed, launch Electron on this package.
 *    "Installed" is decided the way node_modules/electron/index.js resolves
 *    it — node_modules/electron/path.txt names the executable under
 *    node_modules/electron/dist/ (or under ELECTRON_OVERRIDE_DIST_PATH) —
 *    but without requiring that module, because requiring it starts a
 *    download with inherited output when the binary is missing.
 * 3. Otherwise try once, quietly and with a timeout, to fetch the binary
 *    (node_modules/electron/install.js). If it is still missing, print one
 *    line and run the headless node (`musher serve`) instead.
 *
 * Whatever it runs inherits stdio, receives our arguments, SIGINT and
 * SIGTERM, and its exit code becomes ours.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const electronDir = join(root, "node_modules", "electron");
const FETCH_TIMEOUT_MS = 45_000;
const forwardedArgs = process.argv.slice(2);

/** The Electron executable's path if it exists on disk, else null. */
function findElectronBinary() {
  const pathFile = join(electronDir, "path.txt");
  const relative = existsSync(pathFile) ? readFileSync(pathFile, "utf8").trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return existsSync(join(override, relative || "electron")) ? join(override, relative || "electron") : null;
  if (!relative) return null;
  const full = join(electronDir, "dist", relative);
  return existsSync(full) ? full : null;
}

function build() {
  const cli = join(root, "node_modules", "electron-vite", "bin", "electron-vite.js");
  const result = spawnSync(process.execPath, [cli, "build"], { cwd: root, stdio: "inherit" });
  if (result.error) {
    process.stderr.write(`start: could not run electron-vite (${result.error.message})\n`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function tryFetchElectron() {
  const install = join(electronDir, "install.js");
  if (!existsSync(install)) return;
  spawnSync(process.execPath, [install], { cwd: electronDir, stdio: "ignore", timeout: FETCH_TIMEOUT_MS });
}

/** Runs `command`, forwarding signals, and exits the way it exits. */
function runForwarding(command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: "inherit", env });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("error", (err) => {
    process.stderr.write(`start: could not run ${command} (${err.message})\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

/**
 * Electron's download script declares Node >= 22.12; on an older Node a
 * failed fetch may be that, not the network, so the fallback line says so.
 */
function nodeNote() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return "";
  return `; also, Electron's download script wants Node >= 22.12 and this is Node ${process.versions.node}`;
}

build();
let electron = findElectronBinary();
if (!electron) {
  tryFetchElectron();
  electron = findElectronBinary();
}
if (electron) {
  // Inherited, this would make Electron behave as plain Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  runForwarding(electron, [root, ...forwardedArgs], env);
} else {
  process.stderr.write(
    `Electron is not installed here (its download host is unreachable${nodeNote()}); starting the headless node instead — open the link below.\n`,
  );
  runForwarding(process.execPath, [join(root, "bin", "musher.js"), "serve", ...forwardedArgs], process.env);
}
