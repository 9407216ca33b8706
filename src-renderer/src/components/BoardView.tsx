/**
 * The board: the filter bar, six windowed columns, the move logic shared by
 * mouse and keyboard, and a polite live region that announces moves.
 *
 * Keyboard: each column is one tab stop (`active` remembers its card, see
 * `rovingFocus`); keys on a card are mapped by `keyAction`. Focus follows a
 * moved card: the card remounts when it changes column, so after each
 * render the requested spot is focused again until focus goes elsewhere.
 * Moves go through the store (optimistic, then confirmed by a refetch); all
 * indices are computed on the shown (filtered) columns and translated with
 * `serverIndex`.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent } from "react";
import type { StageId } from "../../../src-shared/stages";
import type { Story } from "../../../src-shared/Story";
import { NO_FILTER, serverIndex, shownColumns, type BoardFilter } from "../board/boardFilter";
import type { Column as ColumnModel } from "../board/columnsOf";
import { keyAction } from "../board/keyAction";
import { keyboardMoveTarget, type MoveKey } from "../board/keyboardMoveTarget";
import { activeIdOf, focusTarget, type FocusSpot } from "../board/rovingFocus";
import { useBoardStore } from "../stores/useBoardStore";
import { useNavigationStore } from "../stores/useNavigationStore";
import { BoardEmpty } from "./BoardEmpty";
import { Column } from "./Column";
import { FilterBar } from "./FilterBar";

type Hover = { stage: string; index: number } | null;

export function BoardView() {
  const board = useBoardStore((s) => s.board);
  const loading = useBoardStore((s) => s.loading);
  const loadError = useBoardStore((s) => s.loadError);
  const refresh = useBoardStore((s) => s.refresh);
  const moveStory = useBoardStore((s) => s.moveStory);
  const openStory = useNavigationStore((s) => s.openStory);
  const [filter, setFilter] = useState<BoardFilter>(NO_FILTER);
  // Hidden stories are fetched only while the filter shows them.
  const setShowHidden = useBoardStore((s) => s.setShowHidden);
  useEffect(() => setShowHidden(filter.showHidden), [filter.showHidden, setShowHidden]);
  const columns = useMemo(() => (board ? shownColumns(board, filter) : []), [board, filter]);
  const [dragging, setDragging] = useState<Story | null>(null);
  const [hover, setHover] = useState<Hover>(null);
  const [active, setActive] = useState<Partial<Record<StageId, string>>>({});
  const [focusReq, setFocusReq] = useState<FocusSpot | null>(null);
  const [composing, setComposing] = useState<StageId | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const root = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (!focusReq || !root.current) return;
    const sel = focusReq.id
      ? `[data-story-id="${CSS.escape(focusReq.id)}"]`
      : `[data-empty-stage="${CSS.escape(focusReq.stage)}"]`;
    const el = root.current.querySelector<HTMLElement>(sel);
    if (el && document.activeElement !== el) el.focus();
  }, [columns, focusReq, active]);

  // Focus that lands outside the board (the filter, the header) ends "focus
  // follows": otherwise the next re-render (a keystroke in the filter) would
  // pull focus back to the card.
  useEffect(() => {
    const onFocusIn = (e: globalThis.FocusEvent) => {
      if (e.target instanceof Node && !root.current?.contains(e.target)) setFocusReq(null);
    };
    document.addEventListener("focusin", onFocusIn);
    return () => document.removeEventListener("focusin", onFocusIn);
  }, []);

  const focusSpot = (spot: FocusSpot) => {
    if (spot.id) setActive((a) => (a[spot.stage] === spot.id ? a : { ...a, [spot.stage]: spot.id! }));
    setFocusReq(spot);
  };

  /** Moves `story` to `slot` among the shown cards (other than it) of `stage`. */
  const moveTo = useCallback(
    (story: Story, stage: StageId, slot: number, follow: boolean) => {
      if (!board) return;
      const column = columns.find((c) => c.id === stage);
      if (!column) return;
      const others = column.stories.filter((s) => s.id !== story.id).map((s) => s.id);
      const index = serverIndex(board, stage, others, slot, story.id);
      if (follow) {
        setActive((a) => ({ ...a, [stage]: story.id }));
        setFocusReq({ stage, id: story.id });
      }
      setAnnouncement(`Moved “${story.name}” to ${column.name}, ${Math.min(slot, others.length) + 1} of ${others.length + 1}.`);
      void moveStory(story.id, stage, index);
    },
    [board, columns, moveStory],
  );

  const onMoveKey = (story: Story, key: MoveKey) => {
    const target = keyboardMoveTarget(columns, story.id, key);
    if (target) moveTo(story, target.stage, target.index, true);
  };

  const onDrop = (stage: StageId, slot: number) => {
    const story = dragging;
    setDragging(null);
    setHover(null);
    if (!story) return;
    const from = columns.find((c) => c.id === story.stage);
    const row = from?.stories.findIndex((s) => s.id === story.id) ?? -1;
    if (story.stage === stage && row === slot) return; // dropped where it was
    moveTo(story, stage, slot, false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const spot = spotOf(e.target);
    if (!spot) return;
    const action = keyAction(e);
    if (!action) return;
    e.preventDefault();
    const story = spot.id ? columns.find((c) => c.id === spot.stage)?.stories.find((s) => s.id === spot.id) : undefined;
    switch (action.kind) {
      case "focus": {
        const next = focusTarget(columns, spot, action.move);
        if (next) focusSpot(next);
        return;
      }
      case "move":
        if (story) onMoveKey(story, action.key);
        return;
      case "new":
        setComposing(spot.stage);
        return;
      case "open":
        if (story) openStory(story.id);
        return;
    }
  };

  // Focus on a card makes it its column's tab stop; focus elsewhere ends "focus follows".
  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    const spot = spotOf(e.target);
    if (spot?.id) setActive((a) => (a[spot.stage] === spot.id ? a : { ...a, [spot.stage]: spot.id! }));
    if (focusReq && !(spot && spot.id === focusReq.id && spot.stage === focusReq.stage)) setFocusReq(null);
  };

  if (!board) {
    return (
      <div className="board-state" role="status">
        {loading ? (
          "Loading board…"
        ) : (
          <>
            <p>Could not load the board{loadError ? `: ${loadError}` : "."}</p>
            <button type="button" className="button" onClick={() => void refresh()}>
              Retry
            </button>
          </>
        )}
      </div>
    );
  }
  const shown = columns.reduce((n, c) => n + c.stories.length, 0);
  const total = filter.showHidden ? board.stories.length : board.stories.filter((s) => !s.hidden).length;
  return (
    <div className="board-view">
      <FilterBar filter={filter} onChange={setFilter} shown={shown} total={total} />
      {board.stories.length === 0 && <BoardEmpty />}
      <div
        className="board"
        ref={root}
        onFocus={onFocus}
        onKeyDown={onKeyDown}
        data-dragging={dragging ? "true" : undefined}
      >
        {columns.map((column: ColumnModel) => (
          <Column
            key={column.id}
            column={column}
            activeId={activeIdOf(column, active[column.id])}
            composing={composing === column.id}
            onComposed={(created) => {
              setComposing(null);
              focusSpot(created ? { stage: column.id, id: created } : { stage: column.id, id: activeIdOf(column, active[column.id]) });
            }}
            draggingId={dragging?.id ?? null}
            hoverIndex={hover && hover.stage === column.id ? hover.index : null}
            onHover={(index) => setHover(index === null ? null : { stage: column.id, index })}
            onDrop={(index) => onDrop(column.id, index)}
            onDragStart={setDragging}
            onDragEnd={() => {
              setDragging(null);
              setHover(null);
            }}
          />
        ))}
      </div>
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="board-announcer">
        {announcement}
      </div>
    </div>
  );
}

/** The card or empty-column placeholder an event came from. */
function spotOf(target: EventTarget): FocusSpot | null {
  if (!(target instanceof HTMLElement)) return null;
  if (target.dataset.emptyStage) return { stage: target.dataset.emptyStage as StageId, id: null };
  const id = target.dataset.storyId;
  const stage = target.closest<HTMLElement>("[data-stage]")?.dataset.stage;
  return id && stage ? { stage: stage as StageId, id } : null;
}
