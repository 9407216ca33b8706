#!/usr/bin/env node
/**
 * `npm start`: build, then run the app the best way this machine allows.
 *
 * 1. `electron-vite build` (stops here with its exit code if it fails).
 * 2. If the Electron binary is installed (scripts/electronBinary.js; one quiet
 *    fetch attempt when it is not), make sure better-sqlite3 is built for
 *    Electron's ABI beside the Node build (scripts/electronNative.js: only
 *    when missing or when the Electron or better-sqlite3 version changed),
 *    then launch Electron on this package with MUSHER_SQLITE_BINDING naming
 *    that build.
 * 3. Otherwise — no binary, or no Electron build of better-sqlite3 could be
 *    made — print one line saying why and run the headless node
 *    (`musher serve`) instead.
 *
 * Whatever it runs inherits stdio, receives our arguments, SIGINT and
 * SIGTERM, and its exit code becomes ours.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { electronBinaryOrFetch, nodeNote } from "./electronBinary.js";
import { ensureElectronNative, REBUILD_ELECTRON_COMMAND, SQLITE_BINDING_ENV } from "./electronNative.js";
import { electronEnv, runForwarding } from "./runForwarding.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const forwardedArgs = process.argv.slice(2);

function build() {
  const cli = join(root, "node_modules", "electron-vite", "bin", "electron-vite.js");
  const result = spawnSync(process.execPath, [cli, "build"], { cwd: root, stdio: "inherit" });
  if (result.error) {
    process.stderr.write(`start: could not run electron-vite (${result.error.message})\n`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function serveInstead(why) {
  process.stderr.write(`${why}; starting the headless node instead — open the link below.\n`);
  runForwarding(process.execPath, [join(root, "bin", "musher.js"), "serve", ...forwardedArgs], { cwd: root, env: process.env });
}

build();
const electron = electronBinaryOrFetch(root);
if (!electron) {
  serveInstead(`Electron is not installed here (its download host is unreachable${nodeNote()})`);
} else {
  const native = await ensureElectronNative(root, { log: (line) => process.stderr.write(`start: ${line}\n`) });
  if (native.ok) {
    runForwarding(electron, [root, ...forwardedArgs], { cwd: root, env: electronEnv({ [SQLITE_BINDING_ENV]: native.file }) });
  } else {
    serveInstead(`Could not build better-sqlite3 for Electron (${native.reason}); fix that and run \`${REBUILD_ELECTRON_COMMAND}\``);
  }
}
