/**
 * The 50,000-change team history of the fresh-device benchmarks and its
 * Automerge twin (the same stories and updates, one Automerge change per
 * change), cached in the OS temp dir: building them takes minutes, and
 * neither is what is measured. The cache is keyed on the count, the authors
 * and the change format's first byte, so a new format makes a new file.
 * The log file is length-prefixed blobs (`readBlobs`), which child
 * processes read themselves.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { automergeBaseline } from "./automergeBaseline";
import { generateTeamHistory } from "./generateTeamHistory";

/** Length-prefixed blobs in one file. */
function packBlobs(blobs: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const b of blobs) {
    const h = Buffer.alloc(4);
    h.writeUInt32BE(b.length);
    parts.push(h, Buffer.from(b));
  }
  return Buffer.concat(parts);
}

/** The blobs of a file written by this module. */
export function readBlobs(file: string): Uint8Array[] {
  const buf = readFileSync(file);
  const out: Uint8Array[] = [];
  for (let o = 0; o < buf.length; ) {
    const n = buf.readUInt32BE(o);
    out.push(Uint8Array.from(buf.subarray(o + 4, o + 4 + n)));
    o += 4 + n;
  }
  return out;
}

/** The history's size and authors: one definition, so every benchmark on it reads the same cached files. */
export const TEAM_HISTORY = { total: 50_000, authors: 8 } as const;

/** The history (and its Automerge twin), from the cache when a previous run made it with the same change format. */
export function teamHistory(): { log: Uint8Array[]; logFile: string; automergeFile: string } {
  const { total, authors } = TEAM_HISTORY;
  const probe = generateTeamHistory(authors * 2, authors);
  const tag = `${total}-${authors}-f${probe[0]![0]}`;
  const logFile = join(tmpdir(), `musher-bench-fresh-${tag}.log`);
  const automergeFile = join(tmpdir(), `musher-bench-fresh-${tag}.automerge`);
  if (existsSync(logFile) && existsSync(automergeFile)) {
    console.log(`history and Automerge document from the cache (${logFile})`);
    return { log: readBlobs(logFile), logFile, automergeFile };
  }
  const t0 = performance.now();
  const log = generateTeamHistory(total, authors);
  console.log(`generated ${log.length} changes by ${authors} authors in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  const automergeDoc = automergeBaseline(log);
  console.log(`built the Automerge document in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  writeFileSync(logFile, packBlobs(log));
  writeFileSync(automergeFile, automergeDoc);
  return { log, logFile, automergeFile };
}
