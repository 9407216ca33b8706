/**
 * One story. Focusable (tabIndex 0 when it holds its column's tab stop, -1
 * otherwise: roving focus) and draggable. The card knows nothing about
 * targets: keys bubble to the board, which owns the keyboard scheme and the
 * move logic, and it reports the drag start. A click opens the story's
 * detail drawer.
 */
import type { DragEvent } from "react";
import type { Story } from "../../../src-shared/Story";
import { useNavigationStore } from "../stores/useNavigationStore";
import { CardFacts, cardFactWords } from "./CardFacts";
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
  /** This card is its column's one tab stop. */
  tabStop: boolean;
  dragging: boolean;
  onDragStart(story: Story): void;
  onDragEnd(): void;
}

export function StoryCard({ story, stageName, position, total, offset, measureRef, tabStop, dragging, onDragStart, onDragEnd }: Props) {
  const openStory = useNavigationStore((s) => s.openStory);
  const dragStart = (e: DragEvent<HTMLLIElement>) => {
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData(STORY_DRAG_TYPE, story.id);
    e.dataTransfer.setData("text/plain", story.name);
    onDragStart(story);
  };
  const label = [story.name, `${stageName}, ${position} of ${total}`, ...cardFactWords(story)].join(", ");

  return (
    <li
      ref={measureRef}
      data-index={position - 1}
      style={{ transform: `translateY(${offset}px)` }}
      aria-setsize={total}
      aria-posinset={position}
      className={`card${story.blocked ? " card--blocked" : ""}${story.conflicted ? " card--conflict" : ""}${story.hidden ? " card--hidden" : ""}${dragging ? " card--dragging" : ""}`}
      data-testid={`story-${story.id}`}
      data-story-id={story.id}
      tabIndex={tabStop ? 0 : -1}
      role="listitem"
      aria-label={label}
      aria-describedby="keyboard-hint"
      aria-keyshortcuts="j k h l Shift+ArrowLeft Shift+ArrowRight Shift+ArrowUp Shift+ArrowDown e Enter"
      title={KEYBOARD_HINT}
      draggable
      onDragStart={dragStart}
      onDragEnd={onDragEnd}
      onClick={() => openStory(story.id)}
    >
      <div className="card__name">{story.name}</div>
      <CardFacts story={story} />
    </li>
  );
}
