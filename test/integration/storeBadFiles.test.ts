/**
 * A data dir whose musher.db is not a healthy Musher database of a known
 * version is refused with one clear message naming the file — and the file
 * is left byte-for-byte untouched (design: never overwrite what we do not
 * recognise).
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createNode } from "../../src-main/node/createNode";
import { silentLogger } from "../../src-main/base/Logger";
import { SCHEMA_VERSION } from "../../src-main/store/migrations";
import { CLI, ROOT } from "../support/startServe";

const hash = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");
const open = (dataDir: string) => createNode({ dataDir, host: "embedded", log: silentLogger });

async function musherDb(dir: string): Promise<string> {
  const node = await open(dir);
  for (let i = 0; i < 50; i++) await node.call("story/create", { name: `story ${i} ${"x".repeat(200)}` });
  await node.close();
  return join(dir, "musher.db");
}

const cases: [string, (file: string, dir: string) => Promise<void> | void, RegExp][] = [
  ["an empty file", (f) => writeFileSync(f, ""), /is an empty file, not a Musher database/],
  ["random bytes", (f) => writeFileSync(f, randomBytes(8192)), /is not a SQLite database/],
  [
    "a SQLite database of another app",
    (f) => {
      const db = new Database(f);
      db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');");
      db.close();
    },
    /is a SQLite database of another application/,
  ],
  [
    "a database written by a newer version",
    async (f, dir) => {
      await musherDb(dir);
      const db = new Database(f);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
    },
    new RegExp(`was written by a newer Musher \\(schema v${SCHEMA_VERSION + 1}; this build reads up to v${SCHEMA_VERSION}\\)`),
  ],
  [
    "a corrupt Musher database",
    async (f, dir) => {
      await musherDb(dir);
      const bytes = readFileSync(f);
      // Trash every page after the first (the header stays valid, the b-trees do not).
      randomBytes(bytes.length - 4096).copy(bytes, 4096);
      writeFileSync(f, bytes);
    },
    /failed its integrity check/,
  ],
];

describe("store: files that are not a healthy Musher database", () => {
  for (const [name, make, message] of cases) {
    it(`refuses ${name}, naming the file, and leaves it untouched`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "musher-bad-"));
      const file = join(dir, "musher.db");
      await make(file, dir);
      const before = hash(file);
      const err = await open(dir).then(
        () => new Error("opened"),
        (e: unknown) => e as Error,
      );
      expect(err.message).toContain(file);
      expect(err.message).toMatch(message);
      expect(hash(file)).toBe(before);
      // SQLite's own -wal/-shm may appear beside a WAL-mode file (a read-only
      // connection needs them); nothing is ever written into either.
      if (existsSync(`${file}-wal`)) expect(readFileSync(`${file}-wal`).length).toBe(0);
    });
  }

  it("the CLI reports it as one line on stderr and exits 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "musher-bad-"));
    writeFileSync(join(dir, "musher.db"), randomBytes(1000));
    for (const args of [["export"], ["rebuild"], ["serve", "--port", "0"]]) {
      const r = spawnSync(process.execPath, [CLI, ...args, "--data", dir], { cwd: ROOT, encoding: "utf8" });
      expect(r.status).toBe(1);
      const lines = r.stderr.split("\n").filter(Boolean);
      expect(lines).toEqual([`musher ${args[0]}: ${join(dir, "musher.db")} is not a SQLite database, so not a Musher database. Musher did not modify it; move it away (or choose another data directory) to start a new one.`]);
    }
  });
});
