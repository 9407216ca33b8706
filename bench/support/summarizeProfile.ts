/**
 * Self time per function from a V8 `.cpuprofile` (Profiler.stop's result):
 * each sample's time delta is charged to the node it landed in, then summed
 * by function name + file + line. Also usable on a file:
 *
 *   node --import tsx bench/support/summarizeProfile.ts some.cpuprofile [rows]
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export function summarizeProfile(profile: CpuProfile, rows: number): string {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    total += us;
    const f = node.callFrame;
    const file = f.url.replace(/^.*\/(node_modules\/|src-main\/|bench\/)/, "$1");
    const key = `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, rows);
  const lines = top.map(([k, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  return [`total ${(total / 1000).toFixed(0)} ms sampled`, ...lines].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const profile = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as CpuProfile;
  console.log(summarizeProfile(profile, Number(process.argv[3] ?? 40)));
}
