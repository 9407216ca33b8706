/**
 * Rebuilds the derived tables from the log when a mark in `meta` says they
 * do not follow from it yet, then clears the mark in the same transaction
 * as the new rows (the same replay `musher rebuild` runs). Two marks:
 * - `REDERIVE_KEY`: a schema upgrade changed how derived state is computed
 *   (v3: effective clocks, stamps with change ids);
 * - `STORIES_LAG_KEY`: the process stopped while story rows of committed
 *   received changes were still held unwritten (SqliteReplicaStore "Story
 *   rows lag"): a crash or a kill during a catch-up.
 * One time, before the node serves anything; it verifies every change
 * again, so a big log takes seconds (logged).
 */
import type { Logger } from "../base/Logger";
import { REDERIVE_KEY, STORIES_LAG_KEY } from "./migrations";
import type { NodeStore } from "./openNodeStore";
import { rebuildState } from "./rebuildState";

export function rederiveAfterUpgrade(node: NodeStore, log: Logger): void {
  const marked = node.db.prepare<[string, string], { key: string }>("SELECT key FROM meta WHERE key IN (?, ?) ORDER BY key").all(REDERIVE_KEY, STORIES_LAG_KEY);
  if (marked.length === 0) return;
  const started = Date.now();
  const upgrade = marked.some((m) => m.key === REDERIVE_KEY);
  log.info(
    upgrade
      ? "store: upgrading derived state to the current rules (replaying the change log once)"
      : "store: the last run stopped before writing every board row; rebuilding them from the change log",
    { file: node.file },
  );
  const report = rebuildState(node, { replace: true }); // clears the marks with the new rows
  log.info("store: derived state rebuilt", { changes: report.changes, stories: report.stories, notApplied: report.notApplied, ms: Date.now() - started });
}
