#!/usr/bin/env node
/**
 * `npm run dev`: electron-vite's dev server with hot reload, on Electron.
 *
 * Needs the Electron binary (one quiet fetch attempt when it is missing) and
 * better-sqlite3 built for Electron's ABI (made when missing or stale, as for
 * `npm start`), passed to the app as MUSHER_SQLITE_BINDING. Without either it
 * says why in one line and exits 1: there is no headless dev mode to fall
 * back to (`npm start` runs `musher serve` instead).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { electronBinaryOrFetch, nodeNote } from "./electronBinary.js";
import { ensureElectronNative, REBUILD_ELECTRON_COMMAND, SQLITE_BINDING_ENV } from "./electronNative.js";
import { electronEnv, runForwarding } from "./runForwarding.js";

const root = fileURLToPath(new URL("..", import.meta.url));

const electron = electronBinaryOrFetch(root);
if (!electron) {
  process.stderr.write(
    `dev: \`npm run dev\` needs the Electron binary, which is not installed here (its download host is unreachable${nodeNote()}); \`npm start\` runs the headless node instead.\n`,
  );
  process.exit(1);
}
const native = await ensureElectronNative(root, { log: (line) => process.stderr.write(`dev: ${line}\n`) });
if (!native.ok) {
  process.stderr.write(`dev: could not build better-sqlite3 for Electron (${native.reason}); fix that and run \`${REBUILD_ELECTRON_COMMAND}\`.\n`);
  process.exit(1);
}
const cli = join(root, "node_modules", "electron-vite", "bin", "electron-vite.js");
// ELECTRON_EXEC_PATH: electron-vite launches the binary found here (also under ELECTRON_OVERRIDE_DIST_PATH).
const env = electronEnv({ [SQLITE_BINDING_ENV]: native.file, ELECTRON_EXEC_PATH: electron });
runForwarding(process.execPath, [cli, "dev", ...process.argv.slice(2)], { cwd: root, env });
