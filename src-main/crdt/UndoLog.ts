/**
 * Undo/redo of THIS node's own edits, by writing inverse changes — so an
 * undo is an ordinary signed change and reaches every device.
 *
 * An edit is recorded as field steps `{ story, field, before, after, changeId }`
 * (a diff of the story around the change that made it, see `storySnapshot`).
 * Undoing a step writes `before` back — unless someone else changed the field
 * since (`stillOurs`): then the step is skipped, and the summary says so.
 * "Changed since" means: for a register field, the winning write is no longer
 * the change that made the edit (anyone's later write, including a write that
 * resolved a conflict against it); for hidden/deleted/dependsOn, the current
 * value is no longer the edit's result. A retry count step is always undone
 * (a counter decrement commutes with everyone's increments).
 *
 * The inverse change becomes a redo entry (its steps with before/after
 * swapped), and redo is the same operation in the other direction. A new
 * edit clears the redo stack. Both stacks live in memory, bounded by
 * MAX_UNDO: undo is a session affordance, not history (see `story/history`).
 */
import type { Op } from "./Change";
import type { Lww } from "./MvRegister";
import { isDeleted, isHidden, retryCount, type Placement, type StoryRecord } from "./StoryRecord";

export const MAX_UNDO = 100;

export interface StorySnapshot {
  name: string;
  desc: string;
  agent: string | null;
  blocked: boolean;
  place: Placement;
  hidden: boolean;
  deleted: boolean;
  deps: string[];
  retries: number;
}

type Field = keyof StorySnapshot;

export interface Step {
  story: string;
  field: Field;
  before: unknown;
  after: unknown;
  changeId: string;
}

export interface Edit {
  label: string;
  steps: Step[];
}

/** Absent story (not yet created) = deleted with default fields. */
export function storySnapshot(rec: StoryRecord | undefined): StorySnapshot | undefined {
  if (!rec) return undefined;
  return {
    name: rec.name.value,
    desc: rec.desc?.value ?? "",
    agent: rec.agent.value,
    blocked: rec.blocked.value,
    place: { ...rec.place.value },
    hidden: isHidden(rec),
    deleted: isDeleted(rec),
    deps: Object.keys(rec.deps).sort(),
    retries: retryCount(rec),
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The steps an edit made to one story: the fields whose value differs. A create has `before` undefined. */
export function diffSteps(story: string, before: StorySnapshot | undefined, after: StorySnapshot, changeId: string): Step[] {
  if (before === undefined) return [{ story, field: "deleted", before: true, after: false, changeId }];
  const steps: Step[] = [];
  for (const field of Object.keys(after) as Field[]) {
    if (!same(before[field], after[field])) steps.push({ story, field, before: before[field], after: after[field], changeId });
  }
  return steps;
}

const REGISTERS: Partial<Record<Field, (rec: StoryRecord) => Lww<unknown> | undefined>> = {
  name: (r) => r.name,
  desc: (r) => r.desc,
  agent: (r) => r.agent,
  blocked: (r) => r.blocked,
  place: (r) => r.place,
};

/** Whether nobody changed this step's field since the step's change. */
export function stillOurs(rec: StoryRecord, step: Step): boolean {
  if (step.field === "retries") return true;
  const reg = REGISTERS[step.field];
  if (reg) return reg(rec)?.stamp.id === step.changeId;
  const now = storySnapshot(rec)!;
  return same(now[step.field], step.after);
}

/** The ops that put `step.before` back, given the story as it is now. */
export function inverseOps(rec: StoryRecord, step: Step): Op[] {
  const story = step.story;
  switch (step.field) {
    case "name":
      return [{ t: "name", story, value: step.before as string }];
    case "desc":
      return [{ t: "desc", story, value: step.before as string }];
    case "agent":
      return [{ t: "agent", story, value: step.before as string | null }];
    case "blocked":
      return [{ t: "blocked", story, value: step.before as boolean }];
    case "place": {
      const p = step.before as Placement;
      return [{ t: "place", story, stage: p.stage, rank: p.rank }];
    }
    case "hidden":
      return [{ t: step.before ? "hide" : "unhide", story }];
    case "deleted":
      return [{ t: step.before ? "delete" : "undelete", story }];
    case "retries": {
      const delta = (step.before as number) - (step.after as number);
      return delta === 0 ? [] : [{ t: "count", story, delta }];
    }
    case "deps": {
      const target = new Set(step.before as string[]);
      const add = [...target].filter((d) => !(d in rec.deps)).sort();
      const remove = Object.entries(rec.deps)
        .filter(([d]) => !target.has(d))
        .flatMap(([, tags]) => tags)
        .sort();
      return add.length > 0 || remove.length > 0 ? [{ t: "deps", story, add, remove }] : [];
    }
  }
}

export class UndoLog {
  private readonly undos: Edit[] = [];
  private readonly redos: Edit[] = [];

  /** A new local edit: undoable, and the redo stack is gone. */
  record(edit: Edit): void {
    if (edit.steps.length === 0) return;
    push(this.undos, edit);
    this.redos.length = 0;
  }

  popUndo(): Edit | undefined {
    return this.undos.pop();
  }

  popRedo(): Edit | undefined {
    return this.redos.pop();
  }

  pushUndo(edit: Edit): void {
    push(this.undos, edit);
  }

  pushRedo(edit: Edit): void {
    push(this.redos, edit);
  }
}

function push(stack: Edit[], edit: Edit): void {
  stack.push(edit);
  if (stack.length > MAX_UNDO) stack.shift();
}
