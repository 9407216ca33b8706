/**
 * CRDT ingest benchmark: how fast a replica takes in changes authored
 * elsewhere (decode + hash + verify + validate + apply), compared with the
 * raw native Ed25519 verify rate measured in the same run — verification is
 * meant to be the floor (goal: ratio >= 0.5). Also noble's verify rate and
 * the cost of one local edit (create + sign + apply).
 *
 * Run: npx tsx bench/crdtIngest.ts   (ends with one JSON line per benchmark)
 */
import { decodeChange } from "../src-main/crdt/changeCodec";
import { nobleVerify } from "../src-main/crdt/nobleVerify";
import { PipelineBoard } from "../src-main/crdt/PipelineBoard";
import type { Replica } from "../src-main/crdt/Replica";
import { STAGES } from "../src-shared/stages";
import { BENCH_WORKSPACE, generateHistory, makeBenchNode } from "./support/generateHistory";
import { nativeVerifyRate } from "./support/nativeVerifyRate";

const TOTAL = 50_000;

function nobleVerifyRate(log: Uint8Array[]): number {
  const items = log.slice(0, 1_000).map((bytes) => {
    const d = decodeChange(bytes, BENCH_WORKSPACE);
    if (!d.ok) throw new Error(d.reason);
    return { sig: d.value.sig, msg: Buffer.from(d.value.id, "hex"), pub: Buffer.from(d.value.change.author, "hex") };
  });
  const start = performance.now();
  for (const it of items) if (!nobleVerify(it.sig, it.msg, it.pub)) throw new Error("bad sig");
  return items.length / ((performance.now() - start) / 1000);
}

function ingest(log: Uint8Array[]): { seconds: number; replica: Replica } {
  const { replica } = makeBenchNode(9);
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
const log = generateHistory(TOTAL);
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
