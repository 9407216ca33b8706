/**
 * Which better-sqlite3 native module the desktop app opens its store with.
 * `npm ci` builds better-sqlite3 for the Node that ran it; Electron embeds
 * another Node with another ABI, so the app needs a build of its own, kept
 * beside the Node one (which `musher serve` and the tests go on using).
 *
 * Invariants:
 * - Packaged: `bundled`, i.e. better-sqlite3's default lookup, which finds
 *   the module electron-builder rebuilt for this Electron (npmRebuild) and
 *   unpacked from the asar. The environment is ignored, so a variable can
 *   never make an installed app load foreign native code.
 * - Unpackaged (`npm start`, `npm run dev`, the Electron e2e):
 *   `MUSHER_SQLITE_BINDING` when set (scripts/start.js and scripts/dev.js
 *   set it; it must be an absolute path to a `.node` file), else the
 *   conventional place where scripts/electronNative.js builds it — never
 *   node_modules/better-sqlite3/build, the Node build.
 * - Pure: whether the file exists and loads is the store's check
 *   (loadSqliteBinding), so both failures reach the user the same way.
 */
import { isAbsolute, join } from "node:path";

export const SQLITE_BINDING_ENV = "MUSHER_SQLITE_BINDING";

export type SqliteBindingChoice = { readonly kind: "bundled" } | { readonly kind: "file"; readonly path: string; readonly from: "env" | "conventional" };

export interface ElectronBuildInputs {
  /** The app's root (`app.getAppPath()`): the folder holding node_modules. */
  appPath: string;
  /** `process.versions.electron` */
  electronVersion: string;
  /** better-sqlite3's package.json version. */
  betterSqlite3Version: string;
  platform: string;
  arch: string;
}

export interface SqliteBindingInputs {
  isPackaged: boolean;
  /** `process.env.MUSHER_SQLITE_BINDING` */
  envPath: string | undefined;
  /** The conventional build's path; only asked for when it is the answer. */
  conventionalPath: () => string;
}

// A version becomes a folder name: digits, dots and a prerelease tag only.
const VERSION = /^\d{1,5}\.\d{1,5}\.\d{1,5}(?:-[0-9A-Za-z.-]{1,40})?$/;

export function chooseSqliteBinding(inputs: SqliteBindingInputs): SqliteBindingChoice {
  if (inputs.isPackaged) return { kind: "bundled" };
  const fromEnv = inputs.envPath;
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!isAbsolute(fromEnv) || !fromEnv.endsWith(".node")) {
      throw new Error(`${SQLITE_BINDING_ENV} must be an absolute path to a .node file, got ${JSON.stringify(fromEnv.slice(0, 200))}; unset it to use the build \`npm run rebuild:electron\` makes.`);
    }
    return { kind: "file", path: fromEnv, from: "env" };
  }
  return { kind: "file", path: inputs.conventionalPath(), from: "conventional" };
}

/**
 * `<appPath>/node_modules/.musher-electron/electron-<v>-better-sqlite3-<v>-<platform>-<arch>/better_sqlite3.node`.
 * One folder per combination, so a new Electron or better-sqlite3 version
 * finds no build and gets a fresh one. Must agree with scripts/electronNative.js
 * (test/integration/electronNative.test.ts checks it).
 */
export function electronBuildPath(inputs: ElectronBuildInputs): string {
  for (const [name, version] of [
    ["Electron", inputs.electronVersion],
    ["better-sqlite3", inputs.betterSqlite3Version],
  ] as const) {
    if (!VERSION.test(version)) throw new Error(`${name} reports an unexpected version ${JSON.stringify(version.slice(0, 60))}`);
  }
  if (!/^[a-z0-9_]{1,20}$/.test(inputs.platform) || !/^[a-z0-9_]{1,20}$/.test(inputs.arch)) {
    throw new Error(`unexpected platform/arch ${JSON.stringify(`${inputs.platform}-${inputs.arch}`.slice(0, 60))}`);
  }
  const folder = `electron-${inputs.electronVersion}-better-sqlite3-${inputs.betterSqlite3Version}-${inputs.platform}-${inputs.arch}`;
  return join(inputs.appPath, "node_modules", ".musher-electron", folder, "better_sqlite3.node");
}
