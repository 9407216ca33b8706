/**
 * scripts/electronNative.js: where the Electron-ABI build of better-sqlite3
 * lives, when it is rebuilt, and that making it never touches the Node
 * build. The real builders need Electron's headers or a download (not
 * reachable here), so these tests pass builders that write a marker file
 * into the staged copy: what is under test is everything around the
 * compiler — staging, fallback order, install, versioning, clean-up.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { electronBuildPath } from "../../src-main/app/chooseSqliteBinding";
import {
  electronNativeTarget,
  ensureElectronNative,
  isElectronNativeCurrent,
  moduleAbiOf,
  type ElectronNativeBuilder,
} from "../../scripts/electronNative.js";
import { ROOT } from "../support/startServe";

const tmp = mkdtempSync(join(tmpdir(), "musher-electron-native-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NODE_BUILD = "the Node build: must never change";

/** A checkout with node_modules/electron and node_modules/better-sqlite3 (sources + a Node build). */
function checkout(name: string, versions = { electron: "45.4.1", sqlite: "12.11.1" }): string {
  const root = join(tmp, name);
  const electron = join(root, "node_modules", "electron");
  mkdirSync(electron, { recursive: true });
  writeFileSync(join(electron, "package.json"), JSON.stringify({ name: "electron", version: versions.electron }));
  writeFileSync(join(electron, "abi_version"), "150");
  const sqlite = join(root, "node_modules", "better-sqlite3");
  mkdirSync(join(sqlite, "src"), { recursive: true });
  mkdirSync(join(sqlite, "build", "Release"), { recursive: true });
  writeFileSync(join(sqlite, "package.json"), JSON.stringify({ name: "better-sqlite3", version: versions.sqlite }));
  writeFileSync(join(sqlite, "binding.gyp"), "{}");
  writeFileSync(join(sqlite, "src", "better_sqlite3.cpp"), "// sources");
  writeFileSync(join(sqlite, "build", "Release", "better_sqlite3.node"), NODE_BUILD);
  return root;
}

