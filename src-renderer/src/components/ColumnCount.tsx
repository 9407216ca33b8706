/**
 * A column's count and its WIP limit: "3 / 5", flagged when over the limit.
 * Clicking it edits the limit (replicated: `stage/setLimit`; empty = none).
 */
import type { StageId } from "../../../src-shared/stages";
import { useBoardStore } from "../stores/useBoardStore";
import { EditableText } from "./story/EditableText";

export function ColumnCount({ stage, name, count }: { stage: StageId; name: string; count: number }) {
  const limit = useBoardStore((s) => s.board?.stages.find((x) => x.id === stage)?.limit ?? null);
  const edit = useBoardStore((s) => s.edit);
  const over = limit !== null && count > limit;
  const save = (text: string) => {
    const n = Number.parseInt(text.trim(), 10);
    const next = text.trim() === "" ? null : Number.isFinite(n) && n >= 1 ? Math.min(n, 100_000) : undefined;
    if (next !== undefined && next !== limit) void edit(`set the WIP limit of ${name}`, "stage/setLimit", { stage, limit: next });
  };
  // The limit button is out of the Tab order: each column is one Tab stop (the board's roving focus).
  return (
    <>
      <span className={`column__count${over ? " column__count--over" : ""}`} data-testid={`column-count-${stage}`} data-over={over ? "true" : undefined}>
        <span aria-label={`${count} stories${limit !== null ? ` of a limit of ${limit}${over ? ", over the limit" : ""}` : ""}`}>
          {count}
          {limit !== null && ` / ${limit}`}
        </span>
      </span>
      <EditableText label={`WIP limit of ${name}`} value={limit === null ? "" : String(limit)} placeholder="none" display="⚙" maxLength={6} testId={`column-limit-${stage}`} className="column__limit" tabIndex={-1} onSave={save} />
    </>
  );
}
