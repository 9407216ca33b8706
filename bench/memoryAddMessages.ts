/**
 * `session/addMessages` throughput (messages/s) on a real node: `node.call`
 * → dispatch → Memorizer (embedded detector) → signed changes committed to
 * `<tmp>/musher.db` (WAL, synchronous = FULL) → MemoryReducer → tables + FTS.
 * Two cases: 1 adder on 1 session, and 16 concurrent adders on 4 sessions
 * (4 per session, each awaiting its previous call), batches of 10 messages of
 * Zipf-drawn text with per-session timelines that make the detector cut
 * memcells every few dozen messages (bench/support/memoryWorkload.ts).
 *
 * Baseline, same run, same batches: the pure in-memory pipeline (Memorizer +
 * EmbeddedDetector over InMemoryMemoryStore, median of 3 runs).
 * ratio = node messages/s ÷ in-memory messages/s: the price of
 * persistence, signing and indexing. After each run the memorize invariant
 * is checked through the API
 * (`session/memcells {includeHidden}` + `session/buffer`); a break throws.
 *
 * Run: npm run bench memoryAddMessages   (one JSON line per case)
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedDetector } from "../src-main/memory/EmbeddedDetector";
import { Memorizer } from "../src-main/memory/Memorizer";
import type { MessageInput } from "../src-main/memory/Message";
import { createNode } from "../src-main/node/createNode";
import { silentLogger } from "../src-main/base/Logger";
import { callOk } from "../test/support/callOk";
import { InMemoryMemoryStore } from "../src-main/memory/InMemoryMemoryStore";
import { assertInvariant, idsOf, makeBatch, makeVocabulary, prng, timeline } from "./support/memoryWorkload";

// The embedded detector is what is measured: never an LLM from the environment.
for (const key of ["MUSHER_LLM_BASE_URL", "MUSHER_LLM_MODEL", "MUSHER_LLM_API_KEY"]) delete process.env[key];

const BATCH = 10;
const T0 = Date.UTC(2026, 0, 5, 8);
const CASES = [
  { adders: 1, sessions: 1, batchesPerAdder: 3_500 },
  { adders: 16, sessions: 4, batchesPerAdder: 220 },
];
const VOCAB = makeVocabulary();

interface AdderWork {
  session: number;
  batches: MessageInput[][];
}
type Add = (sessionId: string, batch: MessageInput[]) => Promise<{ status: string; messageCount: number }>;

/** Adder a writes session a % sessions; the adders of a session take turns along its timeline. */
function buildWork(adders: number, sessions: number, batchesPerAdder: number, seed: number): AdderWork[] {
  const random = prng(seed);
  const perSession = adders / sessions;
  const times = Array.from({ length: sessions }, (_, s) => timeline(perSession * batchesPerAdder * BATCH, T0 + s * 3_600_000, random));
  return Array.from({ length: adders }, (_, a) => {
    const session = a % sessions;
    const slot = Math.floor(a / sessions);
    const batches = Array.from({ length: batchesPerAdder }, (_, k) => {
      const start = (k * perSession + slot) * BATCH;
      return makeBatch(VOCAB, random, times[session]!.slice(start, start + BATCH), { user: `person-${a}`, agent: `agent-${a}` });
    });
    return { session, batches };
  });
}

async function drive(work: AdderWork[], sessionIds: string[], add: Add) {
  let accepted = 0;
  let extractedCalls = 0;
  const start = performance.now();
  await Promise.all(
    work.map(async ({ session, batches }) => {
      for (const batch of batches) {
        const r = await add(sessionIds[session]!, batch);
        accepted += r.messageCount;
        if (r.status === "extracted") extractedCalls++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const total = work.reduce((n, w) => n + w.batches.length * BATCH, 0);
  if (accepted !== total) throw new Error(`accepted ${accepted} of ${total} messages`);
  return { seconds, perSec: total / seconds, extractedCalls };
}

function expectedIds(work: AdderWork[], sessionIds: string[]): Map<string, Set<string>> {
  const out = new Map(sessionIds.map((id) => [id, new Set<string>()]));
  for (const { session, batches } of work) for (const b of batches) for (const id of idsOf(sessionIds[session]!, b)) out.get(sessionIds[session]!)!.add(id);
  return out;
}

async function inMemory(work: AdderWork[], sessions: number) {
  const ids = Array.from({ length: sessions }, (_, s) => `bench-${s}`);
  const store = new InMemoryMemoryStore();
  const memorizer = new Memorizer({ store, detector: new EmbeddedDetector() });
  const run = await drive(work, ids, (s, b) => memorizer.addMessages(s, b));
  let memcells = 0;
  for (const [id, expected] of expectedIds(work, ids)) {
    assertInvariant(`in-memory ${id}`, expected, store.listMemCells(id), store.getBuffer(id));
    memcells += store.listMemCells(id).length;
  }
  return { ...run, memcells };
}

async function onNode(work: AdderWork[], sessions: number) {
  const dir = await mkdtemp(join(tmpdir(), "musher-bench-memory-"));
  try {
    const node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger });
    const ids: string[] = [];
    for (let s = 0; s < sessions; s++) ids.push((await callOk(node, "session/create", { title: `bench session ${s}` })).id);
    const run = await drive(work, ids, (sessionId, messages) => callOk(node, "session/addMessages", { sessionId, messages }));
    let memcells = 0;
    for (const [sessionId, expected] of expectedIds(work, ids)) {
      const cells = await callOk(node, "session/memcells", { sessionId, includeHidden: true });
      assertInvariant(`node ${sessionId}`, expected, cells, await callOk(node, "session/buffer", { sessionId }));
      memcells += cells.length;
    }
    await node.close(); // checkpoints the WAL into the main file
    const bytes = (await stat(join(dir, "musher.db"))).size;
    return { ...run, memcells, bytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Warm both pipelines up (JIT, SQLite page cache code paths) before timing anything.
const warm = buildWork(4, 2, 30, 1);
await inMemory(warm, 2);
await onNode(warm, 2);

const lines: string[] = [];
for (const [i, { adders, sessions, batchesPerAdder }] of CASES.entries()) {
  const work = buildWork(adders, sessions, batchesPerAdder, 100 + i);
  const messages = adders * batchesPerAdder * BATCH;
  const base = [await inMemory(work, sessions), await inMemory(work, sessions), await inMemory(work, sessions)].sort((a, b) => a.perSec - b.perSec)[1]!;
  const node = await onNode(work, sessions);
  const ratio = node.perSec / base.perSec;
  console.log(
    `${adders} adder(s) on ${sessions} session(s), ${messages} messages in batches of ${BATCH}: node ${node.seconds.toFixed(2)} s = ${node.perSec.toFixed(0)} msg/s ` +
      `(${node.memcells} memcells, ${node.extractedCalls} extracting calls, ${(node.bytes / messages).toFixed(0)} db bytes/msg); ` +
      `in-memory ${base.perSec.toFixed(0)} msg/s (${base.memcells} memcells); ratio ${ratio.toFixed(3)}; invariant holds`,
  );
  lines.push(
    JSON.stringify({
      bench: "memory-add",
      adders,
      sessions,
      batchSize: BATCH,
      messages,
      seconds: Number(node.seconds.toFixed(2)),
      messagesPerSec: Math.round(node.perSec),
      baselinePerSec: Math.round(base.perSec),
      ratio: Number(ratio.toFixed(4)),
      memcells: node.memcells,
      baselineMemcells: base.memcells,
      dbBytesPerMessage: Math.round(node.bytes / messages),
    }),
  );
}
for (const line of lines) console.log(line);
