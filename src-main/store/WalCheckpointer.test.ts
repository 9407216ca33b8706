import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recordingLogger } from "../../test/support/crdt/testKit";
import { waitFor } from "../../test/support/waitFor";
import { openDatabase } from "./openDatabase";
import { WalCheckpointer } from "./WalCheckpointer";

const tempDb = (): string => join(mkdtempSync(join(tmpdir(), "musher-wal-")), "musher.db");

/** Frames in the WAL and how many of them are already in the database file (a PASSIVE checkpoint that copies nothing new). */
function walState(db: ReturnType<typeof openDatabase>): { log: number; checkpointed: number } {
  db.pragma("wal_autocheckpoint = 0"); // reading the state must not checkpoint
  const [row] = db.pragma("wal_checkpoint(NOOP)") as { log: number; checkpointed: number }[];
  return { log: row!.log, checkpointed: row!.checkpointed };
}

function write(db: ReturnType<typeof openDatabase>, rows: number): void {
  const put = db.prepare<[string, string]>("INSERT INTO meta (key, value) VALUES (?, ?)");
  db.transaction(() => {
    for (let i = 0; i < rows; i++) put.run(`k${Math.random()}`, "x".repeat(2_000));
  })();
}

describe("WalCheckpointer", () => {
  it("checkpoints in its worker (the main connection never does), and leaves an empty WAL when stopped", async () => {
    const file = tempDb();
    const db = openDatabase(file, { create: true });
    const log = recordingLogger();
    const checkpointer = new WalCheckpointer(db, file, { log });
    checkpointer.start();
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    write(db, 3_000); // ~1,500 pages: past the default autocheckpoint
    // The worker copies the frames into the file: every frame the WAL holds ends up checkpointed.
    await waitFor(() => {
      const s = db.pragma("wal_checkpoint(NOOP)") as { log: number; checkpointed: number }[];
      return s[0]!.log > 1_000 && s[0]!.checkpointed === s[0]!.log;
    }, "the worker's checkpoint", 5_000);
    checkpointer.stop();
    expect(statSync(`${file}-wal`).size).toBe(0);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    expect(log.lines.filter((l) => l.level === "warn")).toEqual([]);
    db.close();
  });

  it("leaves an empty WAL when stopped while its worker checkpoints (the worker's connection closes first)", async () => {
    for (let round = 0; round < 4; round++) {
      const file = tempDb();
      const db = openDatabase(file, { create: true });
      const log = recordingLogger();
      // A checkpoint every ms: once ~10,000 pages are committed, the worker is copying them when stop() comes.
      const checkpointer = new WalCheckpointer(db, file, { log, everyMs: 1 });
      checkpointer.start();
      await new Promise((r) => setTimeout(r, 150)); // the worker is up
      write(db, 20_000);
      await new Promise((r) => setTimeout(r, 5 + 5 * round));
      checkpointer.stop();
      expect(statSync(`${file}-wal`).size, `round ${round}`).toBe(0);
      expect(log.lines.filter((l) => l.level === "warn")).toEqual([]);
      db.close();
    }
  });

  it("falls back to checkpoints in the main thread, with one warning, when its worker cannot open the database", async () => {
    const file = tempDb();
    const db = openDatabase(file, { create: true });
    const log = recordingLogger();
    const checkpointer = new WalCheckpointer(db, join(file, "not-a-dir", "x.db"), { log });
    checkpointer.start();
    await waitFor(() => log.lines.some((l) => l.level === "warn"), "the fallback warning", 5_000);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    expect(log.lines.filter((l) => l.level === "warn").map((l) => l.msg)).toEqual(["store: WAL checkpoints run in the main thread (the checkpoint worker failed)"]);
    write(db, 3_000);
    const state = walState(db); // the commit past 1,000 pages checkpointed, in this thread
    expect(state.log).toBeGreaterThan(1_000);
    expect(state.checkpointed).toBe(state.log);
    checkpointer.stop();
    db.close();
  });
});
