/**
 * `memory/search` latency over 100,000 messages on a real node (FTS5 over
 * memcell titles/contents and buffered messages, ranked by bm25).
 *
 * Build (timed and reported): 100 sessions of 1,000 Zipf-drawn messages
 * (bench/support/memoryWorkload.ts), each sent as 2 `session/addMessages`
 * calls of 500; half the sessions belong to one of 10 stories. The embedded
 * detector cuts memcells at the timelines' ≥ 4 h gaps and day changes.
 *
 * Queries (200, interleaved): rare terms (3–30 occurrences in the corpus),
 * common terms (the 40 most frequent words), two-term queries, and any of
 * those with a `storyId` filter; limit 20, through `node.call`. Median and
 * p99 per query. Baseline, same run, same queries: a naive scan, `LIKE
 * '%term%'` (OR-ed for two terms) over the `messages` table joined to its
 * session for the story filter, newest 20 — on a read-only connection to the
 * node's own database. ratio = FTS median ÷ scan median.
 *
 * Run: npm run bench memorySearch   (one JSON line)
 */
import Database from "better-sqlite3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageInput } from "../src-main/memory/Message";
import { createNode } from "../src-main/node/createNode";
import { silentLogger } from "../src-main/node/Logger";
import { callOk } from "./support/callOk";
import { makeBatch, makeVocabulary, prng, timeline } from "./support/memoryWorkload";

for (const key of ["MUSHER_LLM_BASE_URL", "MUSHER_LLM_MODEL", "MUSHER_LLM_API_KEY"]) delete process.env[key];

const SESSIONS = 100;
const PER_SESSION = 1_000;
const PER_CALL = 500;
const STORIES = 10;
const QUERIES = 200;
const LIMIT = 20;
const MESSAGES = SESSIONS * PER_SESSION;
const T0 = Date.UTC(2025, 0, 6, 8);

type Kind = "rare" | "common" | "twoTerm" | "story";
interface Query {
  kind: Kind;
  terms: string[];
  storyId?: string;
}

const median = (xs: number[]): number => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

const vocab = makeVocabulary();
const random = prng(2026);
const counts = new Uint32Array(vocab.words.length);
const sessionsWork: MessageInput[][][] = Array.from({ length: SESSIONS }, (_, s) => {
  const times = timeline(PER_SESSION, T0 + s * 3 * 86_400_000, random);
  return Array.from({ length: PER_SESSION / PER_CALL }, (_, c) =>
    makeBatch(vocab, random, times.slice(c * PER_CALL, (c + 1) * PER_CALL), { user: `person-${s % 7}`, agent: `agent-${s % 3}` }, (r) => void (counts[r] = counts[r]! + 1)),
  );
});

const rare = vocab.words.filter((_, r) => counts[r]! >= 3 && counts[r]! <= 30);
const common = vocab.words.slice(0, 40);
const mid = vocab.words.slice(40, 2_000);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const dir = await mkdtemp(join(tmpdir(), "musher-bench-search-"));
try {
  const node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger });
  const stories: string[] = [];
  for (let i = 0; i < STORIES; i++) stories.push((await callOk(node, "story/create", { name: `bench story ${i}` })).id);
  const buildStart = performance.now();
  for (let s = 0; s < SESSIONS; s++) {
    const storyId = s % 2 === 0 ? stories[(s / 2) % STORIES] : undefined;
    const { id } = await callOk(node, "session/create", { title: `bench session ${s}`, ...(storyId ? { storyId } : {}) });
    for (const messages of sessionsWork[s]!) await callOk(node, "session/addMessages", { sessionId: id, messages });
  }
  const buildSeconds = (performance.now() - buildStart) / 1000;

  const db = new Database(join(dir, "musher.db"), { readonly: true });
  const stored = db.prepare("SELECT count(*) AS n, sum(cell IS NULL) AS buffered FROM messages").get() as { n: number; buffered: number };
  const memcells = (db.prepare("SELECT count(*) AS n FROM memcells").get() as { n: number }).n;
  if (stored.n !== MESSAGES) throw new Error(`stored ${stored.n} of ${MESSAGES} messages`);
  const scanSql = (terms: number) => `
    SELECT m.id FROM messages m JOIN sessions s ON s.id = m.session
    WHERE (${Array.from({ length: terms }, () => "m.content LIKE ?").join(" OR ")}) AND (@story IS NULL OR s.story = @story)
    ORDER BY m.ts DESC LIMIT ${LIMIT}`;
  const scans = [db.prepare(scanSql(1)), db.prepare(scanSql(2))];

  const queries: Query[] = Array.from({ length: QUERIES }, (_, i): Query => {
    const kind = (["rare", "common", "twoTerm", "story"] as const)[i % 4]!;
    const single = (k: number): string[] => (k === 0 ? [pick(rare)] : k === 1 ? [pick(common)] : [pick(mid), pick(random() < 0.5 ? rare : mid)]);
    if (kind === "story") return { kind, terms: single(Math.floor(random() * 3)), storyId: pick(stories) };
    return { kind, terms: single(i % 4) };
  });
  const fts = async (q: Query) => callOk(node, "memory/search", { query: q.terms.join(" "), limit: LIMIT, ...(q.storyId ? { storyId: q.storyId } : {}) });
  const scan = (q: Query) => scans[q.terms.length - 1]!.all(...q.terms.map((t) => `%${t}%`), { story: q.storyId ?? null });

  for (const q of queries) {
    await fts(q); // warm: page cache and statement plans for both sides
    scan(q);
  }
  const ftsMs: Record<Kind, number[]> = { rare: [], common: [], twoTerm: [], story: [] };
  const scanMs: number[] = [];
  let missed = 0; // the scan finds the term in a message, search finds nothing
  for (const q of queries) {
    let t = performance.now();
    const hits = await fts(q);
    ftsMs[q.kind].push(performance.now() - t);
    t = performance.now();
    const rows = scan(q);
    scanMs.push(performance.now() - t);
    if (hits.length === 0 && rows.length > 0) missed++;
  }
  db.close();
  await node.close();

  const all = Object.values(ftsMs).flat();
  const ratio = median(all) / median(scanMs);
  const perKind = Object.fromEntries(Object.entries(ftsMs).map(([k, xs]) => [`${k}MedianMs`, Number(median(xs).toFixed(2))]));
  console.log(`build: ${MESSAGES} messages (${SESSIONS} sessions, calls of ${PER_CALL}) in ${buildSeconds.toFixed(1)} s = ${(MESSAGES / buildSeconds).toFixed(0)} msg/s; ${memcells} memcells, ${stored.buffered} messages buffered`);
  console.log(`search (${QUERIES} queries, limit ${LIMIT}): median ${median(all).toFixed(2)} ms, p99 ${quantile(all, 0.99).toFixed(2)} ms; per kind ${JSON.stringify(perKind)}`);
  console.log(`naive LIKE scan: median ${median(scanMs).toFixed(2)} ms, p99 ${quantile(scanMs, 0.99).toFixed(2)} ms; ratio ${ratio.toFixed(3)}; ${missed} queries found nothing where the scan matched a message`);
  console.log(
    JSON.stringify({
      bench: "memory-search",
      messages: MESSAGES,
      memcells,
      buildSeconds: Number(buildSeconds.toFixed(1)),
      queries: QUERIES,
      medianMs: Number(median(all).toFixed(2)),
      p99Ms: Number(quantile(all, 0.99).toFixed(2)),
      ...perKind,
      scanMedianMs: Number(median(scanMs).toFixed(2)),
      ratio: Number(ratio.toFixed(4)),
      missedVsScan: missed,
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
