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
 * Against the index that shipped before (same run, same rows): a copy of the
 * database gets the old index beside the new one (bench/support/
 * legacyMemorySearch.ts: memcell digests + buffered messages, unicode61,
 * no stemming); both are queried through the tables directly, interleaved
 * → median/p99 and their ratios (medianVsLegacy, p99VsLegacy).
 *
 * Recall: `missedVsScan` (queries where search finds nothing but the scan
 * over the whole message text finds a message; goal 0), and `rareRecall`:
 * for the rare-word queries, the share of messages holding the word (as a
 * whole word) reached by the first 100 hits — a buffered-message hit or a
 * memcell hit that holds it. Precision of stemming, `stemPrecision`: the
 * share of all hits whose whole text contains a query word as typed (the
 * last one as a prefix): what an unstemmed index would have matched; the
 * rest were found only through a word form.
 *
 * Run: npm run bench memorySearch   (one JSON line)
 */
import Database from "better-sqlite3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageInput } from "../src-main/memory/Message";
import { createNode } from "../src-main/node/createNode";
import { silentLogger } from "../src-main/base/Logger";
import { tokenize } from "../src-main/memory/tokenize";
import { SqliteMemoryTables } from "../src-main/store/SqliteMemoryTables";
import { callOk } from "../test/support/callOk";
import { buildLegacyIndex, legacySearch } from "./support/legacyMemorySearch";
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

  // A copy of the same rows with the old index beside the new one: both timed in this run.
  const copyPath = join(dir, "compare.db");
  db.exec(`VACUUM INTO '${copyPath}'`);
  const copy = new Database(copyPath);
  buildLegacyIndex(copy);
  const current = new SqliteMemoryTables(copy);
  const legacy = legacySearch(copy);

  const queries: Query[] = Array.from({ length: QUERIES }, (_, i): Query => {
    const kind = (["rare", "common", "twoTerm", "story"] as const)[i % 4]!;
    const single = (k: number): string[] => (k === 0 ? [pick(rare)] : k === 1 ? [pick(common)] : [pick(mid), pick(random() < 0.5 ? rare : mid)]);
    if (kind === "story") return { kind, terms: single(Math.floor(random() * 3)), storyId: pick(stories) };
    return { kind, terms: single(i % 4) };
  });
  const fts = async (q: Query) => callOk(node, "memory/search", { query: q.terms.join(" "), limit: LIMIT, ...(q.storyId ? { storyId: q.storyId } : {}) });
  const direct = (q: Query, limit = LIMIT) => current.search(q.terms.join(" "), q.storyId ? { storyId: q.storyId, limit } : { limit });
  const old = (q: Query, limit = LIMIT) => legacy(q.terms.join(" "), q.storyId ?? null, limit);
  const scan = (q: Query) => scans[q.terms.length - 1]!.all(...q.terms.map((t) => `%${t}%`), { story: q.storyId ?? null });

  for (const q of queries) {
    await fts(q); // warm: page cache and statement plans for every side
    direct(q);
    old(q);
    scan(q);
  }
  const ftsMs: Record<Kind, number[]> = { rare: [], common: [], twoTerm: [], story: [] };
  const scanMs: number[] = [];
  const directMs: number[] = [];
  const legacyMs: number[] = [];
  let missed = 0; // the scan finds the term in a message, search finds nothing
  let legacyMissed = 0;
  for (const q of queries) {
    let t = performance.now();
    const hits = await fts(q);
    ftsMs[q.kind].push(performance.now() - t);
    t = performance.now();
    direct(q);
    directMs.push(performance.now() - t);
    t = performance.now();
    const oldHits = old(q);
    legacyMs.push(performance.now() - t);
    t = performance.now();
    const rows = scan(q);
    scanMs.push(performance.now() - t);
    if (hits.length === 0 && rows.length > 0) missed++;
    if (oldHits.length === 0 && rows.length > 0) legacyMissed++;
  }

  // Precision of stemming: a hit is "as typed" when its whole text has a query
  // word exactly (the last one as a prefix) — what the unstemmed index matched.
  const docWords = copy.prepare<[string], { title: string; body: string; text: string }>("SELECT title, body, text FROM memory_docs WHERE ref = ?");
  let hitsSeen = 0;
  let asTyped = 0;
  let stemOnly = 0;
  for (const q of queries) {
    for (const hit of direct(q)) {
      const doc = docWords.get(hit.id);
      const words = new Set(tokenize(doc === undefined ? "" : `${doc.title} ${doc.body} ${doc.text}`));
      const last = q.terms[q.terms.length - 1]!;
      const typed = q.terms.slice(0, -1).some((t) => words.has(t)) || [...words].some((w) => w.startsWith(last));
      hitsSeen++;
      if (typed) asTyped++;
      else stemOnly++;
    }
  }

  // Recall on rare words (3–30 messages each): every message whose text has
  // the word must be reached — as a buffered-message hit or inside a memcell hit.
  const withWord = copy.prepare<[string], { id: string; content: string }>("SELECT id, content FROM messages WHERE content LIKE ?");
  const cellMessages = copy.prepare<[string], { record: string }>("SELECT record FROM memcells WHERE id = ?");
  const reached = (kind: string, id: string): string[] =>
    kind === "message" || kind === "m" ? [id] : (JSON.parse(cellMessages.get(id)?.record ?? '{"messageIds":[]}') as { messageIds: string[] }).messageIds;
  let rareMessages = 0;
  let rareFound = 0;
  let rareFoundLegacy = 0;
  for (const q of queries.filter((x) => x.kind === "rare")) {
    const word = q.terms[0]!;
    const expected = withWord.all(`%${word}%`).filter((m) => tokenize(m.content).includes(word)).map((m) => m.id);
    const found = new Set(direct({ ...q }, 100).flatMap((h) => reached(h.kind, h.id)));
    const foundLegacy = new Set(old({ ...q }, 100).flatMap((h) => reached(h.kind, h.ref)));
    rareMessages += expected.length;
    rareFound += expected.filter((id) => found.has(id)).length;
    rareFoundLegacy += expected.filter((id) => foundLegacy.has(id)).length;
  }
  const indexBytes = (name: string) =>
    (copy.prepare("SELECT sum(length(block)) AS n FROM " + name + "_data").get() as { n: number }).n;
  const ftsBytes = indexBytes("memory_fts");
  const legacyFtsBytes = indexBytes("legacy_fts");
  copy.close();
  db.close();
  await node.close();

  const all = Object.values(ftsMs).flat();
  const ratio = median(all) / median(scanMs);
  const perKind = Object.fromEntries(Object.entries(ftsMs).map(([k, xs]) => [`${k}MedianMs`, Number(median(xs).toFixed(2))]));
  const round = (x: number, d = 2) => Number(x.toFixed(d));
  console.log(`build: ${MESSAGES} messages (${SESSIONS} sessions, calls of ${PER_CALL}) in ${buildSeconds.toFixed(1)} s = ${(MESSAGES / buildSeconds).toFixed(0)} msg/s; ${memcells} memcells, ${stored.buffered} messages buffered`);
  console.log(`search (${QUERIES} queries, limit ${LIMIT}, node.call): median ${median(all).toFixed(2)} ms, p99 ${quantile(all, 0.99).toFixed(2)} ms; per kind ${JSON.stringify(perKind)}`);
  console.log(
    `same rows, tables direct: full text + porter median ${median(directMs).toFixed(2)} ms, p99 ${quantile(directMs, 0.99).toFixed(2)} ms; ` +
      `legacy (digest + unicode61) median ${median(legacyMs).toFixed(2)} ms, p99 ${quantile(legacyMs, 0.99).toFixed(2)} ms; index ${(ftsBytes / 1e6).toFixed(1)} MB vs ${(legacyFtsBytes / 1e6).toFixed(1)} MB`,
  );
  console.log(`naive LIKE scan: median ${median(scanMs).toFixed(2)} ms, p99 ${quantile(scanMs, 0.99).toFixed(2)} ms; ratio ${ratio.toFixed(3)}; found nothing where the scan matched: ${missed} (legacy ${legacyMissed})`);
  console.log(`rare words: ${rareFound}/${rareMessages} messages reached (legacy ${rareFoundLegacy}); stemming: ${asTyped}/${hitsSeen} hits contain a query word as typed, ${stemOnly} by word form only`);
  console.log(
    JSON.stringify({
      bench: "memory-search",
      messages: MESSAGES,
      memcells,
      buildSeconds: round(buildSeconds, 1),
      queries: QUERIES,
      medianMs: round(median(all)),
      p99Ms: round(quantile(all, 0.99)),
      ...perKind,
      directMedianMs: round(median(directMs)),
      directP99Ms: round(quantile(directMs, 0.99)),
      legacyMedianMs: round(median(legacyMs)),
      legacyP99Ms: round(quantile(legacyMs, 0.99)),
      medianVsLegacy: round(median(directMs) / median(legacyMs), 3),
      p99VsLegacy: round(quantile(directMs, 0.99) / quantile(legacyMs, 0.99), 3),
      scanMedianMs: round(median(scanMs)),
      ratio: round(ratio, 4),
      missedVsScan: missed,
      legacyMissedVsScan: legacyMissed,
      rareRecall: round(rareFound / rareMessages, 4),
      legacyRareRecall: round(rareFoundLegacy / rareMessages, 4),
      stemPrecision: round(asTyped / hitsSeen, 4),
      indexMB: round(ftsBytes / 1e6, 1),
      legacyIndexMB: round(legacyFtsBytes / 1e6, 1),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
