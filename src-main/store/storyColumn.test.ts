/**
 * storyColumn is exact: every story record real replicas produce (random
 * histories of every op kind by 3 authors, concurrent writes, claims and
 * releases, deletes and restores, undo) reads back deep-equal, through the
 * codec and through a real SQLite store read cold; what the compact form
 * cannot hold falls back to JSON TEXT and still reads back exactly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../src-shared/ApiError";
import { STAGES } from "../../src-shared/stages";
import { identityFromSeed, type Identity } from "../crdt/Identity";
import { isDeleted, type StoryRecord } from "../crdt/StoryRecord";
import { shuffled, testNode, type TestNode } from "../../test/support/crdt/testKit";
import { openMemoryDatabase } from "./openDatabase";
import { SqliteReplicaStore } from "./SqliteReplicaStore";
import { storyColumn } from "./storyColumn";

const IDENTITIES: Identity[] = Array.from({ length: 3 }, (_, i) => identityFromSeed(new Uint8Array(32).fill(0x60 + i)));
const KINDS = ["create", "name", "desc", "agent", "blocked", "deps", "move", "retry", "claim", "release", "hide", "unhide", "delete", "restore", "undo"] as const;

function runOp(node: TestNode, op: (typeof KINDS)[number], pick: number, arg: number): void {
  const all = node.replica.stories();
  const live = all.filter((s) => !isDeleted(s)).map((s) => s.id).sort();
  if (op === "undo") return void node.board.undo();
  if (op === "restore") {
    const gone = all.filter(isDeleted);
    if (gone.length > 0) node.board.restore(gone[pick % gone.length]!.id);
    return;
  }
  if (op === "create" || live.length === 0) {
    node.board.create({ name: `n${arg} ✓ 𝄞`, stage: STAGES[arg % STAGES.length]!.id, agent: arg % 2 ? null : `a${arg % 3}` });
    return;
  }
  const id = live[pick % live.length]!;
  try {
    if (op === "name") node.board.update(id, { name: `name${arg}` });
    else if (op === "desc") node.board.update(id, { description: arg % 4 === 0 ? "" : `d${arg % 5}` });
    else if (op === "agent") node.board.update(id, { agent: arg % 3 === 0 ? null : `agent${arg % 4}` });
    else if (op === "blocked") node.board.update(id, { blocked: arg % 2 === 0 });
    else if (op === "deps") node.board.update(id, { dependsOn: live.filter((_, i) => (arg >> i) & 1) });
    else if (op === "move") node.board.move(id, STAGES[arg % STAGES.length]!.id, arg % 4 === 0 ? undefined : arg % 3);
    else if (op === "retry") node.board.retry(id);
    else if (op === "claim") node.board.claim(id, `claimant${arg % 3}`);
    else if (op === "release") node.board.release(id);
    else if (op === "hide") node.board.hide(id);
    else if (op === "unhide") node.board.unhide(id);
    else node.board.delete(id);
  } catch (err) {
    if (!(err instanceof ApiFailure && err.code === "conflict")) throw err;
  }
}

/** An in-memory authors table (what the store's AuthorIndex does, minus SQLite). */
function authorMap(): { idxOf: (key: string) => number; keyOf: (idx: number) => string } {
  const keys: string[] = [];
  return {
    idxOf: (key) => (keys.includes(key) ? keys.indexOf(key) : keys.push(key) - 1),
    keyOf: (idx) => keys[idx]!,
  };
}

function roundTrip(record: StoryRecord): { value: Buffer | string; back: StoryRecord } {
  const { idxOf, keyOf } = authorMap();
  const value = storyColumn.encode(record, idxOf);
  return { value, back: storyColumn.decode(record.id, value, keyOf) };
}

const stepArb = fc.record({ node: fc.nat(), op: fc.constantFrom(...KINDS), pick: fc.nat(), arg: fc.nat(), advance: fc.integer({ min: 0, max: 400_000 }), deliver: fc.nat() });

