/**
 * Per-stage WIP limits, replicated: folded from `limit` ops as one LWW
 * register per stage (greatest stamp wins; concurrent limit changes are
 * not worth a conflict list). Stored as JSON under `stage_limit:<stage>` in
 * a key/value table the caller provides — for a node that is the SQLite
 * `meta` table of the same database, so a limit is written in the same
 * transaction as the change that sets it.
 *
 * Validity: a `limit` op is valid whenever its shape is (the schema bounds
 * the stage id and the number), so `validate` never rejects.
 */
import type { StageId } from "../../src-shared/stages";
import type { Change } from "./Change";
import type { ChangeReducer } from "./ChangeReducer";
import { compareStamp, type Hlc, type Stamp } from "./Hlc";

export interface KeyValueTable {
  get(key: string): string | undefined;
  put(key: string, value: string): void;
}

interface LimitRegister {
  limit: number | null;
  stamp: Stamp;
}

const keyOf = (stage: StageId): string => `stage_limit:${stage}`;

export class StageLimits implements ChangeReducer {
  private touched = false;

  constructor(private readonly table: KeyValueTable) {}

  /** Whether a limit changed since the last call (the node then announces `board/changed`). */
  drainTouched(): boolean {
    const t = this.touched;
    this.touched = false;
    return t;
  }

  limit(stage: StageId): number | null {
    return this.read(stage)?.limit ?? null;
  }

  validate(): string | null {
    return null;
  }

  apply(id: string, change: Change, clock: Hlc): void {
    const stamp: Stamp = { wall: clock.wall, logical: clock.logical, author: change.author, id };
    for (const op of change.ops) {
      if (op.t !== "limit") continue;
      const held = this.read(op.stage);
      if (held !== undefined && compareStamp(stamp, held.stamp) <= 0) continue;
      this.table.put(keyOf(op.stage), JSON.stringify({ limit: op.limit, stamp }));
      this.touched = true;
    }
  }

  private read(stage: StageId): LimitRegister | undefined {
    const raw = this.table.get(keyOf(stage));
    return raw === undefined ? undefined : (JSON.parse(raw) as LimitRegister);
  }
}

/** A key/value table in memory (tests, in-memory replicas). */
export function memoryKeyValueTable(): KeyValueTable {
  const map = new Map<string, string>();
  return { get: (k) => map.get(k), put: (k, v) => void map.set(k, v) };
}
