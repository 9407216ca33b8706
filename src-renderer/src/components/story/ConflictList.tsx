/**
 * A story's open conflicts: each field with every value two devices wrote
 * while apart, who wrote it and when, and a one-click "Keep" — a new write
 * of that value, which has all of them in its past and so resolves the
 * conflict on every device.
 */
import type { StoryConflict } from "../../../../src-shared/Story";
import { STAGES } from "../../../../src-shared/stages";
import { formatInstant } from "../../lib/formatSpan";
import { shortNodeId } from "../../sync/shortNodeId";

const FIELD_LABELS: Record<StoryConflict["field"], string> = {
  name: "Name",
  description: "Description",
  agent: "Agent",
  blocked: "Blocked",
  stage: "Stage",
};

export function showValue(field: StoryConflict["field"], value: string | boolean | null): string {
  if (field === "stage") return STAGES.find((s) => s.id === value)?.name ?? String(value);
  if (field === "blocked") return value ? "blocked" : "not blocked";
  if (value === null || value === "") return "(empty)";
  return String(value);
}

interface Props {
  conflicts: readonly StoryConflict[];
  me: string | null;
  onKeep(conflict: StoryConflict, value: string | boolean | null): void;
}

export function ConflictList({ conflicts, me, onKeep }: Props) {
  if (conflicts.length === 0) return null;
  return (
    <section className="conflicts" data-testid="story-conflicts" aria-label="Conflicts">
      <h3 className="panel__section panel__section--warn">Conflicting edits</h3>
      <p className="conflicts__hint">These were changed on two devices while apart. Keep one value to resolve it everywhere.</p>
      {conflicts.map((c) => (
        <div key={c.field} className="conflict" data-testid={`conflict-${c.field}`}>
          <div className="conflict__field">{FIELD_LABELS[c.field]}</div>
          <ul className="conflict__values" role="list">
            {c.values.map((v, i) => (
              <li key={`${v.author}-${v.at}-${i}`} className="conflict__value">
                <span className="conflict__text">{showValue(c.field, v.value)}</span>
                <span className="conflict__who" title={v.author}>
                  {v.author === me ? "you" : shortNodeId(v.author)} · {formatInstant(v.at)}
                  {i === 0 ? " · showing" : ""}
                </span>
                <button type="button" className="button button--small" data-testid={`keep-${c.field}-${i}`} onClick={() => onKeep(c, v.value)}>
                  Keep
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
