/**
 * The acceptance suite every `ReplicaStore` implementation must pass (the
 * in-memory one now, the SQLite one next): call `runReplicaStoreContract`
 * from the implementation's test file with a factory for an empty store.
 * It checks the storage contract directly and then that a Replica opened on
 * an already-populated store continues without replaying anything.
 */
import { describe, expect, it } from "vitest";
import type { ReplicaStore } from "../../../src-main/crdt/ReplicaStore";
import { newStoryRecord } from "../../../src-main/crdt/StoryRecord";
import { PipelineBoard } from "../../../src-main/crdt/PipelineBoard";
import { Replica } from "../../../src-main/crdt/Replica";
import { recordingLogger, testIdentity, testNode, TEST_WORKSPACE } from "./testKit";

const stamp = { wall: 1, logical: 0, author: "a".repeat(64), id: "c0" };
const meta = (id: string, seq: number) => ({ id, author: "a".repeat(64), seq, clock: { wall: seq, logical: 0 }, deps: [], vec: { ["a".repeat(64)]: seq } });

export function runReplicaStoreContract(name: string, makeStore: () => ReplicaStore): void {
  describe(`ReplicaStore contract: ${name}`, () => {
    it("rolls back every write made in a transaction that throws", () => {
      const store = makeStore();
      store.putStory(newStoryRecord("keep", "c0", stamp, { name: "k", agent: null, stage: "1_backlog", rank: "V" }));
      expect(() =>
        store.transaction(() => {
          store.putStory(newStoryRecord("gone", "c1", stamp, { name: "g", agent: null, stage: "1_backlog", rank: "V" }));
          store.putChange(meta("c1", 1), new Uint8Array([1]));
          store.setHeads(["c1"]);
          store.putPending({ id: "p1", bytes: new Uint8Array(10), missing: ["zz"] });
          store.flagEquivocation("a".repeat(64));
          throw new Error("boom");
        }),
      ).toThrow("boom");
      expect(store.allStories().map((s) => s.id)).toEqual(["keep"]);
      expect(store.hasChange("c1")).toBe(false);
      expect(store.changesBySeq("a".repeat(64), 1)).toEqual([]);
      expect(store.authorSeqs().size).toBe(0);
      expect(store.heads()).toEqual([]);
      expect(store.pendingSize()).toEqual({ count: 0, bytes: 0 });
      expect(store.pendingWaitingOn("zz")).toEqual([]);
      expect(store.equivocators()).toEqual([]);
    });

    it("indexes changes by author+seq and pending entries by missing dep, oldest first", () => {
      const store = makeStore();
      store.transaction(() => {
        store.putChange(meta("c1", 1), new Uint8Array([1, 2]));
        store.putChange(meta("c2", 1), new Uint8Array([3]));
        store.putPending({ id: "p1", bytes: new Uint8Array(4), missing: ["x", "y"] });
        store.putPending({ id: "p2", bytes: new Uint8Array(6), missing: ["y"] });
      });
      expect(store.changesBySeq("a".repeat(64), 1).sort()).toEqual(["c1", "c2"]);
      expect([...store.authorSeqs()]).toEqual([["a".repeat(64), 1]]);
      store.transaction(() => store.putChange(meta("c3", 2), new Uint8Array([5])));
      expect(store.authorSeqs().get("a".repeat(64))).toBe(2);
      expect(store.getChangeBytes("c1")).toEqual(new Uint8Array([1, 2]));
      expect(store.pendingWaitingOn("y").sort()).toEqual(["p1", "p2"]);
      expect(store.oldestPending()?.id).toBe("p1");
      expect(store.pendingSize()).toEqual({ count: 2, bytes: 10 });
      store.transaction(() => store.deletePending("p1"));
      expect(store.pendingWaitingOn("x")).toEqual([]);
      expect(store.oldestPending()?.id).toBe("p2");
    });

    it("reads an author's changes over a seq range with their clocks, a fork's changes in arrival order", () => {
      const store = makeStore();
      const a = "a".repeat(64);
      store.transaction(() => {
        for (const [id, seq] of [["c1", 1], ["c2", 2], ["c2b", 2], ["c3", 3], ["c4", 4]] as const) store.putChange(meta(id, seq), new Uint8Array([seq]));
      });
      const keys = (from: number, to: number): string[] => store.changeKeys(a, from, to).map((k) => `${k.id}@${k.seq}:${k.clock.wall}`);
      expect(keys(1, 4)).toEqual(["c1@1:1", "c2@2:2", "c2b@2:2", "c3@3:3", "c4@4:4"]);
      expect(keys(2, 3)).toEqual(["c2@2:2", "c2b@2:2", "c3@3:3"]);
      expect(keys(5, 9)).toEqual([]);
      expect(store.changeKeys("b".repeat(64), 1, 9)).toEqual([]);
    });

    it("reads applied changes in the order it applied them, by position, and a rollback takes its positions back", () => {
      const store = makeStore();
      const a = "a".repeat(64);
      store.transaction(() => {
        for (const [id, seq] of [["c3", 3], ["c1", 1], ["c2", 2]] as const) store.putChange(meta(id, seq), new Uint8Array([seq]));
      });
      const read = (after: number, limit: number): string[] => store.changesInArrival(after, limit).map((r) => `${r.arrival}:${r.id}@${r.seq}`);
      expect(read(0, 10)).toEqual(["1:c3@3", "2:c1@1", "3:c2@2"]);
      expect(read(1, 1)).toEqual(["2:c1@1"]);
      expect(read(3, 10)).toEqual([]);
      expect(store.lastArrival()).toBe(3);
      expect(store.changesInArrival(0, 1)[0]!.author).toBe(a);
      expect(() =>
        store.transaction(() => {
          store.putChange(meta("c4", 4), new Uint8Array([4]));
          throw new Error("rolled back");
        }),
      ).toThrow("rolled back");
      store.transaction(() => store.putChange(meta("c5", 5), new Uint8Array([5])));
      expect(read(3, 10)).toEqual(["4:c5@5"]);
      expect(store.lastArrival()).toBe(4);
      // The same positions with the bytes, bounds included; a rolled-back change's position now holds another change.
      const run = (from: number, to: number): string[] => store.changeBytesInArrival(from, to).map((r) => `${r.arrival}:${r.id}=${r.bytes.join()}`);
      expect(run(1, 4)).toEqual(["1:c3=3", "2:c1=1", "3:c2=2", "4:c5=5"]);
      expect(run(2, 3)).toEqual(["2:c1=1", "3:c2=2"]);
      expect(run(0, 1)).toEqual(["1:c3=3"]);
      expect(run(4, 9)).toEqual(["4:c5=5"]);
      expect(run(5, 9)).toEqual([]);
    });

    it("lets a new Replica continue from the stored state without replaying history", () => {
      const store = makeStore();
      const first = new Replica({ workspace: TEST_WORKSPACE, signer: testIdentity(0), logger: recordingLogger(), store, now: () => 5_000 });
      const log: Uint8Array[] = [];
      first.onApplied((e) => log.push(...e.changes));
      const board = new PipelineBoard(first, () => "s1");
      board.create({ name: "one", stage: "1_backlog", agent: null });
      board.retry("s1");
      const state = first.canonicalState();
      // "Reopen": a fresh Replica on the same store; nothing is re-applied.
      const reopened = new Replica({ workspace: TEST_WORKSPACE, signer: testIdentity(0), logger: recordingLogger(), store, now: () => 4_000 });
      expect(reopened.canonicalState()).toBe(state);
      const { change } = reopened.commit([{ t: "count", story: "s1", delta: 1 }]);
      expect(change.change.seq).toBe(3);
      expect(change.change.clock.wall).toBeGreaterThanOrEqual(5_000); // the HLC never goes back
      const peer = testNode(1);
      const results = peer.replica.receiveBatch([reopened.getChange(change.id)!, ...log]);
      expect(results.map((r) => r.status)).toEqual(["pending", "applied", "applied"]);
      expect(peer.replica.canonicalState()).toBe(reopened.canonicalState());
    });
  });
}
