/**
 * CRDT ingest benchmark: how fast a replica takes in changes authored
 * elsewhere (decode + hash + verify + validate + apply), compared with the
 * raw native Ed25519 verify rate measured in the same run — verification is
 * meant to be the floor (goal: ratio >= 0.5). Also noble's verify rate and
 * the cost of one local edit (create + sign + apply).
 *
 * Run: npx tsx bench/crdtIngest.ts   (ends with one JSON line per benchmark)
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from "node:crypto";
import { silentLogger } from "../src-main/node/Logger";
import { decodeChange } from "../src-main/crdt/changeCodec";
import { identityFromSeed } from "../src-main/crdt/Identity";
import { nobleVerify } from "../src-main/crdt/nobleVerify";
import { PipelineBoard } from "../src-main/crdt/PipelineBoard";
import { Replica } from "../src-main/crdt/Replica";
import { STAGES } from "../src-shared/stages";

const TOTAL = 50_000;
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const WORKSPACE = "bench";

function makeNode(i: number): { replica: Replica; board: PipelineBoard } {
  let t = 1_700_000_000_000;
  const replica = new Replica({
    workspace: WORKSPACE,
    signer: identityFromSeed(new Uint8Array(32).fill(0x10 + i)),
    logger: silentLogger,
    now: () => (t += 7),
  });
  let n = 0;
  return { replica, board: new PipelineBoard(replica, () => `b${i}-${n++}`) };
}

/** Two authors editing concurrently and merging every 250 changes: a realistic DAG. */
function generate(): Uint8Array[] {
  const authors = [makeNode(0), makeNode(1)];
  const log: Uint8Array[] = [];
  const shipped = [0, 0];
  authors.forEach((a) => a.replica.onApplied((e) => e.local && log.push(...e.changes)));
  const own: string[][] = [[], []];
  let x = 12345;
  const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % m);
  for (let i = 0; log.length < TOTAL; i++) {
    const k = i % 2;
    const { board } = authors[k]!;
    const mine = own[k]!;
    const r = rnd(100);
    if (mine.length < 20 || r < 10) {
      // Random short ranks (a 2-char integer part and a 1-char fraction): the
      // generator is not what is measured, so it skips the column scan.
      const id = `g${k}-${i}`;
      const rank = "a" + DIGITS[rnd(62)]! + DIGITS[1 + rnd(61)]!;
      authors[k]!.replica.commit([{ t: "create", story: id, name: `story ${i}`, stage: STAGES[rnd(STAGES.length)]!.id, rank, agent: null }]);
      mine.push(id);
    } else {
      const id = mine[rnd(mine.length)]!;
      // Insert at a random position of the column (approximate size), not at its end.
      if (r < 40) board.move(id, STAGES[rnd(STAGES.length)]!.id, rnd(1 + Math.floor((own[0]!.length + own[1]!.length) / 8)));
      else if (r < 60) board.update(id, { name: `renamed ${i}` });
      else if (r < 75) board.retry(id);
      else if (r < 90) board.update(id, { blocked: r % 2 === 0 });
      else board.claim(id, `agent-${k}`);
    }
    if (i % 250 === 249) {
      // Exchange what each has not sent yet, so later changes depend on both branches.
      const batch = log.slice(Math.min(...shipped));
      authors.forEach((a) => a.replica.receiveBatch(batch));
      shipped.fill(log.length);
    }
  }
  return log.slice(0, TOTAL);
}

function nativeVerifyRate(log: Uint8Array[]): number {
  const keys = new Map<string, KeyObject>();
  const items = log.slice(0, 20_000).map((bytes) => {
    const d = decodeChange(bytes);
    if (!d.ok) throw new Error(d.reason);
    const author = d.value.change.author;
    if (!keys.has(author)) keys.set(author, createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(author, "hex")]), format: "der", type: "spki" }));
    return { sig: d.value.sig, msg: Buffer.from(d.value.id, "hex"), key: keys.get(author)! };
  });
  const start = performance.now();
  for (const it of items) if (!nodeVerify(null, it.msg, it.key, it.sig)) throw new Error("bad sig");
  return items.length / ((performance.now() - start) / 1000);
}

function nobleVerifyRate(log: Uint8Array[]): number {
  const items = log.slice(0, 1_000).map((bytes) => {
    const d = decodeChange(bytes);
    if (!d.ok) throw new Error(d.reason);
    return { sig: d.value.sig, msg: Buffer.from(d.value.id, "hex"), pub: Buffer.from(d.value.change.author, "hex") };
  });
  const start = performance.now();
  for (const it of items) if (!nobleVerify(it.sig, it.msg, it.pub)) throw new Error("bad sig");
  return items.length / ((performance.now() - start) / 1000);
}

function ingest(log: Uint8Array[]): { seconds: number; replica: Replica } {
  const { replica } = makeNode(9);
  const start = performance.now();
  for (let i = 0; i < log.length; i += 1_000) {
    for (const r of replica.receiveBatch(log.slice(i, i + 1_000))) {
      if (r.status !== "applied") throw new Error(`ingest: ${r.status} ${r.reason ?? ""}`);
    }
  }
  return { seconds: (performance.now() - start) / 1000, replica };
}

function localEdit(replica: Replica): { perSec: number; msPerEdit: number; stories: number } {
  const board = new PipelineBoard(replica, (() => { let n = 0; return () => `local-${n++}`; })());
  const N = 600;
  const start = performance.now();
  for (let i = 0; i < N; i++) board.create({ name: `local ${i}`, stage: STAGES[i % STAGES.length]!.id, agent: null });
  const seconds = (performance.now() - start) / 1000;
  return { perSec: N / seconds, msPerEdit: (seconds * 1000) / N, stories: replica.stories().length };
}

const t0 = performance.now();
const log = generate();
console.log(`generated ${log.length} changes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const nativeRate = nativeVerifyRate(log);
const nobleRate = nobleVerifyRate(log);
const { seconds, replica } = ingest(log);
const changesPerSec = log.length / seconds;
const ratio = changesPerSec / nativeRate;
console.log(`native Ed25519 verify: ${nativeRate.toFixed(0)} /s`);
console.log(`noble Ed25519 verify (strict): ${nobleRate.toFixed(0)} /s`);
console.log(`ingest: ${log.length} changes in ${seconds.toFixed(2)} s = ${changesPerSec.toFixed(0)} changes/s (ratio to native verify ${ratio.toFixed(2)})`);
const edit = localEdit(replica);
console.log(`local edit (create + sign + apply, ${edit.stories} stories): ${edit.msPerEdit.toFixed(3)} ms = ${edit.perSec.toFixed(0)} /s`);
console.log(JSON.stringify({ bench: "crdt-ingest", changes: log.length, changesPerSec: Math.round(changesPerSec), nativeVerifyPerSec: Math.round(nativeRate), nobleVerifyPerSec: Math.round(nobleRate), ratio: Number(ratio.toFixed(3)) }));
console.log(JSON.stringify({ bench: "crdt-local-edit", editsPerSec: Math.round(edit.perSec), msPerEdit: Number(edit.msPerEdit.toFixed(4)), stories: edit.stories }));
