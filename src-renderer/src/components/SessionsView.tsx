/**
 * The Sessions view: on the left the story filter, "New session" and the
 * list; on the right memory search (its hits, while there is a query) and
 * the selected session.
 */
import { useSessionsStore } from "../stores/useSessionsStore";
import { MemorySearchBox } from "./MemorySearchBox";
import { NewSessionForm } from "./NewSessionForm";
import { SearchHits } from "./SearchHits";
import { SessionDetail } from "./SessionDetail";
import { SessionList } from "./SessionList";
import { StorySelect } from "./StorySelect";

export function SessionsView() {
  const storyFilter = useSessionsStore((s) => s.storyFilter);
  const setStoryFilter = useSessionsStore((s) => s.setStoryFilter);
  const error = useSessionsStore((s) => s.error);
  const dismissError = useSessionsStore((s) => s.dismissError);
  return (
    <div className="sessions" data-testid="sessions-view">
      <aside className="sessions__sidebar">
        <label className="field">
          <span className="field__label">Story</span>
          <StorySelect
            value={storyFilter}
            onChange={(id) => void setStoryFilter(id)}
            noneLabel="All stories"
            label="Filter sessions by story"
            testId="story-filter"
          />
        </label>
        <NewSessionForm />
        <SessionList />
      </aside>
      <div className="sessions__main">
        <MemorySearchBox />
        {error && (
          <div className="banner banner--error" role="alert" data-testid="sessions-error">
            <span className="banner__text">{error}</span>
            <button type="button" className="banner__close" onClick={dismissError} aria-label="Dismiss error">
              ×
            </button>
          </div>
        )}
        <SearchHits />
        <SessionDetail />
      </div>
    </div>
  );
}
