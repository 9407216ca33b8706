/**
 * Finishes a schema upgrade that changed how derived state is computed (v3:
 * effective clocks, stamps with change ids): when the migration left the
 * `rederive` mark, rebuild the board and memory tables from the log, the
 * same replay `musher rebuild` runs, then clear the mark in the same
 * transaction as the new rows. One time, before the node serves anything;
 * it verifies every change again, so a big log takes seconds (logged).
 */
import type { Logger } from "../base/Logger";
import { REDERIVE_KEY } from "./migrations";
import type { NodeStore } from "./openNodeStore";
import { rebuildState } from "./rebuildState";

export function rederiveAfterUpgrade(node: NodeStore, log: Logger): void {
  const mark = node.db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?").get(REDERIVE_KEY);
  if (!mark) return;
  const started = Date.now();
  log.info("store: upgrading derived state to the current rules (replaying the change log once)", { file: node.file });
  const report = rebuildState(node, { replace: true, after: () => node.db.prepare("DELETE FROM meta WHERE key = ?").run(REDERIVE_KEY) });
  log.info("store: upgrade done", { changes: report.changes, stories: report.stories, notApplied: report.notApplied, ms: Date.now() - started });
}
