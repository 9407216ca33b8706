/**
 * Stress: 16 concurrent adders × 50 batches on 4 sessions. After everything
 * settles, every accepted message id is in exactly one place (one memcell or
 * the buffer) — counted with multiplicity, so a duplicate fails as surely as
 * a loss. One run uses a chaotic detector (random boundaries, some out of
 * range, random latency, 10% failures that the adders retry), one the
 * embedded detector, and one the chaotic detector over the store a node
 * runs (signed changes into a SQLite file).
 */
import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../src-shared/ApiError";
import type { BoundaryDetector, Detection } from "../memory/BoundaryDetector";
import { EmbeddedDetector } from "../memory/EmbeddedDetector";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Replica } from "../crdt/Replica";
import { silentLogger } from "../base/Logger";
import { openNodeStore } from "./openNodeStore";
import { SqliteMemoryTables } from "./SqliteMemoryTables";
import { InMemoryMemoryStore } from "../memory/InMemoryMemoryStore";
import { MemoryReducer } from "../memory/MemoryReducer";
import type { MemoryStore } from "../memory/MemoryStore";
import { ReplicatedMemoryStore } from "../memory/ReplicatedMemoryStore";
import { Memorizer } from "../memory/Memorizer";
import { toMessages, type Message, type MessageInput } from "../memory/Message";
import { SessionLocks } from "../memory/SessionLocks";

const T0 = Date.UTC(2026, 0, 10, 8, 0);
const ADDERS = 16;
const BATCHES = 50;
const SESSIONS = ["s0", "s1", "s2", "s3"];

/** Small deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chaoticDetector(random: () => number): BoundaryDetector {
  return {
    async detect(messages: readonly Message[]): Promise<Detection> {
      await new Promise((r) => setTimeout(r, Math.floor(random() * 3)));
      if (random() < 0.1) throw new Error("flaky detector");
      const boundaries = Array.from({ length: Math.floor(random() * 3) }, () => Math.floor(random() * (messages.length + 3)));
      return { boundaries, shouldWait: random() < 0.5 };
    },
  };
}

async function runStress(detector: BoundaryDetector, random: () => number, gapMs: number, store: MemoryStore = new InMemoryMemoryStore()) {
  const locks = new SessionLocks();
  const memorizer = new Memorizer({ store, detector, locks });
  const expected = new Map<string, Set<string>>(SESSIONS.map((s) => [s, new Set<string>()]));
  let retries = 0;

  const adder = async (a: number): Promise<void> => {
    const sessionId = SESSIONS[a % SESSIONS.length] ?? "s0";
    for (let k = 0; k < BATCHES; k++) {
      const size = 1 + Math.floor(random() * 4);
      const inputs: MessageInput[] = Array.from({ length: size }, (_, i) => ({
        senderId: `u${a}`,
        role: random() < 0.3 ? "assistant" : "user",
        timestamp: T0 + (k * ADDERS + a) * gapMs + i,
        content: `adder ${a} batch ${k} msg ${i}`,
      }));
      for (const m of toMessages(sessionId, inputs)) expected.get(sessionId)?.add(m.id);
      for (;;) {
        try {
          await memorizer.addMessages(sessionId, inputs);
          break;
        } catch (err) {
          if (!(err instanceof ApiFailure) || err.code !== "unavailable") throw err;
          retries += 1; // same payload again: deterministic ids make it safe
        }
      }
    }
  };
  await Promise.all(Array.from({ length: ADDERS }, (_, a) => adder(a)));

  for (const sessionId of SESSIONS) {
    const placed = [
      ...store.getBuffer(sessionId).map((m) => m.id),
      ...store.listMemCells(sessionId).flatMap((c) => c.messageIds),
    ];
    expect(placed.length).toBe(new Set(placed).size); // nothing twice
    expect(new Set(placed)).toEqual(expected.get(sessionId)); // nothing lost, nothing invented
  }
  expect(locks.size).toBe(0);
  return { retries, memcells: SESSIONS.reduce((n, s) => n + store.listMemCells(s).length, 0) };
}

describe("Memorizer stress", () => {
  it("16 adders × 50 batches on 4 sessions, chaotic detector with failures and retries", async () => {
    const random = prng(42);
    const { retries, memcells } = await runStress(chaoticDetector(random), random, 1_000);
    expect(retries).toBeGreaterThan(0);
    expect(memcells).toBeGreaterThan(0);
  });

  it("16 adders × 50 batches on 4 sessions, embedded detector", async () => {
    // 20-minute steps: day changes and 4 h gaps occur within a session's stream.
    const { memcells } = await runStress(new EmbeddedDetector(), prng(7), 20 * 60_000);
    expect(memcells).toBeGreaterThan(0);
  });

  it("16 adders × 50 batches on 4 sessions, chaotic detector, replicated store in a SQLite file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musher-stress-"));
    const node = openNodeStore({ dataDir: dir });
    try {
      const tables = new SqliteMemoryTables(node.db);
      const replica = new Replica({ workspace: node.workspaceId, signer: node.identity, logger: silentLogger, store: node.store, reducers: [new MemoryReducer(tables)] });
      replica.commit(SESSIONS.map((session) => ({ t: "session" as const, session, title: session, storyId: null, createdAt: 1 })));
      const random = prng(99);
      const { retries, memcells } = await runStress(chaoticDetector(random), random, 1_000, new ReplicatedMemoryStore(replica, tables));
      expect(retries).toBeGreaterThan(0);
      expect(memcells).toBeGreaterThan(0);
    } finally {
      node.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
