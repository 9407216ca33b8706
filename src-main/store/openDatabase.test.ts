/**
 * A new database is made whole under a temporary name and renamed into
 * place; the connection handed back syncs every commit (FULL), whatever the
 * creation itself did to be quick.
 */
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "./migrations";
import { openDatabase } from "./openDatabase";

describe("openDatabase (new file)", () => {
  it("creates the file complete at its path, owner-only, replacing a leftover of an interrupted creation; the connection syncs every commit", () => {
    const file = join(mkdtempSync(join(tmpdir(), "musher-open-")), "musher.db");
    writeFileSync(`${file}.new`, "half of an earlier creation");
    const db = openDatabase(file, { create: true, init: (d) => d.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run() });
    expect(existsSync(`${file}.new`)).toBe(false);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    if (process.platform !== "win32") expect(statSync(file).mode & 0o777).toBe(0o600);
    db.close();
    const other = new Database(file, { readonly: true });
    expect(other.prepare("SELECT value FROM meta WHERE key = 'k'").pluck().get()).toBe("v");
    other.close();
  });
});
