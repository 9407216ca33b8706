/**
 * A format-2 change is stored 32 bytes shorter and without a deps column,
 * and comes back byte for byte: through the codec, and through a real
 * SQLite store fed by a real replica (getChangeBytes, cold getChangeMeta).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../base/Logger";
import { decodeChange } from "../crdt/changeCodec";
import { STAGES } from "../../src-shared/stages";
import { TEST_WORKSPACE, testIdentity, testNode } from "../../test/support/crdt/testKit";
import { bytesColumn } from "./bytesColumn";
import { openDatabase } from "./openDatabase";
import { replicaOnDatabase } from "./replicaOnDatabase";
import { SqliteReplicaStore } from "./SqliteReplicaStore";

/** Three authors writing concurrently, syncing now and then: changes with 0, 1 and several deps. */
function history(): Uint8Array[] {
  const nodes = [0, 1, 2].map((i) => testNode(i));
  const log: Uint8Array[] = [];
  nodes.forEach((n) => n.replica.onApplied((e) => e.local && log.push(...e.changes)));
  for (let i = 0; i < 90; i++) {
    const node = nodes[i % 3]!;
    node.clock.t += 1_000;
    const mine = node.replica.stories();
    if (mine.length === 0 || i % 4 === 0) node.board.create({ name: `story ${i}`, stage: STAGES[i % STAGES.length]!.id, agent: null });
    else node.board.update(mine[i % mine.length]!.id, { name: `renamed ${i}` });
    if (i % 10 === 9) for (const n of nodes) n.replica.receiveBatch(log);
  }
  return log;
}

describe("bytesColumn", () => {
  const log = history();

  it("cuts the author key out of a format-2 change and restores the exact bytes; reads its deps in place", () => {
    let withManyDeps = 0;
    for (const bytes of log) {
      const decoded = decodeChange(bytes, TEST_WORKSPACE);
      if (!decoded.ok) throw new Error(decoded.reason);
      const { author, deps } = decoded.value.change;
      const { stored, cut } = bytesColumn.cut(bytes, author);
      expect(cut).toBe(true);
      expect(stored.length).toBe(bytes.length - 32);
      expect(bytesColumn.restore(stored, author)).toEqual(Buffer.from(bytes));
      expect(bytesColumn.deps(stored)).toEqual(deps);
      if (deps.length > 1) withManyDeps++;
    }
    expect(withManyDeps).toBeGreaterThan(5);
  });

  it("keeps anything else as it is: format 1, a mismatched author, a short row", () => {
    const bytes = log[0]!;
    const other = testIdentity(7).publicKey;
    expect(bytesColumn.cut(bytes, other)).toEqual({ stored: Buffer.from(bytes), cut: false });
    const v1 = Buffer.from(bytes);
    v1[0] = 0x01;
    expect(bytesColumn.cut(v1, other).cut).toBe(false);
    expect(bytesColumn.restore(v1, other)).toBe(v1);
    const decoded = decodeChange(bytes, TEST_WORKSPACE);
    if (!decoded.ok) throw new Error(decoded.reason);
    const { stored } = bytesColumn.cut(bytes, decoded.value.change.author);
    expect(() => bytesColumn.deps(stored.subarray(0, 66))).toThrow(/ends inside/);
    expect(() => bytesColumn.restore(stored, "not-a-key")).toThrow(/author key/);
  });

  it("cuts only under the very author key: one byte off anywhere in it keeps the bytes as they are", () => {
    const bytes = log[0]!;
    const decoded = decodeChange(bytes, TEST_WORKSPACE);
    if (!decoded.ok) throw new Error(decoded.reason);
    const key = Buffer.from(decoded.value.change.author, "hex");
    expect(bytesColumn.cut(bytes, key).cut).toBe(true);
    for (let i = 0; i < 32; i++) {
      const off = Buffer.from(key);
      off[i] = off[i]! ^ 0x01;
      expect(bytesColumn.cut(bytes, off), `byte ${i}`).toEqual({ stored: Buffer.from(bytes), cut: false });
    }
  });

  it("a real store returns every change's exact bytes and its metadata cold, with no deps column for format 2", () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), "musher-bytes-")), "musher.db"), { create: true });
    try {
      const store = new SqliteReplicaStore(db);
      const { replica } = replicaOnDatabase(db, { workspace: TEST_WORKSPACE, signer: testIdentity(5), logger: silentLogger, store });
      for (const r of replica.receiveBatch(log)) expect(r.status).toBe("applied");
      store.forgetCachedState();
      for (const bytes of log) {
        const decoded = decodeChange(bytes, TEST_WORKSPACE);
        if (!decoded.ok) throw new Error(decoded.reason);
        const { id, change } = decoded.value;
        expect(Buffer.from(store.getChangeBytes(id)!)).toEqual(Buffer.from(bytes));
        const meta = store.getChangeMeta(id)!;
        expect(meta.deps).toEqual(change.deps);
        expect(meta.author).toBe(change.author);
        expect(meta.seq).toBe(change.seq);
      }
      const rows = db.prepare("SELECT count(*) AS n, sum(deps IS NULL) AS noDeps, sum(substr(bytes, 1, 1) = x'82') AS cut FROM changes").get();
      expect(rows).toEqual({ n: log.length, noDeps: log.length, cut: log.length });
    } finally {
      db.close();
    }
  });
});
