/**
 * Search one story's memory from its drawer: the story's sessions only;
 * a hit opens its session at the match (like the Sessions view's search).
 * Self-contained (own query and hits), so the drawer only mounts it.
 */
import { useEffect, useState } from "react";
import type { MemoryHit } from "../../../src-shared/MemoryHit";
import { useSessionsStore } from "../stores/useSessionsStore";
import { SearchHit } from "./SearchHit";

const DEBOUNCE_MS = 200;

export function StoryMemorySearch({ storyId }: { storyId: string }) {
  const searchStory = useSessionsStore((s) => s.searchStory);
  const openHit = useSessionsStore((s) => s.openHit);
  const [text, setText] = useState("");
  const [hits, setHits] = useState<MemoryHit[] | null>(null);
  useEffect(() => {
    const query = text.trim();
    if (query === "") {
      setHits(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      void searchStory(storyId, query).then((found) => current && setHits(found));
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text, storyId, searchStory]);
  return (
    <div className="story-search" data-testid="story-search">
      <input
        className="input search"
        type="search"
        data-testid="story-search-input"
        aria-label="Search this story's memory"
        placeholder="Search this story's memory…"
        maxLength={500}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {hits !== null &&
        (hits.length === 0 ? (
          <p className="empty">Nothing in this story's memory matches</p>
        ) : (
          <ol className="hits__list story-search__hits">
            {hits.map((hit) => (
              <li key={`${hit.kind}-${hit.id}`}>
                <SearchHit hit={hit} onOpen={(h) => void openHit(h)} testId={`story-hit-${hit.id}`} />
              </li>
            ))}
          </ol>
        ))}
    </div>
  );
}
