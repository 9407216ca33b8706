/**
 * The pipeline API on top of a `Replica`: each mutating call turns into
 * exactly one signed change by the node's key, applied locally (and thus
 * committed to the store) before it returns. Reads come from the
 * materialized story records.
 *
 * Invariants:
 * - unknown or deleted story → ApiFailure("not_found"); nothing is written;
 * - ranks come from `rankBetween` over the *visible* stories of the target
 *   stage, so the board order after the call is what the caller asked for;
 * - claim conflicts are judged with the clock the new change will carry,
 *   never the bare local wall clock (the same rule every replica folds by).
 * An update with an empty patch writes nothing (a change needs ≥ 1 op).
 * - every story edit made here is recorded for undo (`UndoLog`): `undo`
 *   and `redo` write inverse changes, skipping fields changed by others.
 */
import { randomUUID } from "node:crypto";
import { ApiFailure } from "../../src-shared/ApiError";
import type { Board } from "../../src-shared/Board";
import { STAGES, type StageId } from "../../src-shared/stages";
import type { HistoryEntry, Story, StoryDetail } from "../../src-shared/Story";
import { decodeChange } from "./changeCodec";
import type { Change, Op } from "./Change";
import { rankBetween } from "./rankBetween";
import type { Replica } from "./Replica";
import type { BoardModel, StageInfo, StoryPatch } from "./BoardModel";
import { BoardView } from "./BoardView";
import type { StageLimits } from "./StageLimits";
import { conflictsOf } from "./storyConflicts";
import { storyHistory } from "./storyHistory";
import { CLAIM_TTL_MS, claimState, isDeleted, type StoryRecord } from "./StoryRecord";
import { toStory } from "./toStory";
import { diffSteps, inverseOps, stillOurs, storySnapshot, UndoLog, type Edit, type Step } from "./UndoLog";

const quote = (s: string): string => `'${s.length > 40 ? `${s.slice(0, 37)}…` : s}'`;
const stageName = (id: string): string => STAGES.find((s) => s.id === id)?.name ?? id;
const FIELD_NAMES: Record<Step["field"], string> = {
  name: "name",
  desc: "description",
  agent: "agent",
  blocked: "blocked",
  place: "position",
  hidden: "hidden",
  deleted: "deleted",
  deps: "depends-on",
  retries: "retries",
};

export class PipelineBoard implements BoardModel {
  private readonly view: BoardView;
  private readonly undoLog = new UndoLog();

  constructor(
    readonly replica: Replica,
    private readonly newId: () => string = randomUUID,
    private readonly limits: StageLimits | null = null,
  ) {
    this.view = new BoardView(replica);
  }

  board(opts: { includeHidden?: boolean } = {}): Board {
    const all = this.view.stories();
    const stories = opts.includeHidden === true ? [...all] : all.filter((s) => !s.hidden);
    return { stages: STAGES.map((s) => this.stage(s.id)), stories };
  }

  get(id: string): StoryDetail {
    const rec = this.require(id);
    return { ...toStory(rec), description: rec.desc?.value ?? "", conflicts: conflictsOf(rec) };
  }

  history(id: string): { entries: HistoryEntry[] } {
    const rec = this.require(id);
    const load = (changeId: string): Change | undefined => {
      const bytes = this.replica.getChange(changeId);
      const decoded = bytes ? decodeChange(bytes, this.replica.workspace) : undefined;
      return decoded?.ok === true ? decoded.value.change : undefined;
    };
    return { entries: storyHistory(rec, load) };
  }

  setLimit(stage: StageId, limit: number | null): StageInfo {
    if (!this.limits) throw new ApiFailure("unavailable", "this node keeps no stage settings");
    this.replica.commit([{ t: "limit", stage, limit }]);
    return this.stage(stage);
  }

  /** Deleted stories (newest first by their delete), for the trash view. */
  trash(): { stories: Story[] } {
    const deleted = this.replica.stories().filter(isDeleted);
    const at = (r: StoryRecord): number => (r.lastDelete ?? r.deleted)?.wall ?? 0;
    deleted.sort((a, b) => at(b) - at(a) || (a.id < b.id ? -1 : 1));
    return { stories: deleted.slice(0, 500).map(toStory) };
  }

  restore(id: string): Story {
    const rec = this.replica.story(id);
    if (!rec) throw new ApiFailure("not_found", `no story with id ${JSON.stringify(id)}`);
    if (!isDeleted(rec)) return toStory(rec);
    return this.write(id, [{ t: "undelete", story: id }], `restore ${quote(rec.name.value)}`);
  }

  undo(): { undone: string | null } {
    const edit = this.undoLog.popUndo();
    if (!edit) return { undone: null };
    const inverse = this.invert(edit);
    if (inverse.edit) this.undoLog.pushRedo(inverse.edit);
    return { undone: outcome("Undid", edit.label, inverse.skipped, inverse.edit !== undefined) };
  }

  redo(): { redone: string | null } {
    const edit = this.undoLog.popRedo();
    if (!edit) return { redone: null };
    const inverse = this.invert(edit);
    if (inverse.edit) this.undoLog.pushUndo(inverse.edit);
    return { redone: outcome("Redid", edit.label, inverse.skipped, inverse.edit !== undefined) };
  }

  create(input: { name: string; stage: StageId; agent: string | null }): Story {
    const id = this.newId();
    const rank = this.rankAt(input.stage, undefined, id);
    return this.write(id, [{ t: "create", story: id, name: input.name, stage: input.stage, rank, agent: input.agent }], `create ${quote(input.name)}`);
  }

