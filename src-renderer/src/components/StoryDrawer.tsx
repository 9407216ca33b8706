/**
 * A story's detail as a side drawer (opened by clicking a card): its fields
 * a search over its memory, and its sessions; a session (or a search hit)
 * opens in the Sessions view. Escape closes it.
 */
import { useEffect } from "react";
import { STAGES } from "../../../src-shared/stages";
import { formatInstant } from "../lib/formatSpan";
import { useBoardStore } from "../stores/useBoardStore";
import { useSessionsStore } from "../stores/useSessionsStore";
import { StoryMemorySearch } from "./StoryMemorySearch";

export function StoryDrawer() {
  const storyId = useSessionsStore((s) => s.openStoryId);
  const sessions = useSessionsStore((s) => s.storySessions);
  const openStory = useSessionsStore((s) => s.openStory);
  const openSession = useSessionsStore((s) => s.openSession);
  const story = useBoardStore((s) => s.board?.stories.find((x) => x.id === storyId) ?? null);

  useEffect(() => {
    if (storyId === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") void openStory(null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [storyId, openStory]);

  if (storyId === null) return null;
  const stage = STAGES.find((s) => s.id === story?.stage)?.name ?? "—";
  const fields: [string, string][] = story
    ? [
        ["Stage", stage],
        ["Agent", story.agent ?? "—"],
        ["Claimed by", story.claimedBy ?? "—"],
        ["Retries", String(story.retryCount)],
        ["Blocked", story.blocked ? "yes" : "no"],
        ["Depends on", story.dependsOn.length > 0 ? story.dependsOn.join(", ") : "—"],
      ]
    : [];
  return (
    <aside className="drawer" data-testid="story-detail" aria-label="Story detail">
      <header className="drawer__header">
        <h2 className="drawer__title">{story?.name ?? storyId}</h2>
        <button type="button" className="banner__close" data-testid="story-detail-close" aria-label="Close" onClick={() => void openStory(null)}>
          ×
        </button>
      </header>
      <span className="drawer__id">{storyId}</span>
      <dl className="drawer__fields">
        {fields.map(([name, value]) => (
          <div key={name} className="drawer__field">
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="drawer__section">Memory</h3>
      <StoryMemorySearch key={storyId} storyId={storyId} />
      <h3 className="drawer__section">Sessions</h3>
      {sessions === null ? (
        <p className="muted">Loading…</p>
      ) : sessions.length === 0 ? (
        <p className="empty">No sessions for this story</p>
      ) : (
        <ul className="session-list" role="list">
          {sessions.map((session) => (
            <li key={session.id}>
              <button
                type="button"
                className="session-item"
                data-testid={`story-session-${session.id}`}
                onClick={() => void openSession(session.id)}
              >
                <span className="session-item__title">{session.title}</span>
                <span className="session-item__meta">
                  <span className="session-item__time">{formatInstant(session.createdAt)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
