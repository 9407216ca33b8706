/**
 * store-bytes: what one change costs on disk. Ingests N changes into a real
 * data dir (`node.ingest`, as a catch-up does), closes it (the WAL is
 * checkpointed into the main file) and reports the file size per change,
 * with the `dbstat` breakdown per table and index. Two histories:
 * - `generateHistory` (two authors merging every 250 changes, as the other
 *   store benchmarks);
 * - a team of 8 authors, each change citing the others' latest (what makes
 *   per-change seq vectors grow).
 * Baseline in the same run: the changes' own signed bytes per change (the
 * payload the store cannot shrink); `ratio` = file bytes / payload bytes.
 * Issue 14's goal: ≤ 400 B per change for the whole file.
 * Also: a cold `getChangeMeta` (cache dropped) over every change, against
 * the bare SQLite point lookup of the same rows (`metaReadRatio`: what
 * decoding costs on top of the read; the validation hot path).
 * Also: the story row codec (`storyColumn`) encode / decode µs per record,
 * against JSON.stringify / parse of the same records in the same run.
 *
 * Run: npm run bench storeBytes   (ends with one JSON line)
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createNode } from "../src-main/node/createNode";
import { decodeChange } from "../src-main/crdt/changeCodec";
import { CHANGE_BY_ID } from "../src-main/store/replicaStatements";
import { SqliteReplicaStore } from "../src-main/store/SqliteReplicaStore";
import { storyColumn } from "../src-main/store/storyColumn";
import { silentLogger } from "../src-main/base/Logger";
import { STAGES } from "../src-shared/stages";
import { BENCH_WORKSPACE, generateHistory, makeBenchNode } from "./support/generateHistory";

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TOTAL = Number(process.env.MUSHER_BENCH_CHANGES ?? 20_000);

/** `authors` writers taking turns; every 50 changes everyone receives everything (deps cite all branches). */
function teamHistory(total: number, authors: number): Uint8Array[] {
  const team = Array.from({ length: authors }, (_, i) => makeBenchNode(i));
  const log: Uint8Array[] = [];
  team.forEach((a) => a.replica.onApplied((e) => e.local && log.push(...e.changes)));
  const own: string[][] = team.map(() => []);
  let shipped = 0;
  let x = 777;
  const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % m);
  for (let i = 0; log.length < total; i++) {
    const k = i % authors;
    const { replica, board } = team[k]!;
    const mine = own[k]!;
    if (mine.length < 5 || rnd(10) === 0) {
      const id = `t${k}-${i}`;
      replica.commit([{ t: "create", story: id, name: `story ${i}`, stage: STAGES[rnd(STAGES.length)]!.id, rank: "a" + DIGITS[rnd(62)]! + DIGITS[1 + rnd(61)]!, agent: null }]);
      mine.push(id);
    } else {
      const id = mine[rnd(mine.length)]!;
      if (rnd(2) === 0) board.update(id, { name: `renamed ${i}` });
      else board.retry(id);
    }
    if (log.length - shipped >= 50) {
      const batch = log.slice(shipped);
      for (const a of team) a.replica.receiveBatch(batch);
      shipped = log.length;
    }
  }
  return log.slice(0, total);
}

interface Measured {
  history: string;
  changes: number;
  fileBytesPerChange: number;
  payloadBytesPerChange: number;
  tables: Record<string, number>;
  /** µs per cold getChangeMeta, and per bare point lookup of the same row. */
  metaReadUs: number;
  lookupUs: number;
  /** µs per story record: storyColumn encode / decode, and JSON stringify / parse of the same records. */
  story: { encodeUs: number; decodeUs: number; jsonEncodeUs: number; jsonDecodeUs: number };
}

/** The story codec against JSON on every story of the file (best of 3 rounds each). */
function storyCodec(file: string): Measured["story"] {
  const db = new Database(file, { readonly: true });
  try {
    const records = new SqliteReplicaStore(db).allStories();
    const keys: string[] = [];
    const idx = new Map<string, number>();
    const idxOf = (key: string): number => idx.get(key) ?? (idx.set(key, keys.push(key) - 1), keys.length - 1);
    const keyOf = (i: number): string => keys[i]!;
    const best = (fn: () => void): number => {
      let us = Infinity;
      for (let round = 0; round < 3; round++) {
        const t = performance.now();
        fn();
        us = Math.min(us, ((performance.now() - t) * 1000) / records.length);
      }
      return us;
    };
    let rows: (Buffer | string)[] = [];
    let json: string[] = [];
    const encodeUs = best(() => void (rows = records.map((r) => storyColumn.encode(r, idxOf))));
    const decodeUs = best(() => void rows.forEach((v, i) => storyColumn.decode(records[i]!.id, v, keyOf)));
    const jsonEncodeUs = best(() => void (json = records.map((r) => JSON.stringify(r))));
    const jsonDecodeUs = best(() => void json.forEach((v) => JSON.parse(v)));
    return { encodeUs, decodeUs, jsonEncodeUs, jsonDecodeUs };
  } finally {
    db.close();
  }
}