  update(id: string, patch: StoryPatch): Story {
    const rec = this.require(id);
    const ops: Op[] = [];
    if (patch.name !== undefined) ops.push({ t: "name", story: id, value: patch.name });
    if (patch.description !== undefined) ops.push({ t: "desc", story: id, value: patch.description });
    if (patch.agent !== undefined) ops.push({ t: "agent", story: id, value: patch.agent });
    if (patch.blocked !== undefined) ops.push({ t: "blocked", story: id, value: patch.blocked });
    if (patch.dependsOn !== undefined) {
      const target = new Set(patch.dependsOn);
      for (const dep of target) {
        if (!this.replica.story(dep)) throw new ApiFailure("not_found", `no story with id ${JSON.stringify(dep)}`);
      }
      const add = [...target].filter((d) => !(d in rec.deps)).sort();
      const remove = Object.entries(rec.deps)
        .filter(([d]) => !target.has(d))
        .flatMap(([, tags]) => tags)
        .sort();
      if (add.length > 0 || remove.length > 0) ops.push({ t: "deps", story: id, add, remove });
    }
    if (ops.length === 0) return toStory(rec);
    const name = quote(rec.name.value);
    const label =
      patch.name !== undefined && patch.name !== rec.name.value
        ? `rename ${name} → ${quote(patch.name)}`
        : ops.length === 1 && ops[0]!.t === "desc"
          ? `edit the description of ${name}`
          : `edit ${name}`;
    return this.write(id, ops, label);
  }

  move(id: string, stage: StageId, index?: number): Story {
    const rec = this.require(id);
    const from = rec.place.value.stage;
    const label = from === stage ? `reorder ${quote(rec.name.value)}` : `move ${quote(rec.name.value)} ${stageName(from)} → ${stageName(stage)}`;
    return this.write(id, [{ t: "place", story: id, stage, rank: this.rankAt(stage, index, id) }], label);
  }

  retry(id: string): Story {
    const rec = this.require(id);
    return this.write(id, [{ t: "count", story: id, delta: 1 }], `retry ${quote(rec.name.value)}`);
  }

  claim(id: string, claimant: string): Story {
    const { claimedBy, claimedAt } = claimState(this.require(id));
    const at = this.replica.nextClock().wall;
    if (claimedBy !== null && claimedBy !== claimant && at - (claimedAt ?? 0) < CLAIM_TTL_MS) {
      throw new ApiFailure("conflict", `story ${id} is claimed by ${claimedBy}`);
    }
    return this.write(id, [{ t: "claim", story: id, by: claimant }]);
  }

  release(id: string): Story {
    this.require(id);
    return this.write(id, [{ t: "release", story: id }]);
  }

  hide(id: string): Story {
    const rec = this.require(id);
    return this.write(id, [{ t: "hide", story: id }], `hide ${quote(rec.name.value)}`);
  }

  unhide(id: string): Story {
    const rec = this.require(id);
    return this.write(id, [{ t: "unhide", story: id }], `unhide ${quote(rec.name.value)}`);
  }

  delete(id: string): { id: string } {
    const rec = this.require(id);
    this.write(id, [{ t: "delete", story: id }], `delete ${quote(rec.name.value)}`);
    return { id };
  }

  /** Commits `ops` on story `id`; with a label the edit becomes undoable. */
  private write(id: string, ops: Op[], label?: string): Story {
    const before = storySnapshot(this.replica.story(id));
    const { change } = this.replica.commit(ops);
    const rec = this.replica.story(id)!;
    if (label !== undefined) this.undoLog.record({ label, steps: diffSteps(id, before, storySnapshot(rec)!, change.id) });
    return toStory(rec);
  }

  /** Writes the inverse of `edit`'s steps that are still ours; the inverse is itself an edit (for redo/undo). */
  private invert(edit: Edit): { edit?: Edit; skipped: Step[] } {
    const ops: Op[] = [];
    const applied: Step[] = [];
    const skipped: Step[] = [];
    for (const step of [...edit.steps].reverse()) {
      const rec = this.replica.story(step.story);
      if (!rec || !stillOurs(rec, step)) {
        skipped.push(step);
        continue;
      }
      ops.push(...inverseOps(rec, step));
      applied.push(step);
    }
    if (ops.length === 0) return { skipped };
    const { change } = this.replica.commit(ops);
    const steps = applied.reverse().map((s) => ({ ...s, before: s.after, after: s.before, changeId: change.id }));
    return { edit: { label: edit.label, steps }, skipped };
  }

  private stage(id: StageId): StageInfo {
    return { id, name: stageName(id), limit: this.limits?.limit(id) ?? null };
  }

  private require(id: string): StoryRecord {
    const rec = this.replica.story(id);
    if (!rec || isDeleted(rec)) throw new ApiFailure("not_found", `no story with id ${JSON.stringify(id)}`);
    return rec;
  }

  /** The rank that puts a story at `index` among the other visible stories of `stage`. */
  private rankAt(stage: StageId, index: number | undefined, self: string): string {
    // The view is already in board order (stage, rank, id).
    const column = this.view.stories().filter((s) => s.stage === stage && s.id !== self && !s.hidden);
    const i = Math.min(index ?? column.length, column.length);
    return rankBetween(column[i - 1]?.rank ?? null, column[i]?.rank ?? null);
  }
}

/** "Undid rename 'A' → 'B'" plus what was skipped and why. */
function outcome(verb: string, label: string, skipped: readonly Step[], wrote: boolean): string {
  const fields = [...new Set(skipped.map((s) => FIELD_NAMES[s.field]))].join(", ");
  if (!wrote) return `Could not ${verb === "Undid" ? "undo" : "redo"} ${label}: ${fields} changed by someone else since`;
  return skipped.length === 0 ? `${verb} ${label}` : `${verb} ${label} (skipped ${fields}: changed by someone else since)`;
}
