/**
 * Equivocation benchmark (design invariant 8: a Byzantine peer costs at most
 * what it sends). An author forks once — two different changes at seq 2,
 * each creating a story — then writes an 8,000-change chain on one branch
 * that keeps editing the story created at the forked seq, so every change
 * asks "which of the two seq-2 changes is in my causal past?". Baseline, in
 * the same run: an honest author's 8,000-change chain of the same edits.
 * Both are applied to a node's real SQLite store through `ingestInChunks`
 * (the path sync uses), with the fork already known when the chain arrives.
 *
 * Goal: equivocating rate ≥ 0.5 × honest rate; longest event-loop block
 * while applying ≤ 50 ms.
 *
 * Run: npx tsx bench/equivocation.ts   (ends with one JSON line)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHANGE_VERSION, type Op } from "../src-main/crdt/Change";
import { signChange } from "../src-main/crdt/changeCodec";
import { identityFromSeed, type Identity } from "../src-main/crdt/Identity";
import { MemoryReplicaStore } from "../src-main/crdt/MemoryReplicaStore";
import { Replica } from "../src-main/crdt/Replica";
import { silentLogger } from "../src-main/base/Logger";
import { ingestInChunks } from "../src-main/store/ingestInChunks";
import { openNodeStore } from "../src-main/store/openNodeStore";
import { blockProbe } from "./support/blockProbe";

const CHAIN = 8_000;
const WORKSPACE = "bench-equivocation";
const T0 = 1_700_000_000_000;
const create = (story: string): Op => ({ t: "create", story, name: story, stage: "1_backlog", rank: "a0", agent: null });

/** Signs a change on top of `on`'s heads (as a hostile author would, bypassing the honest path) and applies it there. */
function craft(on: Replica, author: Identity, wall: number, ops: Op[]): Uint8Array {
  const seq = (on.authorSeqs().get(author.publicKey) ?? 0) + 1;
  const signed = signChange({ v: CHANGE_VERSION, workspace: WORKSPACE, author: author.publicKey, seq, deps: on.heads().sort(), clock: { wall, logical: 0 }, ops }, author);
  const r = on.receive(signed.bytes);
  if (r.status !== "applied") throw new Error(`crafted change not applied: ${r.reason ?? r.status}`);
  return signed.bytes;
}

/** [the log up to the chain, the chain]: root, (fork sibling), the forked create, then CHAIN edits of it. */
function history(equivocate: boolean, seedByte: number): { prefix: Uint8Array[]; chain: Uint8Array[] } {
  const author = identityFromSeed(new Uint8Array(32).fill(seedByte));
  const main = new Replica({ workspace: WORKSPACE, signer: author, logger: silentLogger, store: new MemoryReplicaStore() });
  const prefix = [craft(main, author, T0, [create("root")])];
  if (equivocate) {
    const side = new Replica({ workspace: WORKSPACE, signer: author, logger: silentLogger, store: new MemoryReplicaStore() });
    side.receiveBatch(prefix);
    prefix.push(craft(side, author, T0 + 1, [create("other-branch")]));
  }
  const chain = [craft(main, author, T0 + 1, [create("forked")])];
  for (let i = 0; i < CHAIN; i++) chain.push(craft(main, author, T0 + 2 + i, [{ t: "name", story: "forked", value: `edit ${i}` }]));
  return { prefix, chain };
}

async function apply(log: { prefix: Uint8Array[]; chain: Uint8Array[] }, equivocate: boolean): Promise<{ perSec: number; maxBlockMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), "musher-bench-eq-"));
  const store = openNodeStore({ dataDir: dir, workspaceId: WORKSPACE });
  try {
    const replica = new Replica({ workspace: WORKSPACE, signer: store.identity, logger: silentLogger, store: store.store });
    await ingestInChunks(replica, log.prefix);
    const stop = blockProbe();
    const started = performance.now();
    const report = await ingestInChunks(replica, log.chain);
    const seconds = (performance.now() - started) / 1000;
    const maxBlockMs = stop();
    if (report.applied !== log.chain.length) throw new Error(`applied ${report.applied} of ${log.chain.length}`);
    if (replica.equivocators().length !== (equivocate ? 1 : 0)) throw new Error("equivocation not detected as expected");
    return { perSec: log.chain.length / seconds, maxBlockMs };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const honestLog = history(false, 0x31);
const evilLog = history(true, 0x32);
// Warm the code paths once, then measure each, honest first.
await apply(history(false, 0x33), false);
const honest = await apply(honestLog, false);
const evil = await apply(evilLog, true);
const ratio = evil.perSec / honest.perSec;
console.log(`honest chain:       ${CHAIN} changes at ${honest.perSec.toFixed(0)}/s, longest block ${honest.maxBlockMs.toFixed(1)} ms`);
console.log(`equivocating chain: ${CHAIN} changes at ${evil.perSec.toFixed(0)}/s, longest block ${evil.maxBlockMs.toFixed(1)} ms`);
const goal = ratio >= 0.5 && evil.maxBlockMs <= 50 ? "met" : "missed";
console.log(
  JSON.stringify({
    bench: "equivocation-chain",
    chain: CHAIN,
    honestPerSec: Math.round(honest.perSec),
    equivocatingPerSec: Math.round(evil.perSec),
    ratio: Number(ratio.toFixed(3)),
    honestMaxBlockMs: Number(honest.maxBlockMs.toFixed(1)),
    maxBlockMs: Number(evil.maxBlockMs.toFixed(1)),
    goal,
  }),
);
