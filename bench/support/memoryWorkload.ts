/**
 * Deterministic session transcripts for the memory benchmarks
 * (bench/memoryAddMessages.ts, bench/memorySearch.ts):
 * - a vocabulary with Zipf-like frequencies (weight 1/rank): real function
 *   words and work jargon at the top, then ~20,000 synthetic words, so a
 *   100,000-message corpus has terms in almost every message and terms in a
 *   handful;
 * - per-session timelines a few minutes apart with occasional ≥ 4 h gaps, so
 *   the embedded detector cuts memcells (it cuts on a UTC day change or a
 *   ≥ 4 h gap) every few dozen messages.
 */
import { toMessages, type MessageInput } from "../../src-main/memory/Message";

/** mulberry32: small, fast, reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = (
  "the to and a of in is it that for you on this with be we not have are can i but was as if so at " +
  "do or will by from just an what all there one should about would my now think need like then get out " +
  "up more also when make here which see no use how still check let some done ok yes only new because time"
).split(" ");
const JARGON = (
  "test build error commit deploy branch merge review fix bug issue story session node sync change " +
  "release config server client api request response query index table schema migration database " +
  "cache timeout retry log logs trace stack failing passing green red ci pipeline lint typecheck " +
  "refactor function module import export type interface promise async await lock mutex buffer flush " +
  "memcell message search ranking latency throughput benchmark ratio median replica peer websocket " +
  "handshake token cookie header payload json frame chunk batch transaction fsync wal sqlite fts"
).split(" ");
const SYLLABLES = "ka ri to mu ne sa lo vi de pra gon tel mar sil bru fen qua dor lis zen hap wek tru"
  .split(" ")
  .concat("nox bel cor dri fal gim hor jus kel".split(" "));

export interface Vocabulary {
  /** Words by rank (0 = most frequent). */
  words: string[];
  /** Draws a word's rank with probability ∝ 1 / (rank + 1). */
  sampleRank(random: () => number): number;
}

export function makeVocabulary(synthetic = 20_000): Vocabulary {
  const words = [...COMMON, ...JARGON];
  const seen = new Set(words);
  const n = SYLLABLES.length;
  for (let i = 0; words.length < COMMON.length + JARGON.length + synthetic; i++) {
    // Bijective base-n over syllables, at least three of them: unique, pronounceable.
    let x = i + n * n;
    let w = "";
    while (x > 0) {
      w += SYLLABLES[x % n]!;
      x = Math.floor(x / n);
    }
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  const cumulative = new Float64Array(words.length);
  let total = 0;
  for (let r = 0; r < words.length; r++) cumulative[r] = total += 1 / (r + 1);
  return {
    words,
    sampleRank(random) {
      const target = random() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid]! < target) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

/** One message's text: 1–3 sentences of 5–20 Zipf-drawn words. */
export function messageText(vocab: Vocabulary, random: () => number, onWord?: (rank: number) => void): string {
  const sentences: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let s = 0; s < count; s++) {
    const words: string[] = [];
    const length = 5 + Math.floor(random() * 16);
    for (let w = 0; w < length; w++) {
      const rank = vocab.sampleRank(random);
      onWord?.(rank);
      words.push(vocab.words[rank]!);
    }
    const first = words[0]!;
    words[0] = first[0]!.toUpperCase() + first.slice(1);
    sentences.push(words.join(" ") + (random() < 0.15 ? "?" : "."));
  }
  return sentences.join(" ");
}

const MINUTE = 60_000;

/**
 * `count` increasing timestamps from `start`: 1–6 minutes apart, and about
 * one gap in 40 of 4.5–16 hours (a new working session: the detector cuts).
 */
export function timeline(count: number, start: number, random: () => number): number[] {
  const out: number[] = [];
  let t = start;
  for (let i = 0; i < count; i++) {
    t += random() < 1 / 40 ? Math.round((4.5 + random() * 11.5) * 60 * MINUTE) : Math.round((1 + random() * 5) * MINUTE);
    out.push(t);
  }
  return out;
}

/** A batch of messages at the given times: a person asks, an agent answers. */
export function makeBatch(
  vocab: Vocabulary,
  random: () => number,
  times: readonly number[],
  who: { user: string; agent: string },
  onWord?: (rank: number) => void,
): MessageInput[] {
  return times.map((timestamp, i) => {
    const user = i % 2 === 0 || random() < 0.2;
    return { senderId: user ? who.user : who.agent, role: user ? "user" : "assistant", timestamp, content: messageText(vocab, random, onWord) };
  });
}

/**
 * Checks the memorize invariant for one session: every expected message id
 * is in exactly one memcell or in the buffer, and nothing else is. Throws
 * (loudly, with counts) when it does not hold.
 */
export function assertInvariant(
  label: string,
  expected: ReadonlySet<string>,
  memcells: readonly { messageIds: readonly string[] }[],
  buffer: readonly { id: string }[],
): void {
  const placed = new Map<string, number>();
  for (const id of [...memcells.flatMap((c) => c.messageIds), ...buffer.map((m) => m.id)]) placed.set(id, (placed.get(id) ?? 0) + 1);
  const twice = [...placed].filter(([, n]) => n > 1).length;
  const missing = [...expected].filter((id) => !placed.has(id)).length;
  const invented = [...placed.keys()].filter((id) => !expected.has(id)).length;
  if (twice + missing + invented > 0) {
    throw new Error(`INVARIANT BROKEN (${label}): ${expected.size} expected, ${twice} placed twice, ${missing} missing, ${invented} unknown`);
  }
}

/** The ids the node derives for a batch (see the id rule in src-main/memory/Message.ts). */
export function idsOf(sessionId: string, batch: readonly MessageInput[]): string[] {
  return toMessages(sessionId, batch).map((m) => m.id);
}