const nodeBuildOf = (root: string): string => readFileSync(join(root, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node"), "utf8");

/** A builder that records what it saw and writes `content` where a real build puts its result. */
function writing(name: string, content: string, seen: string[][] = []): ElectronNativeBuilder & { seen: string[][] } {
  return {
    name,
    seen,
    build: async ({ moduleDir, target }) => {
      seen.push([...readdirSync(moduleDir)].sort().concat(`electron ${target.electronVersion}`));
      mkdirSync(join(moduleDir, "build", "Release"), { recursive: true });
      writeFileSync(join(moduleDir, "build", "Release", "better_sqlite3.node"), content);
      return { ok: true };
    },
  };
}
const failing = (name: string, reason: string): ElectronNativeBuilder => ({ name, build: async () => ({ ok: false, reason }) });

describe("electronNativeTarget", () => {
  it("agrees with the path the desktop app looks for (src-main/app/chooseSqliteBinding)", () => {
    const target = electronNativeTarget(ROOT);
    expect(target.file).toBe(
      electronBuildPath({
        appPath: ROOT,
        electronVersion: target.electronVersion,
        betterSqlite3Version: target.betterSqlite3Version,
        platform: process.platform,
        arch: process.arch,
      }),
    );
    expect(target.file).not.toContain(join("better-sqlite3", "build"));
  });
});

describe("ensureElectronNative", () => {
  it("builds once in a copy of the sources, installs the result, and leaves the Node build alone", async () => {
    const root = checkout("once");
    const builder = writing("marker", "electron build");
    const first = await ensureElectronNative(root, { builders: [builder] });
    const target = electronNativeTarget(root);
    expect(first).toEqual({ ok: true, file: target.file, built: true });
    expect(readFileSync(target.file, "utf8")).toBe("electron build");
    expect(builder.seen).toEqual([["binding.gyp", "package.json", "src", "electron 45.4.1"]]); // no build/: a clean copy
    expect(nodeBuildOf(root)).toBe(NODE_BUILD);
    expect(JSON.parse(readFileSync(join(target.dir, "built-for.json"), "utf8"))).toMatchObject({ electron: "45.4.1", "better-sqlite3": "12.11.1" });

    const second = await ensureElectronNative(root, { builders: [builder] });
    expect(second).toEqual({ ok: true, file: target.file, built: false });
    expect(builder.seen).toHaveLength(1);
    expect(readdirSync(target.base).filter((n) => n.startsWith(".work-"))).toEqual([]);
  });

  it("rebuilds when Electron or better-sqlite3 changes version, and drops the old build", async () => {
    const root = checkout("versions");
    const builder = writing("marker", "v1");
    await ensureElectronNative(root, { builders: [builder] });
    const old = electronNativeTarget(root);
    writeFileSync(join(root, "node_modules", "electron", "package.json"), JSON.stringify({ version: "46.0.0" }));
    const afterElectron = electronNativeTarget(root);
    expect(isElectronNativeCurrent(afterElectron)).toBe(false);
    expect((await ensureElectronNative(root, { builders: [builder] })).ok).toBe(true);
    expect(builder.seen.at(-1)?.at(-1)).toBe("electron 46.0.0");
    expect(existsSync(old.dir)).toBe(false);
    writeFileSync(join(root, "node_modules", "better-sqlite3", "package.json"), JSON.stringify({ version: "12.12.0" }));
    expect(isElectronNativeCurrent(electronNativeTarget(root))).toBe(false);
    expect(await ensureElectronNative(root, { builders: [builder] })).toMatchObject({ ok: true, built: true });
    expect(builder.seen).toHaveLength(3);
    expect(existsSync(afterElectron.dir)).toBe(false);
    expect(nodeBuildOf(root)).toBe(NODE_BUILD);
  });

  it("rebuilds when forced (npm run rebuild:electron)", async () => {
    const root = checkout("forced");
    await ensureElectronNative(root, { builders: [writing("marker", "old")] });
    expect(await ensureElectronNative(root, { force: true, builders: [writing("marker", "new")] })).toMatchObject({ ok: true, built: true });
    expect(readFileSync(electronNativeTarget(root).file, "utf8")).toBe("new");
  });

  it("falls back to the next builder, and reports every reason when none works", async () => {
    const root = checkout("fallback");
    const fallback = writing("second", "from the fallback");
    expect(await ensureElectronNative(root, { builders: [failing("first", "offline"), fallback] })).toMatchObject({ ok: true, built: true });
    expect(readFileSync(electronNativeTarget(root).file, "utf8")).toBe("from the fallback");

    const none = checkout("none");
    const lazy: ElectronNativeBuilder = { name: "lazy", build: async () => ({ ok: true }) };
    const result = await ensureElectronNative(none, { builders: [failing("prebuild-install", "getaddrinfo ENOTFOUND github.com"), lazy] });
    expect(result).toEqual({
      ok: false,
      reason: "prebuild-install: getaddrinfo ENOTFOUND github.com; lazy: finished without build/Release/better_sqlite3.node",
    });
    const target = electronNativeTarget(none);
    expect(existsSync(target.file)).toBe(false);
    expect(readdirSync(target.base)).toEqual([]);
    expect(nodeBuildOf(none)).toBe(NODE_BUILD);
  });

  it("refuses a build for another ABI (e.g. node-gyp pointed at Node's headers by npm's nodedir)", async () => {
    const nodeAbiBuild = createRequire(import.meta.url).resolve("better-sqlite3/build/Release/better_sqlite3.node");
    expect(moduleAbiOf(nodeAbiBuild)).toBe(Number(process.versions.modules));
    const copying = (name: string): ElectronNativeBuilder => ({
      name,
      build: async ({ moduleDir }) => {
        mkdirSync(join(moduleDir, "build", "Release"), { recursive: true });
        copyFileSync(nodeAbiBuild, join(moduleDir, "build", "Release", "better_sqlite3.node"));
        return { ok: true };
      },
    });
    const root = checkout("wrong-abi");
    expect(await ensureElectronNative(root, { builders: [copying("node-gyp")] })).toEqual({
      ok: false,
      reason: `node-gyp: built for NODE_MODULE_VERSION ${process.versions.modules}, but Electron 45.4.1 needs 150`,
    });
    const target = electronNativeTarget(root);
    expect(existsSync(target.file)).toBe(false);
    // One put there by hand (or by an older script) is not current either: it gets rebuilt.
    mkdirSync(target.dir, { recursive: true });
    copyFileSync(nodeAbiBuild, target.file);
    expect(isElectronNativeCurrent(target)).toBe(false);
    rmSync(target.file);
    // The same file is accepted where it IS the runtime's ABI.
    writeFileSync(join(root, "node_modules", "electron", "abi_version"), process.versions.modules);
    expect(await ensureElectronNative(root, { builders: [copying("node-gyp")] })).toMatchObject({ ok: true, built: true });
  });

  it("copies a linked better-sqlite3 instead of building into it", async () => {
    const real = checkout("real");
    const root = join(tmp, "linked");
    mkdirSync(join(root, "node_modules"), { recursive: true });
    symlinkSync(join(real, "node_modules", "electron"), join(root, "node_modules", "electron"));
    symlinkSync(join(real, "node_modules", "better-sqlite3"), join(root, "node_modules", "better-sqlite3"));
    expect(await ensureElectronNative(root, { builders: [writing("marker", "electron build")] })).toMatchObject({ ok: true });
    expect(nodeBuildOf(real)).toBe(NODE_BUILD);
  });

  it("says what is missing instead of throwing when the checkout has no node_modules", async () => {
    const result = await ensureElectronNative(join(tmp, "empty"), { builders: [writing("marker", "x")] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/electron.package\.json has no usable version \(run `npm ci`\)/);
  });
});
