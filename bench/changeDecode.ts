/**
 * Change decoding (issue 14): `decodeChange` of typical format-2 changes (a
 * busy team's history, `generateTeamHistory`: one op each, one or two deps)
 * against the decoder it replaced (zod over the whole change, re-encode and
 * compare; frozen in test/support/crdt/legacyChangeDecode.ts), in the same
 * run, over the same bytes, alternating rounds so that load on the machine
 * hits both alike. Goal: ≥ 3× faster. Also the id alone (`changeIdOfBytes`,
 * which sync computes for every received change) against the old hashing.
 *
 * Run: npm run bench changeDecode   (ends with one JSON line)
 */
import { changeIdOfBytes, decodeChange } from "../src-main/crdt/changeCodec";
import { legacyChangeDecoder, legacyChangeIdV2 } from "../test/support/crdt/legacyChangeDecode";
import { BENCH_WORKSPACE, generateTeamHistory } from "./support/generateTeamHistory";

const TOTAL = 20_000;
const ROUNDS = 7;
const GOAL = 3;

/** Median of `ROUNDS` timings (µs per change) of each contender, rounds interleaved. */
function race(log: readonly Uint8Array[], contenders: Record<string, (bytes: Uint8Array) => boolean>): Record<string, number> {
  const names = Object.keys(contenders);
  const times = new Map<string, number[]>(names.map((n) => [n, []]));
  for (const name of names) for (const bytes of log) contenders[name]!(bytes); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      const run = contenders[name]!;
      let ok = 0;
      const start = performance.now();
      for (const bytes of log) if (run(bytes)) ok++;
      times.get(name)!.push(((performance.now() - start) * 1000) / log.length);
      if (ok !== log.length) throw new Error(`${name} refused ${log.length - ok} valid changes`);
    }
  }
  return Object.fromEntries(names.map((n) => [n, times.get(n)!.sort((a, b) => a - b)[ROUNDS >> 1]!]));
}

const t0 = performance.now();
const log = generateTeamHistory(TOTAL, 8);
const meanBytes = log.reduce((s, b) => s + b.length, 0) / log.length;
console.log(`generated ${log.length} changes (mean ${meanBytes.toFixed(0)} B) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const legacy = legacyChangeDecoder();
const decode = race(log, {
  old: (bytes) => legacy(bytes, BENCH_WORKSPACE).ok,
  new: (bytes) => decodeChange(bytes, BENCH_WORKSPACE).ok,
});
const id = race(log, {
  old: (bytes) => legacyChangeIdV2(BENCH_WORKSPACE, bytes.subarray(65)).length === 64,
  new: (bytes) => changeIdOfBytes(bytes, BENCH_WORKSPACE).length === 64,
});
const speedup = decode.old! / decode.new!;
console.log(`decodeChange: ${decode.new!.toFixed(2)} µs/change, old decoder ${decode.old!.toFixed(2)} µs/change: ${speedup.toFixed(2)}× faster (goal ≥ ${GOAL}×)`);
console.log(`change id: ${id.new!.toFixed(2)} µs/change, old ${id.old!.toFixed(2)} µs/change`);
console.log(
  JSON.stringify({
    bench: "change-decode",
    changes: log.length,
    meanBytes: Math.round(meanBytes),
    usPerChange: Number(decode.new!.toFixed(3)),
    oldUsPerChange: Number(decode.old!.toFixed(3)),
    speedup: Number(speedup.toFixed(2)),
    goal: GOAL,
    met: speedup >= GOAL,
    idUsPerChange: Number(id.new!.toFixed(3)),
    oldIdUsPerChange: Number(id.old!.toFixed(3)),
  }),
);
