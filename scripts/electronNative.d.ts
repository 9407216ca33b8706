// Types of scripts/electronNative.js for the TypeScript that imports it (tests, e2e).
export declare const SQLITE_BINDING_ENV: "MUSHER_SQLITE_BINDING";
export declare const REBUILD_ELECTRON_COMMAND: string;

export interface ElectronNativeTarget {
  electronVersion: string;
  /** Electron's NODE_MODULE_VERSION (node_modules/electron/abi_version), null if unknown. */
  electronAbi: number | null;
  betterSqlite3Version: string;
  platform: string;
  arch: string;
  /** node_modules/.musher-electron */
  base: string;
  /** The folder of this combination of versions. */
  dir: string;
  /** The better_sqlite3.node built for Electron. */
  file: string;
}

export type BuildResult = { ok: true } | { ok: false; reason: string };

export interface ElectronNativeBuilder {
  name: string;
  build(context: { root: string; work: string; moduleDir: string; target: ElectronNativeTarget }): Promise<BuildResult>;
}

export type EnsureResult = { ok: true; file: string; built: boolean } | { ok: false; reason: string };

export declare function electronNativeTarget(root: string, options?: { platform?: string; arch?: string }): ElectronNativeTarget;
export declare function isElectronNativeCurrent(target: ElectronNativeTarget): boolean;
export declare function ensureElectronNative(
  root: string,
  options?: { force?: boolean; log?: (line: string) => void; builders?: readonly ElectronNativeBuilder[] },
): Promise<EnsureResult>;
export declare function moduleAbiOf(file: string): number | null;
export declare function stageBetterSqlite3(root: string, work: string, target: ElectronNativeTarget): string;
