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
 */
import { randomUUID } from "node:crypto";
import { ApiFailure } from "../../src-shared/ApiError";
import type { Board } from "../../src-shared/Board";
import { STAGES, type StageId } from "../../src-shared/stages";
import type { Story } from "../../src-shared/Story";
import type { Op } from "./Change";
import { rankBetween } from "./rankBetween";
import type { Replica } from "./Replica";
import type { BoardModel, StoryPatch } from "./BoardModel";
import { BoardView } from "./BoardView";
import { CLAIM_TTL_MS, claimState, toStory, type StoryRecord } from "./StoryRecord";

export class PipelineBoard implements BoardModel {
  private readonly view: BoardView;

  constructor(
    readonly replica: Replica,
    private readonly newId: () => string = randomUUID,
  ) {
    this.view = new BoardView(replica);
  }

  board(opts: { includeHidden?: boolean } = {}): Board {
    const all = this.view.stories();
    const stories = opts.includeHidden === true ? [...all] : all.filter((s) => !s.hidden);
    return { stages: STAGES.map((s) => ({ id: s.id, name: s.name })), stories };
  }

  create(input: { name: string; stage: StageId; agent: string | null }): Story {
    const id = this.newId();
    const rank = this.rankAt(input.stage, undefined, id);
    return this.write(id, [{ t: "create", story: id, name: input.name, stage: input.stage, rank, agent: input.agent }]);
  }

  update(id: string, patch: StoryPatch): Story {
    const rec = this.require(id);
    const ops: Op[] = [];
    if (patch.name !== undefined) ops.push({ t: "name", story: id, value: patch.name });
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
    return this.write(id, ops);
  }

  move(id: string, stage: StageId, index?: number): Story {
    this.require(id);
    return this.write(id, [{ t: "place", story: id, stage, rank: this.rankAt(stage, index, id) }]);
  }

  retry(id: string): Story {
    this.require(id);
    return this.write(id, [{ t: "count", story: id, delta: 1 }]);
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
    this.require(id);
    return this.write(id, [{ t: "hide", story: id }]);
  }

  unhide(id: string): Story {
    this.require(id);
    return this.write(id, [{ t: "unhide", story: id }]);
  }

  delete(id: string): { id: string } {
    this.require(id);
    this.replica.commit([{ t: "delete", story: id }]);
    return { id };
  }

  private write(id: string, ops: Op[]): Story {
    this.replica.commit(ops);
    return toStory(this.require(id));
  }

  private require(id: string): StoryRecord {
    const rec = this.replica.story(id);
    if (!rec || rec.deleted !== null) throw new ApiFailure("not_found", `no story with id ${JSON.stringify(id)}`);
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
