import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseSqliteBinding, electronBuildPath } from "./chooseSqliteBinding";

const root = join("/", "repo");
const conventional = electronBuildPath({ appPath: root, electronVersion: "45.4.1", betterSqlite3Version: "12.11.1", platform: "linux", arch: "x64" });
const unasked = (): string => {
  throw new Error("the conventional path was computed although it is not the answer");
};

describe("chooseSqliteBinding", () => {
  it("uses electron-builder's build when packaged, whatever the environment says", () => {
    expect(chooseSqliteBinding({ isPackaged: true, envPath: undefined, conventionalPath: unasked })).toEqual({ kind: "bundled" });
    expect(chooseSqliteBinding({ isPackaged: true, envPath: "/tmp/evil.node", conventionalPath: unasked })).toEqual({ kind: "bundled" });
  });

  it("uses the path the start scripts pass when unpackaged", () => {
    const path = join("/", "elsewhere", "better_sqlite3.node");
    expect(chooseSqliteBinding({ isPackaged: false, envPath: path, conventionalPath: unasked })).toEqual({ kind: "file", path, from: "env" });
  });

  it("falls back to the conventional Electron build, never the Node one", () => {
    const choice = chooseSqliteBinding({ isPackaged: false, envPath: undefined, conventionalPath: () => conventional });
    expect(choice).toEqual({ kind: "file", path: conventional, from: "conventional" });
    expect(chooseSqliteBinding({ isPackaged: false, envPath: "", conventionalPath: () => conventional })).toEqual(choice);
    expect(conventional).not.toContain(join("better-sqlite3", "build"));
  });

  it("refuses a relative or non-.node path in the environment, saying how to fix it", () => {
    for (const bad of ["better_sqlite3.node", join("/", "x", "better_sqlite3.so")]) {
      expect(() => chooseSqliteBinding({ isPackaged: false, envPath: bad, conventionalPath: unasked })).toThrow(
        /MUSHER_SQLITE_BINDING must be an absolute path to a \.node file, got .*; unset it/,
      );
    }
  });
});

describe("electronBuildPath", () => {
  it("keeps one folder per Electron, better-sqlite3, platform and arch", () => {
    expect(conventional).toBe(join(root, "node_modules", ".musher-electron", "electron-45.4.1-better-sqlite3-12.11.1-linux-x64", "better_sqlite3.node"));
    const base = { appPath: root, electronVersion: "45.4.1", betterSqlite3Version: "12.11.1", platform: "linux", arch: "x64" };
    const variants = [
      electronBuildPath({ ...base, electronVersion: "46.0.0" }),
      electronBuildPath({ ...base, betterSqlite3Version: "12.12.0" }),
      electronBuildPath({ ...base, arch: "arm64" }),
      electronBuildPath({ ...base, electronVersion: "46.0.0-beta.3" }),
    ];
    expect(new Set([conventional, ...variants]).size).toBe(5);
  });

  it("refuses versions that are not versions (they become a folder name)", () => {
    const base = { appPath: root, electronVersion: "45.4.1", betterSqlite3Version: "12.11.1", platform: "linux", arch: "x64" };
    expect(() => electronBuildPath({ ...base, electronVersion: "../../etc" })).toThrow(/Electron reports an unexpected version/);
    expect(() => electronBuildPath({ ...base, betterSqlite3Version: "" })).toThrow(/better-sqlite3 reports an unexpected version/);
    expect(() => electronBuildPath({ ...base, arch: "x64/../.." })).toThrow(/unexpected platform\/arch/);
  });
});
