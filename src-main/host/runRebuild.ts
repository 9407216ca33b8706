/**
 * `musher rebuild --data DIR [--check]`: replays the log into a fresh
 * replica and compares with the materialized state (store/rebuildState).
 * Without --check a mismatch is repaired from the log; with --check it is
 * only reported (exit 1). Never creates a data dir.
 */
import { openNodeStore } from "../store/openNodeStore";
import { rebuildState, type RebuildReport } from "../store/rebuildState";

export function runRebuild(dataDir: string, check: boolean): RebuildReport {
  const node = openNodeStore({ dataDir, create: false });
  try {
    return rebuildState(node, { replace: !check });
  } finally {
    node.close();
  }
}
