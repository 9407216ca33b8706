import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSqliteBinding } from "./loadSqliteBinding";
import { StoreError } from "./StoreError";

const dir = mkdtempSync(join(tmpdir(), "musher-binding-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The build `npm ci` made for this Node: the one tests and `musher serve` use. */
const nodeBuild = createRequire(import.meta.url).resolve("better-sqlite3/build/Release/better_sqlite3.node");

function refusal(file: string): StoreError {
  try {
    loadSqliteBinding(file);
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).kind).toBe("native_binding");
    return err as StoreError;
  }
  throw new Error(`${file} was accepted`);
}

describe("loadSqliteBinding", () => {
  it("accepts better-sqlite3's module built for the running runtime", () => {
    expect(loadSqliteBinding(nodeBuild)).toBe(nodeBuild);
  });

  it("refuses a missing file, naming it", () => {
    const file = join(dir, "nowhere", "better_sqlite3.node");
    expect(refusal(file).message).toBe(`SQLite's native module ${file} does not exist.`);
  });

  it("refuses a text file named .node with a reason, not a loader dump", () => {
    const file = join(dir, "x.node");
    writeFileSync(file, "this is not a shared library, only text pretending to be one\n".repeat(40));
    const { message } = refusal(file);
    expect(message).toMatch(new RegExp(`^SQLite's native module ${file} is not a native module for this platform \\(.*\\)\\.$`));
    expect(message).not.toMatch(/\n/);
  });

  it("refuses a relative path, a non-.node path and a directory", () => {
    expect(refusal("better_sqlite3.node").message).toMatch(/is not an absolute path to a \.node file/);
    expect(refusal(join(dir, "better_sqlite3.so")).message).toMatch(/is not an absolute path to a \.node file/);
    const folder = join(dir, "folder.node");
    mkdirSync(folder);
    expect(refusal(folder).message).toMatch(/is not a file/);
  });
});
