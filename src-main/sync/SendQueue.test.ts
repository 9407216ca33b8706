/**
 * A catch-up's rows are read in slices: no pump holds the event loop much
 * past `planSliceMs`, and every change still goes out once, in order; with
 * the plan's log positions, they are read as runs of rows, each row used
 * only under the id planned for its position.
 */
import { describe, expect, it } from "vitest";
import { testNode } from "../../test/support/crdt/testKit";
import { waitFor } from "../../test/support/waitFor";
import type { PeerSocket } from "./PeerSocket";
import { SendQueue, type SendQueueHooks } from "./SendQueue";
import { decodeSyncFrame } from "./SyncFrame";
import { DEFAULT_SYNC_LIMITS } from "./SyncLimits";

/** The part of a socket the queue uses: always open, never backed up; records what is written. */
function recordingSocket(sent: Buffer[]): PeerSocket {
  const socket: Pick<PeerSocket, "isOpen" | "bufferedAmount" | "send"> = {
    isOpen: true,
    bufferedAmount: 0,
    send: (data, done) => {
      sent.push(data);
      setImmediate(done); // as ws: the callback comes after the write, never inside send
    },
  };
  return socket as PeerSocket;
}

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a slow row read
  }
};

describe("SendQueue", () => {
  it("reads a catch-up in slices that each end soon after planSliceMs, and sends every change once, in order", async () => {
    const sent: Buffer[] = [];
    // Real signed changes: the frame format reads their author and body.
    const author = testNode(0);
    const changes: Uint8Array[] = [];
    author.replica.onApplied((e) => changes.push(...e.changes));
    for (let i = 0; i < 300; i++) author.board.create({ name: `s${i}`, stage: "1_backlog", agent: null });
    expect(changes).toHaveLength(300);
    const ids = changes.map((_, i) => `c${i}`);
    const limits = { ...DEFAULT_SYNC_LIMITS, planSliceMs: 15 };
    const queue = new SendQueue(recordingSocket(sent), limits, {
      loadChange: (id) => {
        busy(1); // 300 reads ≈ 300 ms: all of them fit one 1 MiB frame, so unsliced this was one block
        return changes[Number(id.slice(1))];
      },
      onOverflow: () => undefined,
      onDelivered: () => undefined,
      onWriteError: (err) => {
        throw err;
      },
      onOversize: () => undefined,
    });
    const pumps: number[] = [];
    const pump = queue.pump.bind(queue);
    queue.pump = () => {
      const t = performance.now();
      pump();
      pumps.push(performance.now() - t);
    };
    queue.catchUp(ids);
    await waitFor(() => queue.backlog() === 0, "catch-up sent", 10_000, 1);
    const received = sent.flatMap((f) => {
      const frame = decodeSyncFrame(f);
      if (!frame.ok || frame.kind !== "changes") throw new Error("not a changes frame");
      return frame.changes.map((c) => Buffer.from(c).toString("hex"));
    });
    expect(received).toEqual(changes.map((c) => Buffer.from(c).toString("hex")));
    expect(queue.changesOut).toBe(300);
    expect(sent.length).toBeGreaterThan(5);
    // Each slice stops after the read that crossed 15 ms (a loaded machine may stretch one; never the whole 300 ms).
    expect(Math.max(...pumps)).toBeLessThan(100);
  });

  it("reads a catch-up with log positions as runs of rows, and by id where a row is not the planned change or the plan is sparse", async () => {
    const author = testNode(0);
    const changes: Uint8Array[] = [];
    author.replica.onApplied((e) => changes.push(...e.changes));
    for (let i = 0; i < 300; i++) author.board.create({ name: `s${i}`, stage: "1_backlog", agent: null });
    const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
    /** A log whose position i + 1 holds change i, except position 51 (another change) and 102 (nothing: a gap). */
    const log = new Map<number, { id: string; bytes: Uint8Array }>(changes.map((bytes, i) => [i + 1, { id: `c${i}`, bytes }]));
    log.set(51, { id: "other", bytes: new Uint8Array([9]) });
    log.delete(102);
    const send = (ids: string[], arrivals: number[]): Promise<{ received: string[]; byId: string[]; rowsRead: number; runs: number }> => {
      const sent: Buffer[] = [];
      const byId: string[] = [];
      let rowsRead = 0;
      let runs = 0;
      const hooks: SendQueueHooks = {
        loadChange: (id) => {
          byId.push(id);
          return changes[Number(id.slice(1))];
        },
        loadArrivals: (from, to) => {
          runs++;
          const rows = [...log].filter(([a]) => a >= from && a <= to).sort((x, y) => x[0] - y[0]).map(([arrival, r]) => ({ arrival, ...r }));
          rowsRead += to - from + 1;
          return rows;
        },
        onOverflow: () => undefined,
        onDelivered: () => undefined,
        onWriteError: (err) => {
          throw err;
        },
        onOversize: () => undefined,
      };
      const queue = new SendQueue(recordingSocket(sent), DEFAULT_SYNC_LIMITS, hooks);
      queue.catchUp(ids, undefined, arrivals);
      return waitFor(() => queue.backlog() === 0, "catch-up sent", 10_000, 1).then(() => ({
        received: sent.flatMap((f) => {
          const frame = decodeSyncFrame(f);
          if (!frame.ok || frame.kind !== "changes") throw new Error("not a changes frame");
          return frame.changes.map(hex);
        }),
        byId,
        rowsRead,
        runs,
      }));
    };
    // Every change, in log order: one run of rows; the two positions that do not hold the planned change are read by id.
    const all = changes.map((_, i) => i);
    const dense = await send(all.map((i) => `c${i}`), all.map((i) => i + 1));
    expect(dense.received).toEqual(changes.map(hex));
    expect(dense.byId).toEqual(["c50", "c101"]);
    expect(dense.runs).toBe(1);
    // Every 100th change: a run reads no more than a few rows per id it serves (here, one row each).
    const few = all.filter((i) => i % 100 === 0);
    const sparse = await send(few.map((i) => `c${i}`), few.map((i) => i + 1));
    expect(sparse.received).toEqual(few.map((i) => hex(changes[i]!)));
    expect(sparse.rowsRead).toBeLessThanOrEqual(4 * (few.length + 16));
    expect(sparse.byId).toEqual([]);
  });
});
