/**
 * Announces `board/changed` for applied changes. Urgent ones — a local edit,
 * or a small batch received live (a peer's edit) — are announced at once
 * (with anything still waiting), so edit-to-visible stays what it was. Bulk
 * batches (a catch-up's or an import's apply turns) are throttled: the
 * first after a quiet interval at once, those within `intervalMs` after it
 * as ONE trailing event carrying the union of their story ids. Why: every
 * window refetches the whole board on each event (`board/get`), so a
 * catch-up's ~2,000 apply turns became ~2,000 board reads on the main
 * process, between the turns (bench/support/profileIngest.ts --renderer).
 *
 * Invariant: every applied change's stories are in an event emitted no later
 * than `intervalMs` after it was applied (or at `flush`), never dropped.
 */
import { throttle } from "../base/throttle";

export interface BoardChangedAnnouncer {
  /** Changes were applied: `urgent` announces at once, else within `intervalMs`. */
  applied(storyIds: readonly string[], urgent: boolean): void;
  /** Announces what is waiting now (a closing node: nothing is left behind a timer). */
  flush(): void;
}

export function boardChangedAnnouncer(emit: (storyIds: string[]) => void, intervalMs: number): BoardChangedAnnouncer {
  let waiting: Set<string> | null = null;
  const flush = (): void => {
    if (waiting === null) return;
    const ids = [...waiting].sort();
    waiting = null;
    emit(ids);
  };
  const bulk = throttle(flush, intervalMs);
  return {
    applied: (storyIds, urgent) => {
      waiting ??= new Set();
      for (const id of storyIds) waiting.add(id);
      if (!urgent) return bulk.call();
      bulk.cancel();
      flush();
    },
    flush: () => {
      bulk.cancel();
      flush();
    },
  };
}
