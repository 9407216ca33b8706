/** A story's changes, newest first: who, when, what. */
import type { HistoryEntry } from "../../../../src-shared/Story";
import { formatInstant } from "../../lib/formatSpan";
import { shortNodeId } from "../../sync/shortNodeId";

export function StoryHistoryList({ entries, me }: { entries: readonly HistoryEntry[] | null; me: string | null }) {
  return (
    <section aria-label="History">
      <h3 className="panel__section">History</h3>
      {entries === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <ol className="history" data-testid="story-history" role="list">
          {entries.map((e) => (
            <li key={e.changeId} className="history__entry">
              <span className="history__what">{e.summary}</span>
              <span className="history__meta" title={e.author}>
                {e.author === me ? "you" : shortNodeId(e.author)} · {formatInstant(e.at)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
