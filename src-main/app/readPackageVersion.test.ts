import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readPackageVersion } from "./readPackageVersion";

const root = mkdtempSync(join(tmpdir(), "musher-pkg-version-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("readPackageVersion", () => {
  it("reads an installed package's version", () => {
    mkdirSync(join(root, "node_modules", "better-sqlite3"), { recursive: true });
    writeFileSync(join(root, "node_modules", "better-sqlite3", "package.json"), JSON.stringify({ name: "better-sqlite3", version: "12.11.1" }));
    expect(readPackageVersion(root, "better-sqlite3")).toBe("12.11.1");
  });

  it("names the file and the fix when it is missing or has no version", () => {
    expect(() => readPackageVersion(root, "absent")).toThrow(/cannot read .*absent.package\.json .*; run `npm ci`/);
    mkdirSync(join(root, "node_modules", "odd"), { recursive: true });
    writeFileSync(join(root, "node_modules", "odd", "package.json"), JSON.stringify({ version: 12 }));
    expect(() => readPackageVersion(root, "odd")).toThrow(/odd.package\.json has no valid version; run `npm ci`/);
  });
});
