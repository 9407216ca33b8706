#!/usr/bin/env node
/**
 * `npm run rebuild:electron`: (re)builds better-sqlite3 for the installed
 * Electron version into node_modules/.musher-electron/…, leaving the Node
 * build that `musher serve` and the tests use untouched. Needs Electron's
 * version (node_modules/electron), not its binary; needs a route to
 * better-sqlite3's prebuilt downloads or to Electron's headers.
 */
import { fileURLToPath } from "node:url";
import { ensureElectronNative } from "./electronNative.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const result = await ensureElectronNative(root, { force: true, log: (line) => process.stderr.write(`rebuild:electron: ${line}\n`) });
if (result.ok) {
  process.stdout.write(`${result.file}\n`);
} else {
  process.stderr.write(`rebuild:electron: could not build better-sqlite3 for Electron: ${result.reason}\n`);
  process.exit(1);
}
