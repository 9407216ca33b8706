/**
 * Whether Electron's binary is installed, and one quiet attempt to fetch it.
 *
 * "Installed" is decided the way node_modules/electron/index.js resolves it —
 * node_modules/electron/path.txt names the executable under
 * node_modules/electron/dist/ (or under ELECTRON_OVERRIDE_DIST_PATH) — but
 * without requiring that module, because requiring it starts a download with
 * inherited output when the binary is missing. e2e/hasElectronBinary.ts
 * mirrors it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const FETCH_TIMEOUT_MS = 45_000;

/** The Electron executable's path if it exists on disk, else null. */
export function findElectronBinary(root) {
  const electronDir = join(root, "node_modules", "electron");
  const pathFile = join(electronDir, "path.txt");
  const relative = existsSync(pathFile) ? readFileSync(pathFile, "utf8").trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return existsSync(join(override, relative || "electron")) ? join(override, relative || "electron") : null;
  if (!relative) return null;
  const full = join(electronDir, "dist", relative);
  return existsSync(full) ? full : null;
}

/** Tries once, quietly and with a timeout, to download the binary (node_modules/electron/install.js). */
export function tryFetchElectron(root) {
  const electronDir = join(root, "node_modules", "electron");
  const install = join(electronDir, "install.js");
  if (!existsSync(install)) return;
  spawnSync(process.execPath, [install], { cwd: electronDir, stdio: "ignore", timeout: FETCH_TIMEOUT_MS });
}

/** The installed binary, fetching it once if missing; null when there is none. */
export function electronBinaryOrFetch(root) {
  const found = findElectronBinary(root);
  if (found) return found;
  tryFetchElectron(root);
  return findElectronBinary(root);
}

/**
 * Electron's download script declares Node >= 22.12; on an older Node a
 * failed fetch may be that, not the network, so the fallback line says so.
 */
export function nodeNote() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return "";
  return `; also, Electron's download script wants Node >= 22.12 and this is Node ${process.versions.node}`;
}
