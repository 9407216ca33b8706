/**
 * better-sqlite3 built for Electron's ABI, kept beside the Node build.
 *
 * `npm ci` builds better-sqlite3 for the Node that ran it (what `musher
 * serve` and the tests load from node_modules/better-sqlite3/build). The
 * desktop app runs on Electron's own Node with another ABI, so it loads a
 * second build, made here and passed to it (MUSHER_SQLITE_BINDING, read by
 * src-main/app/chooseSqliteBinding.ts):
 *
 *   node_modules/.musher-electron/electron-<v>-better-sqlite3-<v>-<platform>-<arch>/better_sqlite3.node
 *
 * Invariants:
 * - One folder per (Electron, better-sqlite3, platform, arch): a version
 *   change finds no build and makes a new one; older folders are removed
 *   after a successful build. The layout must agree with electronBuildPath
 *   in src-main/app/chooseSqliteBinding.ts (a test checks it).
 * - node_modules/better-sqlite3 is never modified: the build happens in a
 *   copy of its sources (without its build/) under a temporary folder, and
 *   only the finished .node file is moved into place (copy + rename, so a
 *   half-written file is never at the final path).
 * - How: better-sqlite3's own prebuild-install for the Electron runtime
 *   first (a download, or the npm cache); else @electron/rebuild compiling
 *   from source against Electron's headers. Both need Electron's version
 *   only, not its binary. Both run in a child process whose environment has
 *   no npm_config_nodedir/target/runtime/disturl: under `npm run` npm
 *   exports those from .npmrc, and `nodedir` alone makes node-gyp build for
 *   the local Node while claiming success.
 * - A build is installed only if the NODE_MODULE_VERSION it registers equals
 *   Electron's (node_modules/electron/abi_version), so a wrong-ABI build is
 *   a reported failure, never a file the app trips over later.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const SQLITE_BINDING_ENV = "MUSHER_SQLITE_BINDING";
export const REBUILD_ELECTRON_COMMAND = "npm run rebuild:electron";

const PREBUILD_TIMEOUT_MS = 90_000;
const COMPILE_TIMEOUT_MS = 20 * 60_000;
/** npm exports .npmrc settings to scripts; these would retarget node-gyp or prebuild-install. */
const RETARGETING_ENV = /^npm_config_(nodedir|target|target_arch|arch|runtime|disturl|dist_url|build_from_source)$/i;
const BUILT = join("build", "Release", "better_sqlite3.node");

function versionOf(packageDir) {
  const file = join(packageDir, "package.json");
  const version = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : undefined;
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new Error(`${file} has no usable version (run \`npm ci\`)`);
  }
  return version;
}

/** Where the Electron build for this checkout lives, and for which versions. */
export function electronNativeTarget(root, { platform = process.platform, arch = process.arch } = {}) {
  const electronVersion = versionOf(join(root, "node_modules", "electron"));
  const betterSqlite3Version = versionOf(join(root, "node_modules", "better-sqlite3"));
  const base = join(root, "node_modules", ".musher-electron");
  const abiFile = join(root, "node_modules", "electron", "abi_version");
  const abiText = existsSync(abiFile) ? readFileSync(abiFile, "utf8").trim() : "";
  const electronAbi = /^\d{1,5}$/.test(abiText) ? Number(abiText) : null;
  const dir = join(base, `electron-${electronVersion}-better-sqlite3-${betterSqlite3Version}-${platform}-${arch}`);
  return { electronVersion, electronAbi, betterSqlite3Version, platform, arch, base, dir, file: join(dir, "better_sqlite3.node") };
}

/** Current = built for exactly these versions (the folder name says which) and registering Electron's ABI. */
export function isElectronNativeCurrent(target) {
  return existsSync(target.file) && wrongAbi(target.file, target) === null;
}

/**
 * Makes sure the Electron build exists (`force`: rebuild anyway).
 * Resolves to { ok: true, file, built } or { ok: false, reason } — never throws
 * for a failed build, so callers can say it in one line.
 */
