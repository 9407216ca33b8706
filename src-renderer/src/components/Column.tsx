/**
 * One stage: a header with the count that never scrolls away, and below it
 * the stage's own scroll area holding its cards, windowed: only the cards
 * near the visible part of the column are in the DOM
 * (@tanstack/react-virtual), each absolutely placed at its row's offset.
 *
 * Drag and drop works on the layout of every row (measured or estimated by
 * the virtualizer), not on the mounted cards, so a drop lands right even
 * where no neighbour is mounted; a pointer held near the top or bottom edge
 * while dragging scrolls the column (`autoScrollStep`).
 */
import { defaultRangeExtractor, useVirtualizer, type Range } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, type DragEvent } from "react";
import type { Story } from "../../../src-shared/Story";
import { autoScrollStep } from "../board/autoScrollStep";
import type { Column as ColumnModel } from "../board/columnsOf";
import { ColumnCount } from "./ColumnCount";
import { slotAt, slotOffset } from "../board/dropSlot";
import { stageBlurb } from "./stageBlurb";
import { NewStoryInline } from "./NewStoryInline";
import { StoryCard } from "./StoryCard";

/** Estimated card height before measuring (one-line name + meta row). */
const ESTIMATE = 58;
const GAP = 6;
const OVERSCAN = 4;
const AUTO_SCROLL_TICK_MS = 16;

interface Props {
  column: ColumnModel;
  /** The card holding this column's tab stop (roving focus), or null when it shows none. */
  activeId: string | null;
  /** The inline "new story" field is open in this column. */
  composing: boolean;
  /** The inline field closed: with the created story's id, or null when cancelled. */
  onComposed(createdId: string | null): void;
  draggingId: string | null;
  /** Where the dragged card would land in this column, or null when not hovered. */
  hoverIndex: number | null;
  onHover(index: number | null): void;
  onDrop(index: number): void;
  onDragStart(story: Story): void;
  onDragEnd(): void;
}

export function Column(props: Props) {
  const { column, activeId, composing, onComposed, draggingId, hoverIndex, onHover, onDrop, onDragStart, onDragEnd } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const stories = column.stories;
  // The tab stop and the dragged card stay mounted wherever the column is
  // scrolled: focus must land on a real element, and a dragged card that
  // unmounted would never see its dragend.
  const activeIndex = activeId === null ? -1 : stories.findIndex((s) => s.id === activeId);
  const dragIndex = draggingId === null ? -1 : stories.findIndex((s) => s.id === draggingId);
  const rangeExtractor = useCallback(
    (range: Range) => {
      const out = defaultRangeExtractor(range);
      for (const i of [activeIndex, dragIndex]) if (i >= 0 && !out.includes(i)) out.push(i);
      return out.sort((a, b) => a - b);
    },
    [activeIndex, dragIndex],
  );
  const virtualizer = useVirtualizer({
    count: stories.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATE,
    getItemKey: (i) => stories[i]?.id ?? i,
    overscan: OVERSCAN,
    gap: GAP,
    rangeExtractor,
    // Room for the focus ring of the first and last card.
    paddingStart: 3,
    paddingEnd: 3,
  });
  const autoScroll = useAutoScroll(scrollRef, draggingId !== null);

  const ids = () => stories.map((s) => s.id);
  const indexAt = (clientY: number): number => {
    const top = listRef.current?.getBoundingClientRect().top ?? 0;
    return slotAt(virtualizer.measurementsCache, ids(), draggingId, clientY - top);
  };
  const dragOver = (e: DragEvent<HTMLElement>) => {
    if (draggingId === null) return; // not one of our cards: leave the browser's default (no drop)
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    const area = scrollRef.current?.getBoundingClientRect();
    if (area) autoScroll.set(autoScrollStep(e.clientY, area.top, area.bottom));
    const index = indexAt(e.clientY);
    if (index !== hoverIndex) onHover(index);
  };
  const dragLeave = (e: DragEvent<HTMLElement>) => {
    if (!(e.relatedTarget instanceof Node) || !e.currentTarget.contains(e.relatedTarget)) {
      autoScroll.set(0);
      onHover(null);
    }
  };
  const drop = (e: DragEvent<HTMLElement>) => {
    autoScroll.set(0);
    if (draggingId === null) return;
    e.preventDefault();
    onDrop(indexAt(e.clientY));
  };

  const items = virtualizer.getVirtualItems();
  const indicatorTop =
    hoverIndex === null ? null : slotOffset(virtualizer.measurementsCache, ids(), draggingId, hoverIndex, GAP);
  return (
    <section
      className={`column${hoverIndex !== null ? " column--drop" : ""}`}
      data-testid={`column-${column.id}`}
      data-stage={column.id}
      aria-labelledby={`column-title-${column.id}`}
      // dragenter is answered like dragover: when auto-scroll moves a new card
      // under a still pointer, Chromium sends that card dragenter (not
      // dragover), and a drop is refused unless the last answer accepted it.
      onDragEnter={dragOver}
      onDragOver={dragOver}
      onDragLeave={dragLeave}
      onDrop={drop}
    >
      <h2 className="column__header" id={`column-title-${column.id}`}>
        <span className="column__accent" aria-hidden="true" />
        <span className="column__name">{column.name}</span>
        <ColumnCount stage={column.id} name={column.name} count={column.stories.length} />
      </h2>
      {composing && <NewStoryInline stage={column.id} stageName={column.name} onDone={onComposed} />}
      <div className="column__scroll" ref={scrollRef} data-testid={`column-scroll-${column.id}`}>
        {stories.length === 0 && hoverIndex === null ? (
          <p
            className="column__empty"
            tabIndex={0}
            data-empty-stage={column.id}
            aria-keyshortcuts="n ArrowLeft ArrowRight"
            data-testid={`column-empty-${column.id}`}
          >
            <span className="column__empty-title">No stories</span>
            <span className="column__empty-blurb">{stageBlurb(column.id)}</span>
          </p>
        ) : (
          <ul
            className="column__list"
            ref={listRef}
            role="list"
            aria-label={`${column.name} stories`}
            style={{ height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const story = stories[item.index]!;
              return (
                <StoryCard
                  key={story.id}
                  story={story}
                  stageName={column.name}
                  position={item.index + 1}
                  total={stories.length}
                  offset={item.start}
                  measureRef={virtualizer.measureElement}
                  tabStop={story.id === activeId}
                  dragging={story.id === draggingId}
                  onDragStart={onDragStart}
                  onDragEnd={onDragEnd}
                />
              );
            })}
            {indicatorTop !== null && (
              <li className="drop-indicator" aria-hidden="true" style={{ transform: `translateY(${indicatorTop}px)` }} />
            )}
          </ul>
        )}
      </div>
    </section>
  );
}

/**
 * Scrolls `ref` by the last `set` step every 16 ms until set(0) or the drag
 * ends. A timer, not requestAnimationFrame: Chromium may not produce frames
 * during a drag while the pointer is still, and the scroll must go on.
 */
function useAutoScroll(ref: React.RefObject<HTMLElement | null>, active: boolean) {
  const step = useRef(0);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const stop = () => {
    step.current = 0;
    if (timer.current !== null) clearInterval(timer.current);
    timer.current = null;
  };
  useEffect(() => {
    if (!active) stop();
  }, [active]);
  useEffect(() => stop, []);
  return {
    set(next: number) {
      if (next === 0) return stop();
      step.current = next;
      timer.current ??= setInterval(() => {
        if (ref.current) ref.current.scrollTop += step.current;
      }, AUTO_SCROLL_TICK_MS);
    },
  };
}
