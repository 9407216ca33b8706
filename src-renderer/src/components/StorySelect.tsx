/**
 * A searchable story picker (combobox + listbox; a native select with
 * thousands of options is unusable). Typing narrows the list to the stories
 * whose name, agent or id match (hidden ones included, at most 50, see
 * `matchingStories`); ↑/↓ choose, Enter or a click picks, Escape restores.
 * The first option is always "none" (`noneLabel`).
 */
import { useId, useMemo, useState, type KeyboardEvent } from "react";
import { matchingStories } from "../board/paletteItems";
import { useBoardStore } from "../stores/useBoardStore";

interface Props {
  value: string | null;
  onChange(storyId: string | null): void;
  noneLabel: string;
  label: string;
  testId: string;
}

const LIMIT = 50;

export function StorySelect({ value, onChange, noneLabel, label, testId }: Props) {
  const board = useBoardStore((s) => s.board);
  const listId = useId();
  const [query, setQuery] = useState<string | null>(null); // null: not typing, show the picked story
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const pickedName = value === null ? "" : (board?.stories.find((s) => s.id === value)?.name ?? value);
  const options = useMemo(
    () =>
      open
        ? [{ id: null, name: noneLabel }, ...(board ? matchingStories(board, query ?? "", LIMIT) : [])].map((o) => ({ id: o.id, name: o.name }))
        : [],
    [open, board, query, noneLabel],
  );
  const current = Math.min(active, Math.max(0, options.length - 1));

  const pick = (id: string | null) => {
    setQuery(null);
    setOpen(false);
    if (id !== value) onChange(id);
  };
  const keyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) return setOpen(true);
      const n = options.length;
      if (n > 0) setActive((current + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
    } else if (e.key === "Enter" && open) {
      e.preventDefault();
      const o = options[current];
      if (o) pick(o.id);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      e.stopPropagation();
      setQuery(null);
      setOpen(false);
    }
  };
  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <div className="story-select">
      <input
        className="select story-select__input"
        role="combobox"
        aria-label={label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options.length > 0 ? optionId(current) : undefined}
        data-testid={testId}
        placeholder={noneLabel}
        maxLength={200}
        value={query ?? pickedName}
        onFocus={(e) => {
          e.currentTarget.select();
          setOpen(true);
        }}
        onBlur={() => {
          setQuery(null);
          setOpen(false);
        }}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={keyDown}
      />
      {open && (
        <ul className="story-select__list" id={listId} role="listbox" aria-label={label}>
          {options.map((o, i) => (
            <li
              key={o.id ?? ""}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              className={`story-select__option${i === current ? " story-select__option--on" : ""}${o.id === null ? " story-select__option--none" : ""}`}
              data-testid={`${testId}-option-${o.id ?? "none"}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(o.id)}
            >
              {o.name}
            </li>
          ))}
          {options.length === 1 && <li className="story-select__empty">No story matches</li>}
        </ul>
      )}
    </div>
  );
}
