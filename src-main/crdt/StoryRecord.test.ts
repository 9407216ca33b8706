/**
 * `logTouch` keeps a story's log as the greatest LOG_LIMIT stamps of the
 * changes that touched it, greatest first, whatever order they arrive in,
 * and never changes the array it found (a stored record shares it).
 */
import { describe, expect, it } from "vitest";
import { compareStamp, type Stamp } from "./Hlc";
import { LOG_LIMIT, logTouch, newStoryRecord, type StoryRecord } from "./StoryRecord";

const A = "a".repeat(64);
const stampAt = (wall: number): Stamp => ({ wall, logical: 0, author: A, id: wall.toString(16).padStart(64, "0") });

function record(): StoryRecord {
  return newStoryRecord("s", A, stampAt(1), { name: "n", agent: null, stage: "1_backlog", rank: "a0" });
}

/** A deterministic shuffle of 1..n (a linear congruential walk). */
function shuffled(n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i + 1);
  let x = 7;
  for (let i = n - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("logTouch", () => {
  it("keeps the greatest LOG_LIMIT stamps, greatest first, in any arrival order", () => {
    const rec = record();
    const walls = shuffled(LOG_LIMIT * 3);
    for (const wall of walls) logTouch(rec, stampAt(wall));
    const expected = [...walls].sort((a, b) => b - a).slice(0, LOG_LIMIT).map(stampAt);
    expect(rec.log).toEqual(expected);
    for (let i = 1; i < rec.log!.length; i++) expect(compareStamp(rec.log![i - 1]!, rec.log![i]!)).toBeGreaterThan(0);
  });

  it("is idempotent, and drops a stamp older than a full log's last", () => {
    const rec = record();
    for (let wall = 100; wall < 100 + LOG_LIMIT; wall++) logTouch(rec, stampAt(wall));
    const full = rec.log;
    logTouch(rec, stampAt(120)); // already there
    logTouch(rec, stampAt(5)); // older than every kept stamp
    expect(rec.log).toBe(full);
    expect(rec.log).toHaveLength(LOG_LIMIT);
  });

  it("sets a new log instead of changing the one it found (a stored record shares it)", () => {
    const rec = record();
    for (const wall of [10, 30, 50]) logTouch(rec, stampAt(wall));
    const before = Object.freeze(rec.log!);
    const copy = [...before];
    logTouch(rec, stampAt(40)); // in the middle: would splice a mutable log
    expect(before).toEqual(copy);
    expect(rec.log).not.toBe(before);
    expect(rec.log!.map((s) => s.wall)).toEqual([50, 40, 30, 10]);
  });
});
