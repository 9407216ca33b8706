/**
 * The pipeline reducer: applies a validated change's ops to story records.
 * Pure with respect to the store: it reads records through `load`, works on
 * private copies, and returns the records to write and the ids of stories
 * whose visible state changed. Never throws for a validated change.
 *
 * Every rule here is commutative for concurrent changes (see StoryRecord),
 * which is what makes delivery order irrelevant.
 */
import { isStoryOp, type Change } from "./Change";
import type { Hlc, Stamp } from "./Hlc";
import { compareHlc, compareStamp } from "./Hlc";
import { addClaimEvent, insertSorted, newStoryRecord, writeLww, type StoryRecord } from "./StoryRecord";

export interface ApplyResult {
  records: StoryRecord[];
  storyIds: string[];
}

/** `clock` is the change's effective clock (validateChange), never its claimed one. */
export function applyChange(id: string, change: Change, clock: Hlc, load: (story: string) => StoryRecord | undefined): ApplyResult {
  const stamp: Stamp = { wall: clock.wall, logical: clock.logical, author: change.author, id };
  const work = new Map<string, StoryRecord>();
  const changed = new Set<string>();
  const get = (story: string): StoryRecord | undefined => {
    let rec = work.get(story);
    if (!rec) {
      const stored = load(story);
      if (!stored) return undefined;
      rec = structuredClone(stored);
      work.set(story, rec);
    }
    return rec;
  };

  change.ops.forEach((op, index) => {
    if (!isStoryOp(op)) return; // memory ops: see ChangeReducer
    if (op.t === "create") {
      const existing = get(op.story);
      if (!existing) {
        work.set(op.story, newStoryRecord(op.story, id, stamp, op));
        changed.add(op.story);
        return;
      }
      // A concurrent create of the same id: merge as writes of every field.
      insertSorted(existing.creators, id);
      const hit = [
        writeLww(existing.name, op.name, stamp),
        writeLww(existing.agent, op.agent, stamp),
        writeLww(existing.blocked, false, stamp),
        writeLww(existing.place, { stage: op.stage, rank: op.rank }, stamp),
      ].some(Boolean);
      if (hit) changed.add(op.story);
      return;
    }
    const rec = get(op.story);
    if (!rec) return; // unreachable for a validated change
    let hit = true;
    switch (op.t) {
      case "name":
        hit = writeLww(rec.name, op.value, stamp);
        break;
      case "agent":
        hit = writeLww(rec.agent, op.value, stamp);
        break;
      case "blocked":
        hit = writeLww(rec.blocked, op.value, stamp);
        break;
      case "place":
        hit = writeLww(rec.place, { stage: op.stage, rank: op.rank }, stamp);
        break;
      case "count": {
        const pn = rec.retries[change.author] ?? [0, 0];
        rec.retries[change.author] = op.delta > 0 ? [pn[0] + op.delta, pn[1]] : [pn[0], pn[1] - op.delta];
        break;
      }
      case "deps": {
        for (const tag of op.remove) {
          for (const [el, tags] of Object.entries(rec.deps)) {
            const at = tags.indexOf(tag);
            if (at < 0) continue;
            tags.splice(at, 1);
            if (tags.length === 0) delete rec.deps[el];
          }
        }
        const tag = `${id}.${index}`;
        for (const el of op.add) insertSorted((rec.deps[el] ??= []), tag);
        break;
      }
      case "claim":
        addClaimEvent(rec, { stamp, by: op.by });
        break;
      case "release":
        addClaimEvent(rec, { stamp, by: null });
        break;
      case "hide":
        if (rec.hide === null || compareHlc(clock, rec.hide) > 0) rec.hide = { wall: clock.wall, logical: clock.logical };
        break;
      case "unhide":
        if (rec.unhide === null || compareHlc(clock, rec.unhide) > 0) rec.unhide = { wall: clock.wall, logical: clock.logical };
        break;
      case "delete":
        if (rec.deleted === null || compareStamp(stamp, rec.deleted) < 0) rec.deleted = stamp;
        break;
    }
    if (hit) changed.add(op.story);
  });
  return { records: [...work.values()], storyIds: [...changed].sort() };
}