/** Cold metas of every change vs the bare row lookups, µs each (best of 3). */
function metaReads(file: string, ids: string[]): { metaReadUs: number; lookupUs: number } {
  const db = new Database(file);
  try {
    const store = new SqliteReplicaStore(db);
    const lookup = db.prepare<[{ id: Buffer }], { author: number }>(`SELECT author, seq, clock_wall, clock_logical, deps, vec FROM changes WHERE ${CHANGE_BY_ID}`);
    const raw = ids.map((id) => ({ id: Buffer.from(id, "hex") }));
    let metaUs = Infinity;
    let lookupUs = Infinity;
    for (let round = 0; round < 3; round++) {
      store.forgetCachedState();
      let t = performance.now();
      for (const id of ids) if (!store.getChangeMeta(id)) throw new Error(`no meta for ${id}`);
      metaUs = Math.min(metaUs, ((performance.now() - t) * 1000) / ids.length);
      t = performance.now();
      for (const id of raw) if (!lookup.get(id)) throw new Error("no row");
      lookupUs = Math.min(lookupUs, ((performance.now() - t) * 1000) / ids.length);
    }
    return { metaReadUs: metaUs, lookupUs };
  } finally {
    db.close();
  }
}

async function measure(history: string, log: Uint8Array[]): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), "musher-bench-bytes-"));
  try {
    const node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger, workspaceId: BENCH_WORKSPACE });
    const report = await node.ingest(log);
    if (report.applied !== log.length) throw new Error(`ingest applied ${report.applied} of ${log.length}`);
    await node.close();
    const file = join(dir, "musher.db");
    const size = (await stat(file)).size + ((await stat(`${file}-wal`).catch(() => null))?.size ?? 0); // and a WAL the close left, if any
    const db = new Database(file, { readonly: true });
    const rows = db.prepare<[], { name: string; bytes: number }>("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC").all();
    db.close();
    const tables: Record<string, number> = {};
    for (const r of rows) if (r.bytes / log.length >= 1) tables[r.name] = Number((r.bytes / log.length).toFixed(1));
    const payload = log.reduce((n, b) => n + b.length, 0);
    const ids = log.map((bytes) => {
      const d = decodeChange(bytes, BENCH_WORKSPACE);
      if (!d.ok) throw new Error(d.reason);
      return d.value.id;
    });
    return { history, changes: log.length, fileBytesPerChange: size / log.length, payloadBytesPerChange: payload / log.length, tables, ...metaReads(file, ids), story: storyCodec(file) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const results = [await measure("2 authors (generateHistory)", generateHistory(TOTAL)), await measure("8 authors", teamHistory(TOTAL, 8))];
for (const r of results) {
  console.log(`${r.history}: ${r.changes} changes, file ${r.fileBytesPerChange.toFixed(0)} B/change, signed bytes ${r.payloadBytesPerChange.toFixed(0)} B/change (ratio ${(r.fileBytesPerChange / r.payloadBytesPerChange).toFixed(2)})`);
  console.log(`  per change, by table/index (B): ${Object.entries(r.tables).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.log(`  cold getChangeMeta ${r.metaReadUs.toFixed(2)} µs vs bare row lookup ${r.lookupUs.toFixed(2)} µs`);
  const st = r.story;
  console.log(`  story row: encode ${st.encodeUs.toFixed(2)} µs, decode ${st.decodeUs.toFixed(2)} µs (JSON: ${st.jsonEncodeUs.toFixed(2)} / ${st.jsonDecodeUs.toFixed(2)} µs)`);
}
const [two, eight] = results as [Measured, Measured];
console.log(
  JSON.stringify({
    bench: "store-bytes",
    changes: TOTAL,
    bytesPerChange2Authors: Math.round(two.fileBytesPerChange),
    bytesPerChange8Authors: Math.round(eight.fileBytesPerChange),
    signedBytesPerChange8Authors: Math.round(eight.payloadBytesPerChange),
    ratio: Number((eight.fileBytesPerChange / eight.payloadBytesPerChange).toFixed(3)),
    metaReadUs8Authors: Number(eight.metaReadUs.toFixed(2)),
    metaReadRatio: Number((eight.metaReadUs / eight.lookupUs).toFixed(2)),
    storyEncodeUs8Authors: Number(eight.story.encodeUs.toFixed(2)),
    storyDecodeUs8Authors: Number(eight.story.decodeUs.toFixed(2)),
    storyCodecVsJson: Number(((eight.story.encodeUs + eight.story.decodeUs) / (eight.story.jsonEncodeUs + eight.story.jsonDecodeUs)).toFixed(2)),
  }),
);
