/**
 * `musher rebuild --data DIR [--check]`: replays the log into a fresh
 * replica and compares with the materialized state (store/rebuildState).
 * Without --check a mismatch is repaired from the log; with --check it is
 * only reported (exit 1). Never creates a data dir.
 */
import { openNodeStore } from "../store/openNodeStore";
import { rebuildState, type RebuildReport } from "../store/rebuildState";
import { REDERIVE_KEY, STORIES_LAG_KEY } from "../store/migrations";

export function runRebuild(dataDir: string, check: boolean): RebuildReport {
  const node = openNodeStore({ dataDir, create: false });
  try {
    // Repaired (or found matching), the rows follow from the log: a mark left by a crash is done with.
    const clearMarks = (): void => void node.db.prepare<[string, string]>("DELETE FROM meta WHERE key IN (?, ?)").run(REDERIVE_KEY, STORIES_LAG_KEY);
    return rebuildState(node, check ? { replace: false } : { replace: true, after: clearMarks });
  } finally {
    node.close();
  }
}
