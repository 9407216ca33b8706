/**
 * A story's side drawer (opened by clicking a card): the editor
 * (`story/StoryPanel`), a search over the story's memory, and its sessions;
 * a session (or a search hit) opens in the Sessions view. Escape closes it
 * (an input being edited takes Escape first).
 */
import { useEffect } from "react";
import { formatInstant } from "../lib/formatSpan";
import { useNavigationStore } from "../stores/useNavigationStore";
import { useSessionsStore } from "../stores/useSessionsStore";
import { StoryMemorySearch } from "./StoryMemorySearch";
import { StoryPanel } from "./story/StoryPanel";

export function StoryDrawer() {
  const storyId = useNavigationStore((s) => s.openStoryId);
  const sessions = useSessionsStore((s) => s.storySessions);
  const openStory = useNavigationStore((s) => s.openStory);
  const openSession = useSessionsStore((s) => s.openSession);

  useEffect(() => {
    if (storyId === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") openStory(null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [storyId, openStory]);

  if (storyId === null) return null;
  return (
    <aside className="drawer" data-testid="story-detail" aria-label="Story detail">
      <header className="drawer__header">
        <span className="drawer__kicker">Story</span>
        <button type="button" className="banner__close" data-testid="story-detail-close" aria-label="Close" onClick={() => openStory(null)}>
          ×
        </button>
      </header>
      <StoryPanel key={storyId} storyId={storyId} />
      <h3 className="drawer__section">Memory</h3>
      <StoryMemorySearch key={`memory-${storyId}`} storyId={storyId} />
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
