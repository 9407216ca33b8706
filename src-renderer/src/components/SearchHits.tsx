/** Ranked memory hits for the current query; clicking one opens its session at the match. */
import { useSessionsStore } from "../stores/useSessionsStore";
import { SearchHit } from "./SearchHit";

export function SearchHits() {
  const hits = useSessionsStore((s) => s.hits);
  const query = useSessionsStore((s) => s.query);
  const openHit = useSessionsStore((s) => s.openHit);
  if (hits === null) return null;
  return (
    <section className="hits" aria-label="Search results" data-testid="search-hits">
      <h2 className="hits__title">
        {hits.length === 0 ? `Nothing in memory matches “${query.trim()}”` : `${hits.length} ${hits.length === 1 ? "hit" : "hits"}`}
      </h2>
      <ol className="hits__list">
        {hits.map((hit) => (
          <li key={`${hit.kind}-${hit.id}`}>
            <SearchHit hit={hit} onOpen={(h) => void openHit(h)} testId={`search-hit-${hit.id}`} />
          </li>
        ))}
      </ol>
    </section>
  );
}
