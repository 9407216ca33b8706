/**
 * applyChange works on a copy of each stored record (copied on write, not a
 * deep clone): the record the store handed out must come back untouched,
 * whatever ops ran, and the result must equal what a deep clone gives.
 */
import { describe, expect, it } from "vitest";
import { applyChange } from "./applyChange";
import { CHANGE_VERSION, type Change, type Op } from "./Change";
import type { Stamp } from "./Hlc";
import type { StoryRecord } from "./StoryRecord";

const A = "a".repeat(64);
const B = "b".repeat(64);
const id = (c: string): string => c.repeat(64);
const stamp = (wall: number, c: string, author = A): Stamp => ({ wall, logical: 0, author, id: id(c) });

/** A record with every container filled: kept concurrent writes, deps tags, claims, a log. */
function fullRecord(): StoryRecord {
  const s1 = stamp(10, "1");
  const s2 = stamp(11, "2", B);
  return {
    id: "s",
    creators: [id("1")],
    name: { value: "n", stamp: s2, others: [{ value: "m", stamp: s1 }] },
    agent: { value: null, stamp: s1 },
    blocked: { value: false, stamp: s1, others: [{ value: true, stamp: s2 }] },
    place: { value: { stage: "1_backlog", rank: "a0" }, stamp: s1 },
    retries: { [A]: [1, 0] },
    deps: { t: [`${id("1")}.0`, `${id("2")}.0`] },
    claims: [{ stamp: s1, by: "x" }],
    hide: null,
    unhide: null,
    deleted: null,
    desc: { value: "d", stamp: s1, others: [{ value: "e", stamp: s2 }] },
    log: [s2, s1],
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const OPS: Op[] = [
  { t: "create", story: "s", name: "again", stage: "2_current", rank: "a1", agent: "bot" },
  { t: "name", story: "s", value: "renamed" },
  { t: "desc", story: "s", value: "described" },
  { t: "agent", story: "s", value: "agent" },
  { t: "blocked", story: "s", value: true },
  { t: "place", story: "s", stage: "3_qa", rank: "a2" },
  { t: "count", story: "s", delta: 1 },
  { t: "count", story: "s", delta: -1 },
  { t: "deps", story: "s", add: ["t", "u"], remove: [`${id("1")}.0`] },
  { t: "claim", story: "s", by: "y" },
  { t: "release", story: "s" },
  { t: "hide", story: "s" },
  { t: "unhide", story: "s" },
  { t: "delete", story: "s" },
  { t: "undelete", story: "s" },
];

describe("applyChange", () => {
  it("never mutates the record it loaded, and equals the result on a deep clone", () => {
    const change: Change = { v: CHANGE_VERSION, workspace: "w", author: A, seq: 3, deps: [id("2")], clock: { wall: 20, logical: 0 }, ops: OPS };
    // Only change 1 is in the past: B's concurrent writes stay held beside the new ones.
    const past = (x: string): boolean => x === id("1");
    const frozen = deepFreeze(fullRecord());
    const onCopy = applyChange(id("3"), change, { wall: 20, logical: 0 }, () => frozen, past);
    const onClone = applyChange(id("3"), change, { wall: 20, logical: 0 }, () => structuredClone(fullRecord()), past);
    expect(frozen).toEqual(fullRecord());
    expect(JSON.stringify(onCopy.records)).toBe(JSON.stringify(onClone.records));
    expect(onCopy.storyIds).toEqual(["s"]);
    const rec = onCopy.records[0]!;
    expect(rec.name.value).toBe("renamed");
    expect(rec.deps).toEqual({ t: [`${id("2")}.0`, `${id("3")}.8`], u: [`${id("3")}.8`] });
    expect(rec.claims).toHaveLength(3);
    expect(rec.log?.[0]?.id).toBe(id("3"));
  });

  it("copies on write for every op on its own: each leaves the loaded record untouched and matches a deep clone", () => {
    const past = (x: string): boolean => x === id("1");
    for (const [k, op] of OPS.entries()) {
      const change: Change = { v: CHANGE_VERSION, workspace: "w", author: A, seq: 3, deps: [id("2")], clock: { wall: 20, logical: 0 }, ops: [op] };
      const frozen = deepFreeze(fullRecord());
      const onCopy = applyChange(id("3"), change, { wall: 20, logical: 0 }, () => frozen, past);
      const onClone = applyChange(id("3"), change, { wall: 20, logical: 0 }, () => structuredClone(fullRecord()), past);
      expect(frozen, `op ${k} (${op.t})`).toEqual(fullRecord());
      expect(JSON.stringify(onCopy.records), `op ${k} (${op.t})`).toBe(JSON.stringify(onClone.records));
    }
  });
});