export async function ensureElectronNative(root, { force = false, log = () => {}, builders = defaultBuilders } = {}) {
  let target;
  try {
    target = electronNativeTarget(root);
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  if (!force && isElectronNativeCurrent(target)) return { ok: true, file: target.file, built: false };
  mkdirSync(target.base, { recursive: true });
  const work = mkdtempSync(join(target.base, ".work-"));
  const failures = [];
  try {
    const moduleDir = stageBetterSqlite3(root, work, target);
    for (const builder of builders) {
      log(`building better-sqlite3 ${target.betterSqlite3Version} for Electron ${target.electronVersion} with ${builder.name}…`);
      const result = await builder.build({ root, work, moduleDir, target });
      const built = join(moduleDir, BUILT);
      const problem = !result.ok ? result.reason : !existsSync(built) ? `finished without ${BUILT}` : wrongAbi(built, target);
      if (problem === null) {
        install(built, target);
        return { ok: true, file: target.file, built: true };
      }
      failures.push(`${builder.name}: ${problem}`);
      rmSync(join(moduleDir, "build"), { recursive: true, force: true });
    }
    return { ok: false, reason: failures.join("; ") };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Copies better-sqlite3's sources (not its build/) to `<work>/node_modules/better-sqlite3`
 * under a minimal package that depends on it, the shape @electron/rebuild walks.
 */
export function stageBetterSqlite3(root, work, target) {
  // The real folder, copied with links followed: a linked better-sqlite3
  // (npm link, a pnpm-style tree) would otherwise be copied as a link, and
  // the build would land in — and first wipe — the Node build.
  const source = realpathSync(join(root, "node_modules", "better-sqlite3"));
  const moduleDir = join(work, "node_modules", "better-sqlite3");
  cpSync(source, moduleDir, {
    recursive: true,
    dereference: true,
    filter: (path) => {
      const [top] = relative(source, path).split(sep);
      return top !== "build" && top !== "node_modules";
    },
  });
  if (lstatSync(moduleDir).isSymbolicLink() || realpathSync(moduleDir) === source) {
    throw new Error(`staging better-sqlite3 did not make a separate copy of ${source}`);
  }
  writeFileSync(
    join(work, "package.json"),
    JSON.stringify({ name: "musher-electron-native", private: true, dependencies: { "better-sqlite3": target.betterSqlite3Version } }),
  );
  return moduleDir;
}

/** The NODE_MODULE_VERSION a (non-N-API) addon registers: its `node_register_module_v<N>` symbol; null if none is found. */
export function moduleAbiOf(file) {
  const match = /node_register_module_v(\d{1,5})/.exec(readFileSync(file).toString("latin1"));
  return match ? Number(match[1]) : null;
}

function wrongAbi(built, target) {
  const abi = moduleAbiOf(built);
  if (abi === null || target.electronAbi === null || abi === target.electronAbi) return null;
  return `built for NODE_MODULE_VERSION ${abi}, but Electron ${target.electronVersion} needs ${target.electronAbi}`;
}

/** Our environment minus what would retarget the build (see the header). */
function buildEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !RETARGETING_ENV.test(key)));
}

function install(built, target) {
  mkdirSync(target.dir, { recursive: true });
  const partial = `${target.file}.partial-${process.pid}`;
  copyFileSync(built, partial);
  renameSync(partial, target.file);
  writeFileSync(
    join(target.dir, "built-for.json"),
    JSON.stringify({ electron: target.electronVersion, "better-sqlite3": target.betterSqlite3Version, platform: target.platform, arch: target.arch }, null, 2) + "\n",
  );
  for (const name of readdirSync(target.base)) {
    const dir = join(target.base, name);
    if (name.startsWith("electron-") && dir !== target.dir) rmSync(dir, { recursive: true, force: true });
  }
}

function lastLine(text) {
  const lines = String(text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? "").slice(0, 300);
}

/** better-sqlite3's own prebuild-install (the one its install script uses), for the Electron runtime. */
const prebuildInstall = {
  name: "prebuild-install",
  build: async ({ root, moduleDir, target }) => {
    let bin;
    try {
      bin = createRequire(join(root, "node_modules", "better-sqlite3", "package.json")).resolve("prebuild-install/bin.js");
    } catch {
      return { ok: false, reason: "prebuild-install is not installed" };
    }
    const args = [bin, "--runtime", "electron", "--target", target.electronVersion, "--arch", target.arch, "--platform", target.platform];
    const result = spawnSync(process.execPath, args, { cwd: moduleDir, encoding: "utf8", env: buildEnv(), timeout: PREBUILD_TIMEOUT_MS });
    if (result.error) return { ok: false, reason: result.error.message };
    if (result.status !== 0) return { ok: false, reason: lastLine(result.stderr) || `exit code ${result.status}` };
    return { ok: true };
  },
};

/** @electron/rebuild: node-gyp against Electron's headers, from source, in a child process (its output shows). */
const electronRebuild = {
  name: "@electron/rebuild",
  build: async ({ work, target }) => {
    const options = {
      buildPath: work,
      projectRootPath: work,
      electronVersion: target.electronVersion,
      arch: target.arch,
      platform: target.platform,
      onlyModules: ["better-sqlite3"],
      force: true,
      buildFromSource: true,
      mode: "sequential",
    };
    const child = fileURLToPath(new URL("electronRebuildChild.js", import.meta.url));
    const result = spawnSync(process.execPath, [child, JSON.stringify(options)], {
      cwd: work,
      env: buildEnv(),
      stdio: ["ignore", "inherit", "inherit"],
      timeout: COMPILE_TIMEOUT_MS,
    });
    if (result.error) return { ok: false, reason: result.error.message };
    if (result.status !== 0) {
      // node-gyp printed its reason above; the usual one is Electron's headers being unreachable.
      return { ok: false, reason: `exit code ${result.status} (its output is above; it needs Electron ${target.electronVersion}'s headers from electronjs.org/headers, cached in ~/.electron-gyp)` };
    }
    return { ok: true };
  },
};

const defaultBuilders = [prebuildInstall, electronRebuild];
