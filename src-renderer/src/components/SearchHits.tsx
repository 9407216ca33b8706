/** Ranked memory hits for the current query; clicking one opens its session. */
import { formatInstant } from "../lib/formatSpan";
import { useSessionsStore } from "../stores/useSessionsStore";

export function SearchHits() {
  const hits = useSessionsStore((s) => s.hits);
  const query = useSessionsStore((s) => s.query);
  const openSession = useSessionsStore((s) => s.openSession);
  if (hits === null) return null;
  return (
    <section className="hits" aria-label="Search results" data-testid="search-hits">
      <h2 className="hits__title">
        {hits.length === 0 ? `Nothing in memory matches “${query.trim()}”` : `${hits.length} ${hits.length === 1 ? "hit" : "hits"}`}
      </h2>
      <ol className="hits__list">
        {hits.map((hit) => (
          <li key={`${hit.kind}-${hit.id}`}>
            <button
              type="button"
              className="hit"
              data-testid={`search-hit-${hit.id}`}
              onClick={() => void openSession(hit.sessionId)}
            >
              <span className="hit__head">
                <span className={`chip chip--${hit.kind}`}>{hit.kind === "memcell" ? "memcell" : "pending"}</span>
                <span className="hit__title">{hit.title}</span>
                <span className="hit__time">{formatInstant(hit.timestamp)}</span>
              </span>
              <span className="hit__snippet">{hit.snippet}</span>
              <span className="hit__session">in {hit.sessionTitle}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
