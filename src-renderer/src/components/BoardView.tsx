/**
 * The six columns and the move logic shared by mouse and keyboard. Moves go
 * through the store (optimistic, then confirmed by a refetch). Keyboard
 * focus follows a moved card: the card remounts when it changes column, so
 * after each render the requested card is focused again.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type FocusEvent } from "react";
import type { Story } from "../../../src-shared/Story";
import { columnsOf } from "../board/columnsOf";
import { keyboardMoveTarget, type MoveKey } from "../board/keyboardMoveTarget";
import { useBoardStore } from "../stores/useBoardStore";
import { Column } from "./Column";

type Hover = { stage: string; index: number } | null;

export function BoardView() {
  const board = useBoardStore((s) => s.board);
  const loading = useBoardStore((s) => s.loading);
  const loadError = useBoardStore((s) => s.loadError);
  const refresh = useBoardStore((s) => s.refresh);
  const moveStory = useBoardStore((s) => s.moveStory);

  const columns = useMemo(() => (board ? columnsOf(board) : []), [board]);
  const [dragging, setDragging] = useState<Story | null>(null);
  const [hover, setHover] = useState<Hover>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (!focusId || !root.current) return;
    const card = root.current.querySelector<HTMLElement>(`[data-story-id="${CSS.escape(focusId)}"]`);
    if (card && document.activeElement !== card) card.focus();
  }, [columns, focusId]);

  const onMoveKey = useCallback(
    (story: Story, key: MoveKey) => {
      const target = keyboardMoveTarget(columns, story.id, key);
      if (!target) return;
      setFocusId(story.id);
      void moveStory(story.id, target.stage, target.index);
    },
    [columns, moveStory],
  );

  const onDrop = (stage: Story["stage"], index: number) => {
    const story = dragging;
    setDragging(null);
    setHover(null);
    if (!story) return;
    const from = columns.find((c) => c.id === story.stage);
    const row = from?.stories.findIndex((s) => s.id === story.id) ?? -1;
    if (story.stage === stage && row === index) return; // dropped where it was
    void moveStory(story.id, stage, index);
  };

  // Focus moving elsewhere ends "focus follows the moved card".
  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    if (focusId && !(e.target instanceof HTMLElement && e.target.dataset.storyId === focusId)) setFocusId(null);
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

  return (
    <div className="board" ref={root} onFocus={onFocus} data-dragging={dragging ? "true" : undefined}>
      {columns.map((column) => (
        <Column
          key={column.id}
          column={column}
          draggingId={dragging?.id ?? null}
          hoverIndex={hover && hover.stage === column.id ? hover.index : null}
          onHover={(index) => setHover(index === null ? null : { stage: column.id, index })}
          onDrop={(index) => onDrop(column.id, index)}
          onMoveKey={onMoveKey}
          onDragStart={setDragging}
          onDragEnd={() => {
            setDragging(null);
            setHover(null);
          }}
        />
      ))}
    </div>
  );
}
