/**
 * Whether Electron's binary is installed, decided the way
 * node_modules/electron/index.js resolves it (path.txt names the executable
 * under dist/, or under ELECTRON_OVERRIDE_DIST_PATH) — without requiring
 * that module, which would start a download when the binary is missing.
 * Mirrors `findElectronBinary` in scripts/electronBinary.js.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type ElectronBinary = { ok: true; executablePath: string } | { ok: false; reason: string };

export function hasElectronBinary(repoRoot: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const electronDir = join(repoRoot, "node_modules", "electron");
  const pathFile = join(electronDir, "path.txt");
  const relative = existsSync(pathFile) ? readFileSync(pathFile, "utf8").trim() : null;
  const override = env["ELECTRON_OVERRIDE_DIST_PATH"];
  if (override) {
    const executablePath = join(override, relative || "electron");
    return existsSync(executablePath)
      ? { ok: true, executablePath }
      : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${executablePath}` };
  }
  if (!relative) {
    return { ok: false, reason: `${pathFile} is missing (the package is installed but its binary was never downloaded)` };
  }
  const executablePath = join(electronDir, "dist", relative);
  return existsSync(executablePath)
    ? { ok: true, executablePath }
    : { ok: false, reason: `${executablePath} does not exist` };
}