describe("storyColumn", () => {
  it("every record of random 3-author histories round-trips exactly, compact, through the codec and a real store (150 runs)", () => {
    let compared = 0;
    const seen = { others: 0, releases: 0, deleted: 0, desc: 0, deps: 0, hide: 0 };
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 10, maxLength: 60 }), fc.integer(), (steps, seed) => {
        const nodes = IDENTITIES.map((identity, i) => testNode(i, { identity }));
        const log: Uint8Array[] = [];
        nodes.forEach((node) => node.replica.onApplied((e) => e.local && log.push(...e.changes)));
        for (const step of steps) {
          const node = nodes[step.node % nodes.length]!;
          node.clock.t += step.advance;
          runOp(node, step.op, step.pick, step.arg);
          // Partial, out-of-order delivery: concurrent writes stay concurrent for a while.
          if (log.length > 0 && step.deliver % 3 === 0) node.replica.receive(log[step.deliver % log.length]!);
        }
        for (const bytes of shuffled(log, seed)) nodes[0]!.replica.receive(bytes);
        const db = openMemoryDatabase();
        try {
          const store = new SqliteReplicaStore(db);
          for (const node of nodes) {
            for (const record of node.replica.stories()) {
              const copy = JSON.parse(JSON.stringify(record)) as StoryRecord; // as an older build's JSON row would read
              const { value, back } = roundTrip(copy);
              expect(Buffer.isBuffer(value)).toBe(true);
              expect(back).toStrictEqual(copy);
              if (copy.name.others ?? copy.place.others ?? copy.agent.others) seen.others++;
              if (copy.claims.some((c) => c.by === null)) seen.releases++;
              if (copy.deleted !== null) seen.deleted++;
              if (copy.desc) seen.desc++;
              if (Object.keys(copy.deps).length > 0) seen.deps++;
              if (copy.hide !== null) seen.hide++;
              if (node === nodes[0]) {
                store.transaction(() => store.putStory(copy));
                compared++;
              }
            }
          }
          store.forgetCachedState();
          const expected = nodes[0]!.replica.stories().map((r) => JSON.parse(JSON.stringify(r)) as StoryRecord);
          expect(store.allStories()).toStrictEqual(expected.sort((a, b) => (a.id < b.id ? -1 : 1)));
        } finally {
          db.close();
        }
      }),
      // A fixed seed: the shape-coverage check below must not depend on the run's luck (over random
      // seeds, records with concurrent values ranged 9–22 and failed the check about one run in six).
      { numRuns: 150, seed: 20261126 },
    );
    expect(compared).toBeGreaterThan(500);
    // The histories did reach the shapes that matter (concurrent values, releases, optional fields).
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(10);
  });

  it("shrinks a 64-stamp record to about a quarter of its JSON", () => {
    const author = "ab".repeat(32);
    const stamp = (i: number) => ({ wall: 1_795_663_488_541 + i, logical: i % 3, author, id: i.toString(16).padStart(64, "0") });
    const rec: StoryRecord = {
      id: "s_01090f510aea9d2a",
      creators: [stamp(0).id],
      name: { value: "a story", stamp: stamp(0), others: [{ value: "b", stamp: stamp(1) }] },
      agent: { value: null, stamp: stamp(0) },
      blocked: { value: false, stamp: stamp(0) },
      place: { value: { stage: STAGES[0]!.id, rank: "a5" }, stamp: stamp(0) },
      retries: { [author]: [2, 1] },
      deps: { s_other: [`${stamp(3).id}.0`, `${stamp(4).id}.12`] },
      claims: [{ stamp: stamp(5), by: "bot" }, { stamp: stamp(6), by: null }],
      hide: { wall: 5, logical: 0 },
      unhide: null,
      deleted: stamp(7),
      desc: { value: "", stamp: stamp(8), others: [] },
      lastDelete: stamp(9),
      undeleted: stamp(10),
      log: Array.from({ length: 64 }, (_, i) => stamp(100 - i)),
    };
    const { value, back } = roundTrip(rec);
    expect(back).toStrictEqual(rec);
    expect(Buffer.isBuffer(value)).toBe(true);
    expect(value.length).toBeLessThan(JSON.stringify(rec).length / 3.5);
  });

  it("falls back to JSON TEXT for what the compact form cannot hold, and reads it back exactly", () => {
    const author = "cd".repeat(32);
    const stamp = { wall: 10, logical: 0, author, id: "ef".repeat(32) };
    const base: StoryRecord = {
      id: "s1",
      creators: [stamp.id],
      name: { value: "n", stamp },
      agent: { value: null, stamp },
      blocked: { value: false, stamp },
      place: { value: { stage: STAGES[1]!.id, rank: "a" }, stamp },
      retries: {},
      deps: {},
      claims: [],
      hide: null,
      unhide: null,
      deleted: null,
    };
    expect(Buffer.isBuffer(roundTrip(base).value)).toBe(true);
    const odd: StoryRecord[] = [
      { ...base, creators: ["c1"] }, // a test id, not a SHA-256
      { ...base, name: { value: "lone \ud800 surrogate", stamp } },
      { ...base, name: { value: "n", stamp: { ...stamp, wall: -1 } } },
      { ...base, name: { value: "n", stamp: { ...stamp, logical: 1.5 } } },
      { ...base, deps: { s2: ["not-a-tag"] } },
      { ...base, deps: { s2: [`${stamp.id}.01`] } }, // a tag whose index would not print back the same
      { ...base, agent: { value: null, stamp: { ...stamp, wall: 11 } } }, // one id, two different stamps: the table holds one per id
      { ...base, hide: stamp }, // stamp-shaped where an Hlc belongs: its extra keys must not be dropped
      { ...base, ...{ future: 1 } } as StoryRecord, // a field this build does not know
      JSON.parse(`{"__proto__": 1, ${JSON.stringify(base).slice(1)}`) as StoryRecord,
      { ...base, retries: JSON.parse(`{"__proto__": [1, 0]}`) as Record<string, [number, number]> },
    ];
    for (const rec of odd) {
      const { value, back } = roundTrip(rec);
      expect(typeof value).toBe("string");
      expect(back).toStrictEqual(JSON.parse(JSON.stringify(rec)));
    }
  });

  it("a damaged compact row is an error naming the story, never a wrong record", () => {
    const { idxOf, keyOf } = authorMap();
    const stamp = { wall: 10, logical: 0, author: "cd".repeat(32), id: "ef".repeat(32) };
    const rec: StoryRecord = {
      id: "s1", creators: [], name: { value: "n", stamp }, agent: { value: null, stamp }, blocked: { value: true, stamp },
      place: { value: { stage: STAGES[1]!.id, rank: "a" }, stamp }, retries: {}, deps: {}, claims: [], hide: null, unhide: null, deleted: null,
    };
    const bytes = storyColumn.encode(rec, idxOf) as Buffer;
    expect(() => storyColumn.decode("s1", bytes.subarray(0, bytes.length - 1), keyOf)).toThrow(/story s1/);
    expect(() => storyColumn.decode("s1", Buffer.concat([bytes, Buffer.from([0])]), keyOf)).toThrow(/trailing/);
    expect(() => storyColumn.decode("s1", Buffer.from([9]), keyOf)).toThrow(/version/);
  });
});
