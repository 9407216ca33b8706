/**
 * The pipeline reducer: applies a validated change's ops to story records.
 * Pure with respect to the store: it reads records through `load`, works on
 * private copies, and returns the records to write and the ids of stories
 * whose visible state changed. Never throws for a validated change.
 *
 * Every rule here is commutative for concurrent changes (see StoryRecord),
 * which is what makes delivery order irrelevant. `past` answers "is this
 * change in the causal past of the change being applied" (multi-value
 * registers keep the writes it does not hold — see `MvRegister`).
 */
import { isStoryOp, type Change } from "./Change";
import type { Hlc, Stamp } from "./Hlc";
import { compareHlc, compareStamp } from "./Hlc";
import { writeMv, writeOptionalMv } from "./MvRegister";
import { addClaimEvent, insertSorted, logTouch, newStoryRecord, type Lww, type StoryRecord } from "./StoryRecord";

export interface ApplyResult {
  records: StoryRecord[];
  storyIds: string[];
}

/**
 * The change's own record of a story, or undefined when it does not exist:
 * on first touch a shallow copy, so the stored record — which a store may
 * hand out again, or hold as the state to roll back to — is never mutated.
 * Copy on write below: an op replaces each container it changes (a
 * register, the retries, the deps, the claims, the creators; the log in
 * `logTouch`) with a copy before changing it. Copying only
 * those is a fraction of copying the whole record per change.
 */
function working(work: Map<string, StoryRecord>, load: (story: string) => StoryRecord | undefined, story: string): StoryRecord | undefined {
  let rec = work.get(story);
  if (!rec) {
    const stored = load(story);
    if (!stored) return undefined;
    rec = { ...stored };
    work.set(story, rec);
  }
  return rec;
}

/** `writeMv` mutates its register (never its `others` array in place): a copy first. */
const ownLww = <T>(reg: Lww<T>): Lww<T> => ({ ...reg });

/** `clock` is the change's effective clock (validateChange), never its claimed one. */
export function applyChange(
  id: string,
  change: Change,
  clock: Hlc,
  load: (story: string) => StoryRecord | undefined,
  past: (changeId: string) => boolean,
): ApplyResult {
  const stamp: Stamp = { wall: clock.wall, logical: clock.logical, author: change.author, id };
  const work = new Map<string, StoryRecord>();
  const changed = new Set<string>();

  change.ops.forEach((op, index) => {
    if (!isStoryOp(op)) return; // memory ops: see ChangeReducer
    if (op.t === "create") {
      const existing = working(work, load, op.story);
      if (!existing) {
        const rec = newStoryRecord(op.story, id, stamp, op);
        logTouch(rec, stamp);
        work.set(op.story, rec);
        changed.add(op.story);
        return;
      }
      // A concurrent create of the same id: merge as writes of every field.
      existing.creators = [...existing.creators];
      insertSorted(existing.creators, id);
      logTouch(existing, stamp);
      existing.name = ownLww(existing.name);
      existing.agent = ownLww(existing.agent);
      existing.blocked = ownLww(existing.blocked);
      existing.place = ownLww(existing.place);
      const hit = [
        writeMv(existing.name, op.name, stamp, past),
        writeMv(existing.agent, op.agent, stamp, past),
        writeMv(existing.blocked, false, stamp, past),
        writeMv(existing.place, { stage: op.stage, rank: op.rank }, stamp, past),
      ].some(Boolean);
      if (hit) changed.add(op.story);
      return;
    }
    const rec = working(work, load, op.story);
    if (!rec) return; // unreachable for a validated change
    logTouch(rec, stamp);
    let hit = true;
    switch (op.t) {
      case "name":
        rec.name = ownLww(rec.name);
        hit = writeMv(rec.name, op.value, stamp, past);
        break;
      case "desc": {
        const next = writeOptionalMv(rec.desc === undefined ? undefined : ownLww(rec.desc), op.value, stamp, past);
        rec.desc = next.reg;
        hit = next.changed;
        break;
      }
      case "agent":
        rec.agent = ownLww(rec.agent);
        hit = writeMv(rec.agent, op.value, stamp, past);
        break;
      case "blocked":
        rec.blocked = ownLww(rec.blocked);
        hit = writeMv(rec.blocked, op.value, stamp, past);
        break;
      case "place":
        rec.place = ownLww(rec.place);
        hit = writeMv(rec.place, { stage: op.stage, rank: op.rank }, stamp, past);
        break;
      case "count": {
        const pn = rec.retries[change.author] ?? [0, 0];
        rec.retries = { ...rec.retries, [change.author]: op.delta > 0 ? [pn[0] + op.delta, pn[1]] : [pn[0], pn[1] - op.delta] };
        break;
      }
      case "deps": {
        const deps: Record<string, string[]> = {};
        for (const el in rec.deps) deps[el] = [...rec.deps[el]!];
        rec.deps = deps;
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
        rec.claims = [...rec.claims];
        addClaimEvent(rec, { stamp, by: op.by });
        break;
      case "release":
        rec.claims = [...rec.claims];
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
        if (rec.lastDelete === undefined || compareStamp(stamp, rec.lastDelete) > 0) rec.lastDelete = stamp;
        break;
      case "undelete":
        if (rec.undeleted === undefined || compareStamp(stamp, rec.undeleted) > 0) rec.undeleted = stamp;
        break;
    }
    if (hit) changed.add(op.story);
  });
  return { records: [...work.values()], storyIds: [...changed].sort() };
}
