/**
 * One story. Focusable (tabIndex 0) so the keyboard can move it; draggable
 * for the mouse. The card knows nothing about targets: it reports the key or
 * the drag start to the board, which owns the move logic. A click (or Enter)
 * opens the story's detail drawer.
 */
import type { DragEvent, KeyboardEvent } from "react";
import type { Story } from "../../../src-shared/Story";
import { isMoveKey, type MoveKey } from "../board/keyboardMoveTarget";
import { useSessionsStore } from "../stores/useSessionsStore";
import { KEYBOARD_HINT } from "./keyboardHint";

export const STORY_DRAG_TYPE = "application/x-musher-story";

interface Props {
  story: Story;
  stageName: string;
  position: number;
  total: number;
  /** Top of the card's row in its column's list, in px (the column is windowed). */
  offset: number;
  /** The virtualizer's measuring ref: reads the card's real height. */
  measureRef(el: HTMLLIElement | null): void;
  dragging: boolean;
  onMoveKey(story: Story, key: MoveKey): void;
  onDragStart(story: Story): void;
  onDragEnd(): void;
}

export function StoryCard({ story, stageName, position, total, offset, measureRef, dragging, onMoveKey, onDragStart, onDragEnd }: Props) {
  const openStory = useSessionsStore((s) => s.openStory);
  const keyDown = (e: KeyboardEvent<HTMLLIElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      void openStory(story.id);
      return;
    }
    // Plain or Alt+arrows move; other modifiers are left to the browser.
    if (!isMoveKey(e.key) || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    onMoveKey(story, e.key);
  };
  const dragStart = (e: DragEvent<HTMLLIElement>) => {
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData(STORY_DRAG_TYPE, story.id);
    e.dataTransfer.setData("text/plain", story.name);
    onDragStart(story);
  };
  const label = [
    story.name,
    `${stageName}, ${position} of ${total}`,
    story.agent ? `agent ${story.agent}` : null,
    story.retryCount > 0 ? `${story.retryCount} ${story.retryCount === 1 ? "retry" : "retries"}` : null,
    story.blocked ? "blocked" : null,
  ]
    .filter(Boolean)
    .join(", ");

  return (
    <li
      ref={measureRef}
      data-index={position - 1}
      style={{ transform: `translateY(${offset}px)` }}
      aria-setsize={total}
      aria-posinset={position}
      className={`card${story.blocked ? " card--blocked" : ""}${dragging ? " card--dragging" : ""}`}
      data-testid={`story-${story.id}`}
      data-story-id={story.id}
      tabIndex={0}
      role="listitem"
      aria-label={label}
      aria-describedby="keyboard-hint"
      aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown"
      title={KEYBOARD_HINT}
      draggable
      onKeyDown={keyDown}
      onDragStart={dragStart}
      onDragEnd={onDragEnd}
      onClick={() => void openStory(story.id)}
    >
      <div className="card__name">{story.name}</div>
      <div className="card__meta">
        <span className="card__id">{story.id}</span>
        {story.agent && (
          <span className="chip chip--agent" title={`Agent: ${story.agent}`}>
            {story.agent}
          </span>
        )}
        {story.retryCount > 0 && (
          <span className="chip chip--retry" title={`${story.retryCount} retries`}>
            ↻ {story.retryCount}
          </span>
        )}
        {story.blocked && <span className="chip chip--blocked">blocked</span>}
      </div>
    </li>
  );
}
