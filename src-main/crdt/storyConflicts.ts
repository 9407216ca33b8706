/**
 * A story's conflicts as the API shows them: for each multi-value register
 * holding writes with DIFFERENT values (two devices that both renamed a
 * story to the same text did not conflict), every distinct value with who
 * wrote it and when — the winning value first, then the others by stamp,
 * greatest first. Placement conflicts compare stages only: two concurrent
 * moves within one column are not worth a person's attention.
 */
import type { StoryConflict } from "../../src-shared/Story";
import { heldWrites, type Lww, type Write } from "./MvRegister";
import type { Placement, StoryRecord } from "./StoryRecord";

type Scalar = string | boolean | null;

function distinct<T>(reg: Lww<T> | undefined, key: (v: T) => Scalar): Write<T>[] {
  if (reg === undefined || reg.others === undefined || reg.others.length === 0) return [];
  const seen = new Set<Scalar>();
  const out: Write<T>[] = [];
  for (const w of heldWrites(reg)) {
    const k = key(w.value);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(w);
  }
  return out.length > 1 ? out : [];
}

const same = <T extends Scalar>(v: T): Scalar => v;
const stageOf = (p: Placement): Scalar => p.stage;

function entry<T>(field: StoryConflict["field"], writes: Write<T>[], show: (v: T) => Scalar): StoryConflict[] {
  if (writes.length === 0) return [];
  return [{ field, values: writes.map((w) => ({ value: show(w.value), author: w.stamp.author, at: w.stamp.wall })) }];
}

export function conflictsOf(rec: StoryRecord): StoryConflict[] {
  return [
    ...entry("name", distinct(rec.name, same), same),
    ...entry("description", distinct(rec.desc, same), same),
    ...entry("agent", distinct(rec.agent, same), same),
    ...entry("blocked", distinct(rec.blocked, same), same),
    ...entry("stage", distinct(rec.place, stageOf), stageOf),
  ];
}

export function isConflicted(rec: StoryRecord): boolean {
  const regs = [rec.name, rec.desc, rec.agent, rec.blocked, rec.place] as const;
  if (!regs.some((r) => r !== undefined && r.others !== undefined)) return false;
  return conflictsOf(rec).length > 0;
}
