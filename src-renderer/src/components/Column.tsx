/**
 * One stage: header with count, its cards in board order, a drop zone for
 * the whole column, and a line where a dragged card would land. Drop
 * positions are computed from the other cards' midpoints (`dropIndex`).
 */
import type { DragEvent, ReactNode } from "react";
import type { Story } from "../../../src-shared/Story";
import type { Column as ColumnModel } from "../board/columnsOf";
import { dropIndex } from "../board/dropIndex";
import type { MoveKey } from "../board/keyboardMoveTarget";
import { ColumnCount } from "./ColumnCount";
import { StoryCard } from "./StoryCard";

interface Props {
  column: ColumnModel;
  draggingId: string | null;
  /** Where the dragged card would land in this column, or null when not hovered. */
  hoverIndex: number | null;
  onHover(index: number | null): void;
  onDrop(index: number): void;
  onMoveKey(story: Story, key: MoveKey): void;
  onDragStart(story: Story): void;
  onDragEnd(): void;
}

export function Column({ column, draggingId, hoverIndex, onHover, onDrop, onMoveKey, onDragStart, onDragEnd }: Props) {
  const indexAt = (e: DragEvent<HTMLElement>): number => {
    const cards = [...e.currentTarget.querySelectorAll<HTMLElement>("[data-story-id]")];
    const mids = cards
      .filter((el) => el.dataset.storyId !== draggingId)
      .map((el) => {
        const r = el.getBoundingClientRect();
        return r.top + r.height / 2;
      });
    return dropIndex(mids, e.clientY);
  };
  const dragOver = (e: DragEvent<HTMLElement>) => {
    if (draggingId === null) return; // not one of our cards: leave the browser's default (no drop)
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    const index = indexAt(e);
    if (index !== hoverIndex) onHover(index);
  };
  const dragLeave = (e: DragEvent<HTMLElement>) => {
    if (!(e.relatedTarget instanceof Node) || !e.currentTarget.contains(e.relatedTarget)) onHover(null);
  };
  const drop = (e: DragEvent<HTMLElement>) => {
    if (draggingId === null) return;
    e.preventDefault();
    onDrop(indexAt(e));
  };

  // The indicator goes before the hoverIndex-th card other than the dragged one.
  let others = 0;
  const items = column.stories.map((story, i) => {
    const before = story.id !== draggingId && hoverIndex === others;
    if (story.id !== draggingId) others += 1;
    return (
      <StoryItem key={story.id} showIndicator={before}>
        <StoryCard
          story={story}
          stageName={column.name}
          position={i + 1}
          total={column.stories.length}
          dragging={story.id === draggingId}
          onMoveKey={onMoveKey}
          onDragStart={onDragStart}
          onDragEnd={onDragEnd}
        />
      </StoryItem>
    );
  });
  const indicatorAtEnd = hoverIndex !== null && hoverIndex === others;

  return (
    <section
      className={`column${hoverIndex !== null ? " column--drop" : ""}`}
      data-testid={`column-${column.id}`}
      data-stage={column.id}
      aria-labelledby={`column-title-${column.id}`}
      onDragOver={dragOver}
      onDragLeave={dragLeave}
      onDrop={drop}
    >
      <h2 className="column__header" id={`column-title-${column.id}`}>
        <span className="column__accent" aria-hidden="true" />
        <span className="column__name">{column.name}</span>
        <ColumnCount stage={column.id} name={column.name} count={column.stories.length} />
      </h2>
      <ul className="column__list" role="list" aria-label={`${column.name} stories`}>
        {items}
        {indicatorAtEnd && <li className="drop-indicator" aria-hidden="true" />}
      </ul>
      {column.stories.length === 0 && !indicatorAtEnd && <p className="column__empty">No stories</p>}
    </section>
  );
}

function StoryItem({ showIndicator, children }: { showIndicator: boolean; children: ReactNode }) {
  return (
    <>
      {showIndicator && <li className="drop-indicator" aria-hidden="true" />}
      {children}
    </>
  );
}
